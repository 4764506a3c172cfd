using Microsoft.Data.Sqlite;
using UpbitHft.Engine.Decisions;
using UpbitHft.Engine.Modes;
using UpbitHft.Engine.Runtime;
using UpbitHft.Gateway.Auth;
using UpbitHft.TestSupport;
using UpbitHft.TestSupport.FakeUpbit;
using UpbitHft.TestSupport.FakeUpbit.Rest;

namespace UpbitHft.Engine.Tests.Modes;

/// <summary>
/// The order path stays warm between orders: an order long after the previous one goes out on a connection that was
/// already open, while a server that closes idle connections would have made it pay for a new one. Scaled down: the
/// fake closes connections idle for 3 s (Upbit's and a load balancer's idle timeouts are longer), the engine keeps
/// warm every half second (a wide margin on a loaded test machine), and the engine is idle for 6 s between the buy and
/// the sell (the 90 s).
/// </summary>
public sealed class OrderPathWarmTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("upbithft-warm-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task An_order_after_a_long_idle_goes_out_on_a_connection_opened_before_it_unless_nothing_kept_it_warm(bool keepWarm)
    {
        var m31 = SessionScript.Minute31;
        var script = new SessionScript().Surge("KRW-BTC").Quiet("KRW-BTC", m31 + 61_000, 20);
        var hold = script.Count;
        script.MoveTo("KRW-BTC", m31 + 62_000, 501_500).Quiet("KRW-BTC", m31 + 63_000, 20, bid: 501_500);
        await using var x = await FakeUpbitExchange.StartAsync(script.Frames, new FakeUpbitRestOptions { KeepAliveTimeout = TimeSpan.FromSeconds(3) });
        x.WebSocket.Pace = TimeSpan.FromMilliseconds(10);
        x.WebSocket.HoldAt = hold;
        var settings = new EngineSettings { InputPath = "live", JournalPath = Path.Combine(_dir, $"warm-{keepWarm}.db"), StatusLines = false, Strategy = new DecisionOptions() };
        var live = new LiveSettings
        {
            RestUrl = x.Rest.BaseUrl,
            WsUrl = x.WebSocket.Url,
            PrivateWsUrl = x.PrivateUrl,
            KeepOrderPathWarm = keepWarm ? TimeSpan.FromMilliseconds(500) : TimeSpan.Zero,
            ShutdownTimeout = TimeSpan.FromSeconds(10),
        };
        using var stop = new CancellationTokenSource();
        var log = TextWriter.Synchronized(new StringWriter());
        var run = LiveRunner.RunLiveAsync(settings, live, new UpbitCredentials(x.Rest.Options.AccessKey, x.Rest.Options.SecretKey), log, stop.Token);
        try
        {
            await Eventually.TrueAsync(() => x.Rest.Orders.Any(o => o.Side == "bid" && o.State == "done"), TimeSpan.FromSeconds(30), "the buy", () => log.ToString()!);
            var before = x.Rest.OrderRequestConnections.Select(r => r.ConnectionId).ToHashSet();
            var requestsBefore = x.Rest.OrderRequestConnections.Count;
            await Task.Delay(TimeSpan.FromSeconds(6)); // idle: the fake closes what stays silent for 3 s (real time, on Kestrel's clock)
            x.WebSocket.HoldAt = int.MaxValue;
            await Eventually.TrueAsync(() => x.Rest.Orders.Any(o => o.Side == "ask" && o.State == "done"), TimeSpan.FromSeconds(30), "the sell", () => log.ToString()!);

            var sell = x.Rest.OrderRequestConnections.Last(r => r.Request == "POST /v1/orders");
            if (keepWarm)
            {
                Assert.True(before.Contains(sell.ConnectionId), string.Join("\n", x.Rest.OrderRequestConnections) + "\n" + log);
                Assert.Contains(x.Rest.OrderRequestConnections.Skip(requestsBefore), r => r.Request == "POST /v1/orders/test"); // what kept it open
            }
            else
            {
                Assert.DoesNotContain(sell.ConnectionId, before); // the control: without keep-warm the order paid for a new connection
            }
        }
        finally
        {
            await stop.CancelAsync();
            await run.WaitAsync(TimeSpan.FromSeconds(60));
        }
    }
}
