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
/// like Upbit (API.md §4.1), answers text <c>PING</c> with <c>{"status":"UP"}</c>, records what clients send, and
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

        if (context.Request.Headers.Authorization.Count > 0)
        {
            AuthorizationHeaders.Enqueue(context.Request.Headers.Authorization.ToString());
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

                var silent = connection == 1 && SilenceFirstConnectionAfter > 0 && sentHere >= SilenceFirstConnectionAfter;
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

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
