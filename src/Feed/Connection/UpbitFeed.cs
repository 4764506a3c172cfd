using System.Net.WebSockets;
using System.Text;

namespace UpbitHft.Feed.Connection;

/// <summary>
/// One Upbit WebSocket connection kept alive for days: connect, subscribe, move every received message into a
/// <see cref="System.IO.Pipelines.Pipe"/> (receives go straight into pipe memory, no per-message allocation), frame
/// complete messages on the consumer side and hand each to the handler; ping while idle; treat silence as death;
/// reconnect with exponential backoff and jitter (never more than 5 connects a second), re-send the same subscription,
/// and report down/up so the engine can block entries.
/// </summary>
/// <remarks>
/// One partial file per concern: this one is the connection loop; <c>UpbitFeed.Stream.cs</c> moves bytes socket → pipe
/// → handler; <c>UpbitFeed.Watchdog.cs</c> pings and detects silence; <see cref="SubscriptionThrottle"/> and
/// <see cref="ReconnectBackoff"/> decide when to send and when to connect. Every wait and timeout runs on the injected
/// <see cref="TimeProvider"/>; receive stamps are latency stamps and use <see cref="Events.LatencyClock"/>.
/// </remarks>
public sealed partial class UpbitFeed<THandler> : IAsyncDisposable
    where THandler : struct, IFrameHandler
{
    private static readonly ReadOnlyMemory<byte> s_ping = "PING"u8.ToArray();

    private readonly FeedOptions _options;
    private readonly Func<string?>? _authorization;
    private readonly Action<string> _log;
    private readonly TimeProvider _time;
    private readonly ReconnectBackoff _backoff;
    private readonly SubscriptionThrottle _throttle;
    private THandler _handler;
    private string _subscription;
    private ClientWebSocket? _socket;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private string? _abortReason; // why we aborted the socket ourselves (silence, requested reconnect), if we did

    /// <summary>
    /// Creates a feed; <paramref name="authorization"/> returns a fresh <c>Authorization</c> header per connect (private
    /// socket); <paramref name="timeProvider"/> runs the silence timeout, pings, backoff and throttles (default: system).
    /// </summary>
    public UpbitFeed(FeedOptions options, string subscription, THandler handler, Func<string?>? authorization = null, Action<string>? log = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _subscription = subscription;
        _handler = handler;
        _authorization = authorization;
        _log = log ?? (line => Console.Error.WriteLine(line));
        _time = timeProvider ?? TimeProvider.System;
        _backoff = new ReconnectBackoff(options, _time);
        _throttle = new SubscriptionThrottle(_time);
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
                await _backoff.BeforeConnectAsync(cancel).ConfigureAwait(false);
                using var socket = new ClientWebSocket();
                socket.Options.KeepAliveInterval = TimeSpan.Zero; // keep-alive is the text PING of the watchdog, as Upbit documents
                socket.Options.RemoteCertificateValidationCallback = _options.ServerCertificateValidation;
                if (_authorization?.Invoke() is { } auth)
                {
                    socket.Options.SetRequestHeader("Authorization", auth);
                }

                Connects++;
                await socket.ConnectAsync(_options.Url, cancel).ConfigureAwait(false);
                _socket = socket;
                await SendTextAsync(socket, Encoding.UTF8.GetBytes(_subscription), cancel).ConfigureAwait(false);
                MarkAlive(data: true);
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
            await _backoff.AfterFailureAsync(failures, cancel).ConfigureAwait(false);
        }
    }

    private async Task SendTextAsync(ClientWebSocket socket, ReadOnlyMemory<byte> text, CancellationToken cancel)
    {
        await _sendLock.WaitAsync(cancel).ConfigureAwait(false);
        try
        {
            if (!text.Span.SequenceEqual(s_ping.Span))
            {
                await _throttle.WaitAsync(cancel).ConfigureAwait(false);
            }

            await socket.SendAsync(text, WebSocketMessageType.Text, true, cancel).ConfigureAwait(false);
        }
        finally
        {
            _sendLock.Release();
        }
    }

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
