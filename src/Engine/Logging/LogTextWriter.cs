using System.Text;
using Microsoft.Extensions.Logging;

namespace UpbitHft.Engine.Logging;

/// <summary>
/// A stopgap adapter: the feed, the gateway and the run loop still report through <c>Action&lt;string&gt;</c> and a
/// status <see cref="TextWriter"/> (the order path is being rewritten, so their constructors are left alone). Each
/// line written here becomes one log record of category <c>UpbitHft.Host</c>, at <see cref="LogLevel.Warning"/> when
/// it reads like trouble — it contains "failed", "***", "refused", "BLOCKED" or starts with "warning" — and at
/// <see cref="LogLevel.Information"/> otherwise. Once those components take an <see cref="ILogger"/>, this goes.
/// </summary>
public sealed class LogTextWriter(ILogger logger) : TextWriter
{
    private static readonly string[] s_warningWords = ["failed", "***", "refused", "BLOCKED"];
    private readonly StringBuilder _partial = new();

    /// <inheritdoc/>
    public override Encoding Encoding => Encoding.UTF8;

    /// <summary>The level a line is logged at (see the class remarks).</summary>
    public static LogLevel LevelOf(string line) =>
        line.StartsWith("warning", StringComparison.OrdinalIgnoreCase) || s_warningWords.Any(w => line.Contains(w, StringComparison.Ordinal))
            ? LogLevel.Warning
            : LogLevel.Information;

    /// <summary>A whole line: logged at once (the common case; any thread).</summary>
    public override void WriteLine(string? value) => Emit(value ?? "");

    /// <inheritdoc/>
    public override Task WriteLineAsync(string? value)
    {
        Emit(value ?? "");
        return Task.CompletedTask;
    }

    /// <summary>Pieces of a line are collected until its newline.</summary>
    public override void Write(char value)
    {
        lock (_partial)
        {
            if (value != '\n')
            {
                _partial.Append(value);
                return;
            }
        }

        FlushPartial();
    }

    /// <inheritdoc/>
    public override void Write(string? value)
    {
        foreach (var c in value ?? "")
        {
            Write(c);
        }
    }

    /// <inheritdoc/>
    public override void WriteLine()
    {
        FlushPartial();
    }

    private void FlushPartial()
    {
        string line;
        lock (_partial)
        {
            line = _partial.ToString().TrimEnd('\r');
            _partial.Clear();
        }

        Emit(line);
    }

    private void Emit(string line)
    {
        var level = line.Length > 0 ? LevelOf(line) : LogLevel.None;
        if (logger.IsEnabled(level))
        {
            HostLog.Line(logger, level, line);
        }
    }
}
