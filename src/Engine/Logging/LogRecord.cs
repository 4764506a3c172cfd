using Microsoft.Extensions.Logging;

namespace UpbitHft.Engine.Logging;

/// <summary>One log event, formatted on the logging thread and written later by a <see cref="LogPump"/>'s writer task.</summary>
/// <param name="Time">Wall time of the event (the injected <see cref="TimeProvider"/>).</param>
/// <param name="Level">Its level.</param>
/// <param name="Category">The logger's category (the class that logged).</param>
/// <param name="EventId">The <c>[LoggerMessage]</c> event id and name.</param>
/// <param name="Message">The formatted message: what the console shows, exactly.</param>
/// <param name="Fields">The message template's named values (for the JSON file), or null.</param>
/// <param name="Exception">The exception's text, or null.</param>
public sealed record LogRecord(
    DateTimeOffset Time,
    LogLevel Level,
    string Category,
    EventId EventId,
    string Message,
    IReadOnlyList<KeyValuePair<string, object?>>? Fields,
    string? Exception);

/// <summary>Where a <see cref="LogPump"/> writes its records (called on the pump's writer task only).</summary>
public interface ILogSink : IDisposable
{
    /// <summary>Writes one record.</summary>
    void Write(LogRecord record);

    /// <summary>Called when the queue is momentarily empty: flush what is buffered.</summary>
    void Flush();
}
