using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace UpbitHft.Engine.Logging;

/// <summary>
/// The logging back end of <c>paper</c> and <c>live</c>: loggers put records into a bounded queue and return at once;
/// one writer task hands them to the sinks (standard error, the JSON-lines file). When the queue is full a record is
/// dropped and counted, never waited for, so a slow disk or terminal can never stall the thread that logs. The engine
/// thread does not log at all; the feed, gateway, journal, control and timer threads do.
/// </summary>
public sealed class LogPump : ILoggerProvider, IAsyncDisposable
{
    private readonly Channel<LogRecord> _queue;
    private readonly ILogSink[] _sinks;
    private readonly Task _writer;
    private readonly TimeProvider _time;
    private readonly LogLevel _minimum;
    private long _dropped;
    private long _sinkFailures;
    private int _disposed;

    /// <summary>Starts the writer task over <paramref name="sinks"/> (owned: disposed with the pump).</summary>
    public LogPump(IReadOnlyList<ILogSink> sinks, LogLevel minimum = LogLevel.Information, TimeProvider? time = null, int capacity = 8_192)
    {
        _sinks = [.. sinks];
        _minimum = minimum;
        _time = time ?? TimeProvider.System;
        _queue = Channel.CreateBounded<LogRecord>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait, // TryWrite then fails at once: the record is dropped and counted
        });
        _writer = Task.Factory.StartNew(PumpAsync, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
    }

    /// <summary>Records dropped because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Writes a sink refused (a full disk, say); the record still reached the other sinks.</summary>
    public long SinkFailures => Interlocked.Read(ref _sinkFailures);

    /// <summary>The lowest level written.</summary>
    public LogLevel Minimum => _minimum;

    /// <summary>Queues a record; false (and counted) when the queue is full or the pump is closed. Never blocks.</summary>
    public bool TryWrite(LogRecord record)
    {
        if (_queue.Writer.TryWrite(record))
        {
            return true;
        }

        Interlocked.Increment(ref _dropped);
        return false;
    }

    /// <inheritdoc/>
    public ILogger CreateLogger(string categoryName) => new PumpLogger(this, categoryName, _time);

    /// <summary>Writes what is queued, then closes the sinks.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _queue.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
        foreach (var sink in _sinks)
        {
            sink.Dispose();
        }
    }

    /// <inheritdoc/>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async Task PumpAsync()
    {
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var record))
            {
                foreach (var sink in _sinks)
                {
                    try
                    {
                        sink.Write(record);
                    }
                    catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ObjectDisposedException)
                    {
                        Interlocked.Increment(ref _sinkFailures);
                    }
                }
            }

            foreach (var sink in _sinks)
            {
                try
                {
                    sink.Flush();
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ObjectDisposedException)
                {
                    Interlocked.Increment(ref _sinkFailures);
                }
            }
        }
    }

    private sealed class PumpLogger(LogPump pump, string category, TimeProvider time) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && logLevel >= pump._minimum;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var fields = state as IReadOnlyList<KeyValuePair<string, object?>>;
            pump.TryWrite(new LogRecord(time.GetUtcNow(), logLevel, category, eventId, formatter(state, exception), fields, exception?.ToString()));
        }
    }
}
