using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using UpbitHft.TestSupport.FakeUpbit.Rest;
using UpbitHft.TestSupport.FakeUpbit.WebSocket;

namespace UpbitHft.TestSupport.FakeUpbit;

/// <summary>
/// The fake Upbit as one exchange on one Kestrel server: the public WebSocket plays a scripted session, the REST side fills market orders
/// at the last price that session printed and fills resting sells its trades reach, and every order change goes out
/// on the private WebSocket as myOrder (wait, one trade per fill, done or cancel) and myAsset (one frame per currency
/// that moved). All on 127.0.0.1.
/// </summary>
public sealed class FakeUpbitExchange : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeUpbitExchange(WebApplication app, FakeUpbitRestServer rest, FakeUpbitWebSocketServer ws)
    {
        _app = app;
        Rest = rest;
        WebSocket = ws;
    }

    public FakeUpbitRestServer Rest { get; }
    public FakeUpbitWebSocketServer WebSocket { get; }

    /// <summary>The private socket's URL (same server, path …/private).</summary>
    public Uri PrivateUrl => new UriBuilder(WebSocket.Url) { Path = "/websocket/v1/private" }.Uri;

    public static async Task<FakeUpbitExchange> StartAsync(IEnumerable<byte[]> script, FakeUpbitRestOptions? options = null)
    {
        // One Kestrel server on 127.0.0.1 carries REST, the public socket and the private socket, like api.upbit.com.
        options ??= new FakeUpbitRestOptions();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var connections = FakeKestrel.Configure(builder, options);
        var app = builder.Build();
        app.UseWebSockets();
        var rest = FakeUpbitRestServer.MapOn(app, options, connections);
        var ws = FakeUpbitWebSocketServer.MapOn(app, script);
        await app.StartAsync().ConfigureAwait(false);
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        rest.SetBaseUrl(address);
        ws.SetUrl(new UriBuilder(address) { Scheme = address.Scheme == "https" ? "wss" : "ws", Path = "/websocket/v1" }.Uri);
        ws.PrivatePushes = true;
        ws.VerifyPrivate = header => rest.VerifyJwt(header, null); // a JWT without query hash, verified like REST
        ws.OnSending = frame => Follow(rest, frame);
        var pushLock = new Lock();
        rest.OrderChanged = order =>
        {
            lock (pushLock) // one change's frames together, in order
            {
                // myOrder: wait / one trade per fill / done or cancel; then myAsset, one frame per currency that moved.
                foreach (var frame in rest.TakeMyOrderFrames(order).Concat(rest.TakeChangedAssetFrames()))
                {
                    ws.PushPrivate(frame);
                }
            }
        };
        return new FakeUpbitExchange(app, rest, ws);
    }

    /// <summary>The REST side follows what the public socket publishes: trades set prices and fill resting sells, books are walked by market orders.</summary>
    private static void Follow(FakeUpbitRestServer rest, byte[] frame)
    {
        try
        {
            FollowParsed(rest, frame);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException or FormatException)
        {
            // a malformed frame on purpose: the exchange's own state is not moved by it
        }
    }

    private static void FollowParsed(FakeUpbitRestServer rest, byte[] frame)
    {
        using var doc = JsonDocument.Parse(frame);
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type", out var type) || !root.TryGetProperty("code", out var code))
            {
                return;
            }

            var market = code.GetString()!;
            switch (type.GetString())
            {
                case "trade":
                    rest.OnTrade(market, root.GetProperty("trade_price").GetDecimal());
                    break;
                case "orderbook":
                    var units = root.GetProperty("orderbook_units").EnumerateArray().ToList();
                    rest.OnOrderbook(market,
                        [.. units.Select(u => (u.GetProperty("ask_price").GetDecimal(), u.GetProperty("ask_size").GetDecimal()))],
                        [.. units.Select(u => (u.GetProperty("bid_price").GetDecimal(), u.GetProperty("bid_size").GetDecimal()))]);
                    break;
            }
        }
    }

    /// <summary>A DEFAULT or SIMPLE trade frame's market and price.</summary>
    public static bool TryReadTrade(byte[] frame, out string market, out decimal price)
    {
        market = "";
        price = 0;
        using var doc = JsonDocument.Parse(frame);
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        var type = root.TryGetProperty("type", out var t) ? t.GetString() : root.TryGetProperty("ty", out var ty) ? ty.GetString() : null;
        if (type != "trade")
        {
            return false;
        }

        market = (root.TryGetProperty("code", out var c) ? c : root.GetProperty("cd")).GetString()!;
        var p = root.TryGetProperty("trade_price", out var tp) ? tp : root.GetProperty("tp");
        price = p.ValueKind == JsonValueKind.String ? decimal.Parse(p.GetString()!, System.Globalization.CultureInfo.InvariantCulture) : p.GetDecimal();
        return true;
    }

    /// <summary>Cuts every private socket now; the client must reconnect, and pushes meanwhile are lost.</summary>
    public void DropPrivateSockets() => WebSocket.DropPrivateSockets();

    /// <summary>The exchange restarts: sockets cut, REST answering 503 and new sockets refused for <paramref name="downtime"/>.</summary>
    public void Restart(TimeSpan downtime)
    {
        Rest.GoDown(downtime);
        WebSocket.Restart(downtime);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
