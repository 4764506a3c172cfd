using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Net.WebSockets;
using System.Text;

namespace UpbitHft.Feed.Connection;

/// <summary>
/// One Upbit WebSocket connection kept alive for days: connect, subscribe, move every received message into a
/// <see cref="Pipe"/> (receives go straight into pipe memory, no per-message allocation), frame complete messages on
/// the consumer side and hand each to the handler; ping while idle; treat silence as death; reconnect with
/// exponential backoff and jitter (never more than 5 connects a second), re-send the same subscription, and report
/// down/up so the engine can block entries.
/// </summary>
/// <remarks>
/// Framing in the pipe: each message is followed by a NUL byte and the 8-byte receive timestamp. A NUL can never
/// appear raw inside a JSON text (control characters must be escaped), so the consumer finds message ends with one
/// vectorized search. A corrupt frame containing NUL splits into two invalid frames, both counted by the parser.
/// </remarks>
public sealed class UpbitFeed<THandler> : IAsyncDisposable
    where THandler : struct, IFrameHandler
{
    private const int TrailerBytes = 9;
    private const int BlockSize = 64 * 1024;
    private static readonly ReadOnlyMemory<byte> s_ping = "PING"u8.ToArray();

    private readonly FeedOptions _options;
    private readonly Func<string?>? _authorization;
    private readonly Action<string> _log;
    private readonly Random _jitter;
    private THandler _handler;
    private string _subscription;
    private ClientWebSocket? _socket;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly BlockMemoryPool _pool = new(BlockSize);
    private long _lastReceiveTicks;

    // Last market-data (non-status) message: a public socket whose server still answers PINGs but carries no data
    // is as dead to the engine as a silent one. The private socket is quiet by nature (myOrder only on order
    // events), so its liveness is any message, PING answers included.
    private long _lastDataTicks;
    private long _lastConnectTicks = long.MinValue;
    private readonly Queue<long> _sentMessages = new(128); // send times of subscription messages, last minute
    private string? _abortReason; // why we aborted the socket ourselves (silence, requested reconnect), if we did

    /// <summary>Creates a feed; <paramref name="authorization"/> returns a fresh <c>Authorization</c> header per connect (private socket).</summary>
    public UpbitFeed(FeedOptions options, string subscription, THandler handler, Func<string?>? authorization = null, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _subscription = subscription;
        _handler = handler;
        _authorization = authorization;
        _log = log ?? (line => Console.Error.WriteLine(line));
        _jitter = new Random(options.JitterSeed);
    }

    public long Messages { get; private set; }
    public long Connects { get; private set; }
    public long ErrorFrames { get; private set; }
    public long PingsSent { get; private set; }

    /// <summary>The handler (its state, after the feed stopped).</summary>
    public THandler Handler => _handler;

    /// <summary>
    /// Drops the current connection so it is replaced (e.g. the engine saw a held market go silent while the socket
    /// still delivers other markets). Thread-safe and non-blocking; the reconnect follows the usual backoff.
    /// </summary>
    public void RequestReconnect(string reason)
    {
        if (_socket is { } socket)
        {
            _log($"feed {_options.Source}: reconnect requested ({reason})");
            Volatile.Write(ref _abortReason, "reconnect requested: " + reason);
            socket.Abort();
        }
    }

    /// <summary>Replaces the subscription set (sent now if connected, and on every reconnect).</summary>
    public async Task ResubscribeAsync(string subscription, CancellationToken cancel = default)
    {
        _subscription = subscription;
        if (_socket is { State: WebSocketState.Open } socket)
        {
            await SendTextAsync(socket, Encoding.UTF8.GetBytes(subscription), cancel).ConfigureAwait(false);
        }
    }

    /// <summary>Runs until <paramref name="cancel"/>: connects, streams, reconnects. Ends with a close handshake.</summary>
    public async Task RunAsync(CancellationToken cancel)
    {
        var failures = 0;
        while (!cancel.IsCancellationRequested)
        {
            string reason;
            try
            {
                await ThrottleConnectAsync(cancel).ConfigureAwait(false);
                using var socket = new ClientWebSocket();
                socket.Options.KeepAliveInterval = TimeSpan.Zero; // keep-alive is the text PING below, as Upbit documents
                if (_authorization?.Invoke() is { } auth)
                {
                    socket.Options.SetRequestHeader("Authorization", auth);
                }

                Connects++;
                await socket.ConnectAsync(_options.Url, cancel).ConfigureAwait(false);
                _socket = socket;
                await SendTextAsync(socket, Encoding.UTF8.GetBytes(_subscription), cancel).ConfigureAwait(false);
                Volatile.Write(ref _lastReceiveTicks, Environment.TickCount64);
                Volatile.Write(ref _lastDataTicks, Environment.TickCount64);
                failures = 0;
                _handler.OnFeedStatus(_options.Source, FeedStatus.Up, "connected and subscribed");
                reason = await StreamAsync(socket, cancel).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancel.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is WebSocketException or IOException or System.Net.Http.HttpRequestException or OperationCanceledException)
            {
                // OperationCanceledException without our own cancellation: the socket was aborted (silence, or a
                // requested reconnect) in the middle of an operation.
                reason = ex.Message;
            }
            finally
            {
                _socket = null;
            }

            if (cancel.IsCancellationRequested)
            {
                break;
            }

            _handler.OnFeedStatus(_options.Source, FeedStatus.Down, reason);
            _log($"feed {_options.Source}: down ({reason}); reconnecting");
            failures++;
            await BackoffAsync(failures, cancel).ConfigureAwait(false);
        }
    }

    private async Task<string> StreamAsync(ClientWebSocket socket, CancellationToken cancel)
    {
        // 64 KB segments from a recycling pool: with the default 4 KB segments and the shared array pool, a new
        // segment (and often a new array) was allocated every few messages (1.4 KB per message, measured).
        var pipe = new Pipe(new PipeOptions(_pool, pauseWriterThreshold: _options.PauseWriterThreshold, resumeWriterThreshold: _options.PauseWriterThreshold / 2, minimumSegmentSize: BlockSize, useSynchronizationContext: false));
        using var connection = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        var receive = ReceiveAsync(socket, pipe.Writer, connection.Token);
        var consume = ConsumeAsync(pipe.Reader, connection.Token);
        var watchdog = WatchAsync(socket, connection.Token);
        var first = await Task.WhenAny(receive, consume, watchdog).ConfigureAwait(false);
        // When we aborted the socket ourselves, the receive loop may end before the task that aborted it: say why.
        var reason = Interlocked.Exchange(ref _abortReason, null)
            ?? (first.IsFaulted ? first.Exception!.GetBaseException().Message
                : first.IsCanceled ? "connection aborted"
                : await first.ConfigureAwait(false));
        if (first == receive)
        {
            // The socket ended; the writer is completed. Let the consumer hand over what is already in the pipe
            // before tearing down, so no received message is lost on a disconnect.
            await Task.WhenAny(consume, Task.Delay(TimeSpan.FromSeconds(2), CancellationToken.None)).ConfigureAwait(false);
        }

        await connection.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(Quiet(receive), Quiet(consume), Quiet(watchdog)).ConfigureAwait(false);
        if (cancel.IsCancellationRequested && socket.State == WebSocketState.Open)
        {
            using var closeTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await Quiet(socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "shutdown", closeTimeout.Token)).ConfigureAwait(false);
        }

        return reason;
    }

    /// <summary>Socket → pipe: each receive lands in pipe memory; a message end appends the NUL + timestamp trailer.</summary>
    private async Task<string> ReceiveAsync(ClientWebSocket socket, PipeWriter writer, CancellationToken cancel)
    {
        try
        {
            while (true)
            {
                var memory = writer.GetMemory();
                var result = await socket.ReceiveAsync(memory, cancel).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return $"server closed ({socket.CloseStatus} {socket.CloseStatusDescription})";
                }

                writer.Advance(result.Count);
                Volatile.Write(ref _lastReceiveTicks, Environment.TickCount64);
                if (result.EndOfMessage)
                {
                    var trailer = writer.GetSpan(TrailerBytes);
                    trailer[0] = 0;
                    BinaryPrimitives.WriteInt64LittleEndian(trailer[1..], MonotonicNs());
                    writer.Advance(TrailerBytes);
                    var flush = await writer.FlushAsync(cancel).ConfigureAwait(false);
                    if (flush.IsCompleted)
                    {
                        return "consumer stopped";
                    }
                }
            }
        }
        finally
        {
            // Completed without the exception on purpose: the consumer must still drain what was received; the
            // failure itself is reported by this task (and becomes the "down" reason).
            await writer.CompleteAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Pipe → handler: one complete message at a time, with AdvanceTo(consumed, examined) so a partial one is not re-scanned.</summary>
    private async Task<string> ConsumeAsync(PipeReader reader, CancellationToken cancel)
    {
        try
        {
            while (true)
            {
                var read = await reader.ReadAsync(cancel).ConfigureAwait(false);
                var buffer = read.Buffer;
                while (TryTakeFrame(ref buffer, out var frame, out var receiveNs))
                {
                    Messages++;
                    if (StartsWithError(frame))
                    {
                        ErrorFrames++;
                        _log($"feed {_options.Source}: error frame: {Encoding.UTF8.GetString(frame)}");
                    }

                    if (!StartsWithStatus(frame))
                    {
                        Volatile.Write(ref _lastDataTicks, Environment.TickCount64);
                    }

                    _handler.OnFrame(frame, receiveNs, _options.Source);
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
                if (read.IsCompleted)
                {
                    return "socket reader ended";
                }
            }
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
        }
    }

    private static bool TryTakeFrame(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> frame, out long receiveNs)
    {
        frame = default;
        receiveNs = 0;
        var end = buffer.PositionOf((byte)0);
        if (end is null)
        {
            return false;
        }

        var afterNul = buffer.GetPosition(1, end.Value);
        var rest = buffer.Slice(afterNul);
        if (rest.Length < 8)
        {
            return false;
        }

        Span<byte> stamp = stackalloc byte[8];
        rest.Slice(0, 8).CopyTo(stamp);
        receiveNs = BinaryPrimitives.ReadInt64LittleEndian(stamp);
        frame = buffer.Slice(0, end.Value);
        buffer = rest.Slice(8);
        return true;
    }

    private static bool StartsWithStatus(in ReadOnlySequence<byte> frame)
    {
        var first = frame.FirstSpan;
        return first.Length >= 10 && first[..10].SequenceEqual("{\"status\":"u8);
    }

    private static bool StartsWithError(in ReadOnlySequence<byte> frame)
    {
        var first = frame.FirstSpan;
        return first.Length >= 9 && first[..9].SequenceEqual("{\"error\":"u8);
    }

    /// <summary>Pings while the connection is quiet on our side and declares it dead when the server goes silent.</summary>
    private async Task<string> WatchAsync(ClientWebSocket socket, CancellationToken cancel)
    {
        var tick = TimeSpan.FromMilliseconds(Math.Max(50, Math.Min(_options.PingInterval.TotalMilliseconds, _options.SilenceTimeout.TotalMilliseconds) / 4));
        var lastPing = Environment.TickCount64;
        while (true)
        {
            await Task.Delay(tick, cancel).ConfigureAwait(false);
            var now = Environment.TickCount64;
            var last = _options.Source == FeedSource.Public ? Volatile.Read(ref _lastDataTicks) : Volatile.Read(ref _lastReceiveTicks);
            if (now - last > _options.SilenceTimeout.TotalMilliseconds)
            {
                var reason = _options.Source == FeedSource.Public && now - Volatile.Read(ref _lastReceiveTicks) <= _options.SilenceTimeout.TotalMilliseconds
                    ? $"no market data for more than {_options.SilenceTimeout.TotalSeconds:0.#} s (the server still answers PINGs)"
                    : $"silent for more than {_options.SilenceTimeout.TotalSeconds:0.#} s";
                Volatile.Write(ref _abortReason, reason);
                socket.Abort();
                return reason;
            }

            if (now - lastPing >= _options.PingInterval.TotalMilliseconds)
            {
                lastPing = now;
                PingsSent++;
                await SendTextAsync(socket, s_ping, cancel).ConfigureAwait(false);
            }
        }
    }

    private async Task SendTextAsync(ClientWebSocket socket, ReadOnlyMemory<byte> text, CancellationToken cancel)
    {
        await _sendLock.WaitAsync(cancel).ConfigureAwait(false);
        try
        {
            if (!text.Span.SequenceEqual(s_ping.Span))
            {
                await ThrottleMessageAsync(cancel).ConfigureAwait(false);
            }

            await socket.SendAsync(text, WebSocketMessageType.Text, true, cancel).ConfigureAwait(false);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>
    /// Upbit counts subscription messages per connection: at most 5 a second and 100 a minute (API.md §3). Waits until
    /// both windows have room. Called under the send lock.
    /// </summary>
    private async Task ThrottleMessageAsync(CancellationToken cancel)
    {
        while (true)
        {
            var now = Environment.TickCount64;
            while (_sentMessages.Count > 0 && now - _sentMessages.Peek() >= 60_000)
            {
                _sentMessages.Dequeue();
            }

            var lastSecond = _sentMessages.Count(t => now - t < 1_000);
            var wait = 0L;
            if (_sentMessages.Count >= 100)
            {
                wait = _sentMessages.Peek() + 60_000 - now;
            }
            else if (lastSecond >= 5)
            {
                wait = _sentMessages.Where(t => now - t < 1_000).Min() + 1_000 - now;
            }

            if (wait <= 0)
            {
                _sentMessages.Enqueue(now);
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(wait), cancel).ConfigureAwait(false);
        }
    }

    // Upbit allows 5 connects per second (API.md §3): keep 250 ms between attempts whatever the backoff says.
    private async Task ThrottleConnectAsync(CancellationToken cancel)
    {
        var wait = _lastConnectTicks + 250 - Environment.TickCount64;
        if (_lastConnectTicks != long.MinValue && wait > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(wait), cancel).ConfigureAwait(false);
        }

        _lastConnectTicks = Environment.TickCount64;
    }

    private async Task BackoffAsync(int failures, CancellationToken cancel)
    {
        var baseMs = Math.Min(_options.ReconnectMaxDelay.TotalMilliseconds, _options.ReconnectMinDelay.TotalMilliseconds * Math.Pow(2, Math.Min(failures - 1, 16)));
        var delay = TimeSpan.FromMilliseconds(baseMs * (0.5 + (_jitter.NextDouble() * 0.5))); // "equal jitter"
        try
        {
            await Task.Delay(delay, cancel).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static long MonotonicNs() => System.Diagnostics.Stopwatch.Frequency == 1_000_000_000
        ? System.Diagnostics.Stopwatch.GetTimestamp()
        : (long)(System.Diagnostics.Stopwatch.GetTimestamp() * (1e9 / System.Diagnostics.Stopwatch.Frequency));

    private static async Task Quiet(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or IOException or InvalidOperationException)
        {
        }
    }

    public ValueTask DisposeAsync()
    {
        _socket?.Abort();
        _sendLock.Dispose();
        _pool.Dispose();
        return ValueTask.CompletedTask;
    }
}
