using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using UpbitHft.Gateway.Auth;
using UpbitHft.TestSupport.FakeUpbit;
using static UpbitHft.Gateway.Tests.Rest.GatewayFixture;

namespace UpbitHft.Gateway.Tests.Rest;

/// <summary>A client of the fake exchange's private socket (JWT, myOrder + myAsset subscription) that keeps every frame it receives.</summary>
internal sealed class PrivateListener : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;
    private int _closed;

    private PrivateListener()
    {
    }

    /// <summary>Every frame received, as text, in order.</summary>
    public ConcurrentQueue<string> Texts { get; } = new();

    /// <summary>Whether the connection ended (dropped or closed).</summary>
    public bool Closed => Volatile.Read(ref _closed) == 1;

    /// <summary>Every frame received, parsed.</summary>
    public List<JsonObject> Frames => [.. Texts.Select(t => JsonNode.Parse(t)!.AsObject())];

    public List<JsonObject> OfType(string type) => [.. Frames.Where(f => (string?)f["type"] == type)];

    /// <summary>Connects and subscribes; returns once the exchange counts the subscription (pushes from then on arrive).</summary>
    public static async Task<PrivateListener> ConnectAsync(FakeUpbitExchange x)
    {
        var listener = new PrivateListener();
        var signer = new JwtSigner(new UpbitCredentials(x.Rest.Options.AccessKey, x.Rest.Options.SecretKey));
        listener._socket.Options.SetRequestHeader("Authorization", signer.AuthorizationHeader(""));
        var before = x.WebSocket.PrivateListeners;
        await listener._socket.ConnectAsync(x.PrivateUrl, CancellationToken.None);
        await listener._socket.SendAsync("[{\"ticket\":\"test\"},{\"type\":\"myOrder\"},{\"type\":\"myAsset\"}]"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
        listener._loop = listener.ReceiveAsync();
        await EventuallyAsync(() => x.WebSocket.PrivateListeners > before, "the private subscription");
        return listener;
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[256 * 1024];
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                var count = 0;
                ValueWebSocketReceiveResult r;
                do
                {
                    r = await _socket.ReceiveAsync(buffer.AsMemory(count), _stop.Token);
                    count += r.Count;
                }
                while (!r.EndOfMessage && r.MessageType != WebSocketMessageType.Close);
                if (r.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                Texts.Enqueue(Encoding.UTF8.GetString(buffer, 0, count));
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
        }
        finally
        {
            Volatile.Write(ref _closed, 1);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _socket.Dispose();
        _stop.Dispose();
    }
}
