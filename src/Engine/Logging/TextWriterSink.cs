namespace UpbitHft.Engine.Logging;

/// <summary>
/// Log lines on a text writer (standard error for the CLI): the message exactly as the engine always printed it, one
/// line per record (an exception follows on the next lines), so <c>journalctl</c> and scripts reading the old lines
/// see no change. The level and category are in the JSON-lines file (<c>--log-file</c>).
/// </summary>
public sealed class TextWriterSink(TextWriter writer) : ILogSink
{
    /// <inheritdoc/>
    public void Write(LogRecord record)
    {
        writer.WriteLine(record.Message);
        if (record.Exception is not null)
        {
            writer.WriteLine(record.Exception);
        }
    }

    /// <inheritdoc/>
    public void Flush() => writer.Flush();

    /// <summary>The writer is the caller's (standard error): it is flushed, not closed.</summary>
    public void Dispose() => writer.Flush();
}
