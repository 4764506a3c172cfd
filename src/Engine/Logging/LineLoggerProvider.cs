using Microsoft.Extensions.Logging;

namespace UpbitHft.Engine.Logging;

/// <summary>
/// The synchronous fallback for runs without the CLI's logging options (replay, tests calling the runners directly):
/// each message is written as one line to a text writer (standard error by default), as the engine always did.
/// </summary>
public sealed class LineLoggerProvider(TextWriter writer, LogLevel minimum = LogLevel.Information) : ILoggerProvider
{
    /// <summary>Lines on standard error.</summary>
    public static ILoggerFactory StandardError { get; } = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Information).AddProvider(new LineLoggerProvider(Console.Error)));

    /// <inheritdoc/>
    public ILogger CreateLogger(string categoryName) => new LineLogger(writer, minimum);

    /// <inheritdoc/>
    public void Dispose()
    {
    }

    private sealed class LineLogger(TextWriter writer, LogLevel minimum) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && logLevel >= minimum;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                writer.WriteLine(exception is null ? formatter(state, exception) : formatter(state, exception) + Environment.NewLine + exception);
            }
        }
    }
}
