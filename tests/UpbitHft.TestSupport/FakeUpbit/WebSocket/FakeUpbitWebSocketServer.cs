using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace UpbitHft.TestSupport.FakeUpbit.WebSocket;

/// <summary>
/// A fake Upbit WebSocket (Kestrel on 127.0.0.1, ephemeral port) that serves a script of frames as binary messages,
/// like Upbit (docs/upbit.md#websocket-connection), answers text <c>PING</c> with <c>{"status":"UP"}</c>, records what clients send, and
/// has fault switches for the first connection: close mid-stream, go silent, split every message into small frames.
/// The script continues where it stopped when the client reconnects.
/// </summary>
public sealed class FakeUpbitWebSocketServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<byte[]> _script;
    private int _cursor;
    private int _connections;

    private FakeUpbitWebSocketServer(WebApplication app, IEnumerable<byte[]> script)
    {
        _app = app;
        _script = [.. script];
    }

    public Uri Url { get; private set; } = null!;

    /// <summary>Every text message clients sent (subscriptions, PINGs), in order.</summary>
    public ConcurrentQueue<string> Received { get; } = new();

    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Authorization headers seen at the handshake.</summary>
    public ConcurrentQueue<string> AuthorizationHeaders { get; } = new();

    /// <summary>On the first connection, close after this many messages (0: never).</summary>
    public int CloseFirstConnectionAfter { get; set; }

    /// <summary>On the first connection, stop sending (but keep the socket open) after this many messages (0: never).</summary>
    public int SilenceFirstConnectionAfter { get; set; }

    /// <summary>Split every message into WebSocket frames of at most this many bytes (0: one frame per message).</summary>
    public int SplitFramesAt { get; set; }

    /// <summary>Pause between messages.</summary>
    public TimeSpan Pace { get; set; } = TimeSpan.Zero;

    /// <summary>Wait for the client's subscription before sending.</summary>
    public bool WaitForSubscription { get; set; } = true;

    /// <summary>Called just before each scripted frame is sent (the fake exchange follows the prices it publishes).</summary>
    public Action<byte[]>? OnSending { get; set; }

    private readonly ConcurrentDictionary<HttpContext, byte> _open = new();
    private long _refuseUntilMs;

    /// <summary>A restart: every open socket is cut, and new connections are refused (HTTP 503) for <paramref name="downtime"/>.</summary>
    public void Restart(TimeSpan downtime)
    {
        Volatile.Write(ref _refuseUntilMs, Environment.TickCount64 + (long)downtime.TotalMilliseconds);
        foreach (var context in _open.Keys)
        {
            context.Abort();
        }
    }

    private readonly ConcurrentDictionary<HttpContext, byte> _openPrivate = new();

    /// <summary>
    /// Cuts every private-socket connection now (no close handshake): the client must reconnect, and what is pushed
    /// while nobody is connected is lost, as on the real exchange.
    /// </summary>
    public void DropPrivateSockets()
    {
        foreach (var context in _openPrivate.Keys)
        {
            context.Abort();
        }
    }

    /// <summary>Script frames from this index on wait until it is raised (a test plays a session in parts).</summary>
    public int HoldAt { get; set; } = int.MaxValue;

    /// <summary>Frames sent so far from the script.</summary>
    public int Sent => Math.Min(Volatile.Read(ref _cursor), _script.Count);

    /// <summary>
    /// When set, the …/private path is the exchange's private socket: a JWT is required and it carries only what
    /// <see cref="PushPrivate"/> sends. When not set, every path plays the script (feed tests).
    /// </summary>
    public bool PrivatePushes { get; set; }

    /// <summary>Checks a private handshake's <c>Authorization</c> header: the error name, or null when valid (the exchange sets it).</summary>
    public Func<string, string?>? VerifyPrivate { get; set; }

    /// <summary>Private handshakes refused for a missing or invalid JWT.</summary>
    public int PrivateRefused => Volatile.Read(ref _privateRefused);

    private int _privateRefused;

    /// <summary>Private-socket connections (path …/private) seen in <see cref="PrivatePushes"/> mode.</summary>
    public int PrivateConnections => Volatile.Read(ref _privateConnections);

    private readonly List<System.Threading.Channels.Channel<byte[]>> _privateSubscribers = [];
    private int _privateConnections;

    /// <summary>Private sockets subscribed now (each receives what <see cref="PushPrivate"/> sends from then on).</summary>
    public int PrivateListeners
    {
        get
        {
            lock (_privateSubscribers)
            {
                return _privateSubscribers.Count;
            }
        }
    }

    /// <summary>Sends a frame (myOrder, myAsset) to every connected private socket.</summary>
    public void PushPrivate(byte[] frame)
    {
        lock (_privateSubscribers)
        {
            foreach (var c in _privateSubscribers)
            {
                c.Writer.TryWrite(frame);
            }
        }
    }

    public static async Task<FakeUpbitWebSocketServer> StartAsync(IEnumerable<byte[]> script)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new FakeUpbitWebSocketServer(app, script);
        app.UseWebSockets();
        app.Map("/websocket/{**path}", server.HandleAsync); // /websocket/v1 and /websocket/v1/private
        await app.StartAsync().ConfigureAwait(false);
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        server.Url = new UriBuilder(address) { Scheme = "ws", Path = "/websocket/v1" }.Uri;
        return server;
    }

    private async Task HandleAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = 400;
            return;
        }

        if (Environment.TickCount64 < Volatile.Read(ref _refuseUntilMs))
        {
            context.Response.StatusCode = 503; // restarting
            return;
        }

        _open[context] = 0;
        try
        {
            await ServeAsync(context).ConfigureAwait(false);
        }
        finally
        {
            _open.TryRemove(context, out _);
        }
    }

    private async Task ServeAsync(HttpContext context)
    {
        if (context.Request.Headers.Authorization.Count > 0)
        {
            AuthorizationHeaders.Enqueue(context.Request.Headers.Authorization.ToString());
        }

        if (PrivatePushes && context.Request.Path.Value?.EndsWith("/private", StringComparison.Ordinal) == true)
        {
            await HandlePrivateAsync(context).ConfigureAwait(false);
            return;
        }

        var connection = Interlocked.Increment(ref _connections);
        using var socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        var subscribed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var sendLock = new SemaphoreSlim(1, 1); // one send at a time: the PING replies share the socket
        var receiving = ReceiveLoopAsync(socket, sendLock, subscribed, context.RequestAborted);
        if (WaitForSubscription)
        {
            await Task.WhenAny(subscribed.Task, Task.Delay(5_000)).ConfigureAwait(false);
        }

        var sentHere = 0;
        try
        {
            while (socket.State == WebSocketState.Open && !context.RequestAborted.IsCancellationRequested)
            {
                if (connection == 1 && CloseFirstConnectionAfter > 0 && sentHere >= CloseFirstConnectionAfter)
                {
                    await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "fault: closed mid-stream", CancellationToken.None).ConfigureAwait(false);
                    break;
                }

                var silent = (connection == 1 && SilenceFirstConnectionAfter > 0 && sentHere >= SilenceFirstConnectionAfter)
                    || Volatile.Read(ref _cursor) >= HoldAt;
                var index = silent ? -1 : Interlocked.Increment(ref _cursor) - 1;
                if (index < 0 || index >= _script.Count)
                {
                    if (index >= _script.Count)
                    {
                        Interlocked.Decrement(ref _cursor);
                    }

                    await Task.Delay(20, context.RequestAborted).ConfigureAwait(false);
                    continue;
                }

                OnSending?.Invoke(_script[index]);
                await SendAsync(socket, sendLock, _script[index], context.RequestAborted).ConfigureAwait(false);
                sentHere++;
                if (Pace > TimeSpan.Zero)
                {
                    await Task.Delay(Pace, context.RequestAborted).ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or IOException)
        {
        }

        try
        {
            await receiving.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or IOException)
        {
        }
    }

    /// <summary>The private socket: a JWT is required at the handshake (like Upbit); then pushed frames only (myOrder is real-time only).</summary>
    private async Task HandlePrivateAsync(HttpContext context)
    {
        var auth = context.Request.Headers.Authorization.ToString();
        if (!auth.StartsWith("Bearer ", StringComparison.Ordinal) || (VerifyPrivate is { } verify && verify(auth) is not null))
        {
            Interlocked.Increment(ref _privateRefused);
            context.Response.StatusCode = 401;
            return;
        }

        Interlocked.Increment(ref _privateConnections);
        _openPrivate[context] = 0;
        try
        {
            await ServePrivateAsync(context).ConfigureAwait(false);
        }
        finally
        {
            _openPrivate.TryRemove(context, out _);
        }
    }

    private async Task ServePrivateAsync(HttpContext context)
    {
        using var socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        var outbox = System.Threading.Channels.Channel.CreateUnbounded<byte[]>();
        using var sendLock = new SemaphoreSlim(1, 1);
        var subscribed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var receiving = ReceiveLoopAsync(socket, sendLock, subscribed, context.RequestAborted);
        using var done = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        _ = receiving.ContinueWith(_ =>
        {
            try
            {
                done.Cancel(); // the client closed: stop waiting for frames to push
            }
            catch (ObjectDisposedException)
            {
            }
        }, TaskScheduler.Default);
        await Task.WhenAny(subscribed.Task, Task.Delay(5_000)).ConfigureAwait(false);
        lock (_privateSubscribers)
        {
            _privateSubscribers.Add(outbox);
        }

        // Like Upbit, answer in the format the subscription asked for (the pushes are written in DEFAULT).
        var simple = Received.LastOrDefault(r => r.Contains("\"myOrder\"", StringComparison.Ordinal))?.Contains("\"SIMPLE\"", StringComparison.Ordinal) == true;
        try
        {
            while (socket.State == WebSocketState.Open && await outbox.Reader.WaitToReadAsync(done.Token).ConfigureAwait(false))
            {
                while (outbox.Reader.TryRead(out var frame))
                {
                    await SendAsync(socket, sendLock, simple ? SimpleFormat.Simplify(frame) : frame, done.Token).ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or IOException)
        {
        }
        finally
        {
            lock (_privateSubscribers)
            {
                _privateSubscribers.Remove(outbox);
            }
        }

        try
        {
            await receiving.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or IOException)
        {
        }
    }

    private async Task SendAsync(System.Net.WebSockets.WebSocket socket, SemaphoreSlim sendLock, byte[] message, CancellationToken cancel)
    {
        await sendLock.WaitAsync(cancel).ConfigureAwait(false);
        try
        {
            await SendFramesAsync(socket, message, cancel).ConfigureAwait(false);
        }
        finally
        {
            sendLock.Release();
        }
    }

    private async Task SendFramesAsync(System.Net.WebSockets.WebSocket socket, byte[] message, CancellationToken cancel)
    {
        if (SplitFramesAt <= 0)
        {
            await socket.SendAsync(message, WebSocketMessageType.Binary, true, cancel).ConfigureAwait(false);
            return;
        }

        for (var offset = 0; offset < message.Length; offset += SplitFramesAt)
        {
            var n = Math.Min(SplitFramesAt, message.Length - offset);
            await socket.SendAsync(message.AsMemory(offset, n), WebSocketMessageType.Binary, offset + n >= message.Length, cancel).ConfigureAwait(false);
        }
    }

    private async Task ReceiveLoopAsync(System.Net.WebSockets.WebSocket socket, SemaphoreSlim sendLock, TaskCompletionSource subscribed, CancellationToken cancel)
    {
        var buffer = new byte[64 * 1024];
        while (socket.State == WebSocketState.Open)
        {
            var count = 0;
            ValueWebSocketReceiveResult r;
            do
            {
                r = await socket.ReceiveAsync(buffer.AsMemory(count), cancel).ConfigureAwait(false);
                count += r.Count;
            }
            while (!r.EndOfMessage && r.MessageType != WebSocketMessageType.Close);
            if (r.MessageType == WebSocketMessageType.Close)
            {
                if (socket.State == WebSocketState.CloseReceived)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None).ConfigureAwait(false);
                }

                return;
            }

            var text = Encoding.UTF8.GetString(buffer, 0, count);
            Received.Enqueue(text);
            if (text == "PING")
            {
                await sendLock.WaitAsync(cancel).ConfigureAwait(false);
                try
                {
                    await socket.SendAsync("{\"status\":\"UP\"}"u8.ToArray(), WebSocketMessageType.Text, true, cancel).ConfigureAwait(false);
                }
                finally
                {
                    sendLock.Release();
                }
            }
            else
            {
                subscribed.TrySetResult();
            }
        }
    }

    /// <summary>Maps the sockets onto a server someone else owns (the one-server fake exchange); <c>UseWebSockets</c> must be on.</summary>
    internal static FakeUpbitWebSocketServer MapOn(WebApplication app, IEnumerable<byte[]> script)
    {
        var server = new FakeUpbitWebSocketServer(app, script) { _ownsApp = false };
        app.Map("/websocket/{**path}", server.HandleAsync);
        return server;
    }

    internal void SetUrl(Uri url) => Url = url;

    private bool _ownsApp = true;

    public async ValueTask DisposeAsync()
    {
        if (_ownsApp)
        {
            await _app.StopAsync().ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
        }
    }
}
