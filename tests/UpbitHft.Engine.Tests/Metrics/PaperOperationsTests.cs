using System.Net;
using Microsoft.Extensions.Logging;
using UpbitHft.Engine.Decisions;
using UpbitHft.Engine.Logging;
using UpbitHft.Engine.Modes;
using UpbitHft.Engine.Notifications;
using UpbitHft.Engine.Operations;
using UpbitHft.Engine.Runtime;
using UpbitHft.Engine.Tests.Deploy;
using UpbitHft.Engine.Tests.Notifications;
using UpbitHft.TestSupport;
using UpbitHft.TestSupport.FakeUpbit;

namespace UpbitHft.Engine.Tests.Metrics;

/// <summary>
/// The operator's view of a running engine, shown end to end in process: a <c>paper</c> run against the fake Upbit
/// with a metrics port and an alert webhook. /metrics moves while the session plays, /healthz answers, and the webhook
/// gets one alert for the entry and one for the exit.
/// </summary>
public sealed class PaperOperationsTests
{
    private static readonly long Minute31 = SessionScript.Minute31;

    [Fact]
    public async Task A_paper_run_serves_moving_metrics_and_health_and_posts_one_alert_per_entry_and_exit()
    {
        var surge = new SessionScript().Surge("KRW-BTC");
        var held = surge.Count + 30; // half-way through the quiet books after the entry
        var script = surge
            .Quiet("KRW-BTC", Minute31 + 61_000, 60)
            .MoveTo("KRW-BTC", Minute31 + 62_000, 501_500) // +0.3 % from the 500,000 fill: the take-profit
            .Quiet("KRW-BTC", Minute31 + 63_000, 40, bid: 501_500).Frames;
        await using var x = await FakeUpbitExchange.StartAsync(script);
        x.WebSocket.Pace = TimeSpan.FromMilliseconds(5);
        x.WebSocket.HoldAt = held;
        await using var webhook = await WebhookReceiver.StartAsync();

        var log = TextWriter.Synchronized(new StringWriter());
        using var logging = LoggerFactory.Create(b => b.AddProvider(new LineLoggerProvider(log)));
        var metricsUrl = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var notifier = new Notifier(new NotifierOptions { Url = webhook.Url }, logging.CreateLogger<Notifier>());
        var settings = new EngineSettings { InputPath = "paper", StatusLines = false, Strategy = new DecisionOptions(), Logging = logging };
        var live = new LiveSettings
        {
            RestUrl = x.Rest.BaseUrl,
            WsUrl = x.WebSocket.Url,
            Operations = new OperationsSettings
            {
                MetricsEndpoint = new IPEndPoint(IPAddress.Loopback, 0),
                MetricsListening = metricsUrl.SetResult,
                Notifier = notifier,
            },
        };

        using var stop = new CancellationTokenSource();
        var run = LiveRunner.RunPaperAsync(settings, live, log, stop.Token);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        try
        {
            var url = await metricsUrl.Task.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal("127.0.0.1", url.Host);

            // The script stops half-way through the position: the entry is in, the position open.
            var first = await EventuallyScrapeAsync(http, url, e => e.Value("upbithft_open_positions") == 1 && webhook.Received.Count >= 1, "the position is open", log);
            using (var health = await http.GetAsync(new Uri(url, "healthz")))
            {
                Assert.Equal(HttpStatusCode.OK, health.StatusCode);
                Assert.Equal("ok\n", await health.Content.ReadAsStringAsync());
            }

            Assert.Equal(1, first.Value("upbithft_orders_total", ("side", "bid"), ("type", "price"), ("outcome", "accepted")));
            Assert.Equal(1, first.Value("upbithft_feed_up", ("socket", "public")));
            Assert.Equal(1, first.Value("upbithft_feed_connections_total", ("socket", "public")));
            Assert.NotNull(first.Value("upbithft_market_data_age_seconds", ("market", "KRW-BTC")));
            Assert.True(first.Value("upbithft_free_krw") < 1_000_000);
            Assert.Equal(1, first.Value("upbithft_tick_to_order_seconds_count"));
            Assert.True(first.Value("upbithft_tick_to_decision_seconds_count") > 0);
            Assert.True(first.Sum("upbithft_rate_limit_tokens") > 0);
            AssertExactlyTheEngineMetrics(first);

            // The rest of the session: the take-profit sells, messages keep counting, the position is gone.
            x.WebSocket.HoldAt = int.MaxValue;
            var second = await EventuallyScrapeAsync(http, url,
                e => e.Value("upbithft_open_positions") == 0 && e.Value("upbithft_orders_total", ("side", "ask"), ("type", "market"), ("outcome", "done")) == 1
                     && x.WebSocket.Sent == script.Count && e.Sum("upbithft_messages_total") >= script.Count,
                "the exit is done and the session played", log);
            Assert.True(second.Sum("upbithft_messages_total") > first.Sum("upbithft_messages_total"), "messages increase between two scrapes");
            Assert.True(second.Value("upbithft_messages_total", ("kind", "orderbook")) > first.Value("upbithft_messages_total", ("kind", "orderbook")));
            Assert.Null(second.Value("upbithft_market_data_age_seconds", ("market", "KRW-BTC"))); // held markets only
            AssertExactlyTheEngineMetrics(second); // a family without series is still declared
            Assert.True(second.Value("upbithft_realized_pnl_krw") > 0);
            Assert.Equal(2, second.Value("upbithft_tick_to_order_seconds_count"));
            Assert.Equal(0, second.Value("upbithft_messages_rejected_total"));
            await Eventually.TrueAsync(() => webhook.Received.Count >= 2, TimeSpan.FromSeconds(10), "the exit alert arrives");
        }
        finally
        {
            await stop.CancelAsync();
        }

        var result = await run.WaitAsync(TimeSpan.FromSeconds(60));
        await notifier.DisposeAsync(); // after the run, as the CLI does: the run's last alerts are sent first

        var trade = Assert.Single(result.ClosedTrades);
        Assert.Equal("take_profit", trade.ExitReason);
        Assert.Equal(["entry", "exit"], webhook.Events());
        var alerts = webhook.Json();
        Assert.Equal("KRW-BTC", alerts[0].GetProperty("market").GetString());
        Assert.Equal(500_000, alerts[0].GetProperty("price").GetDouble());
        Assert.Equal("take_profit", alerts[1].GetProperty("reason").GetString());
        Assert.Equal(trade.PnlKrw, alerts[1].GetProperty("pnl_krw").GetDecimal());
        Assert.All(webhook.Received, r => Assert.StartsWith("application/json", r.ContentType, StringComparison.Ordinal));
        Assert.Equal((2, 0, 0), (notifier.Sent, notifier.Failed, notifier.Dropped));
    }

    private static void AssertExactlyTheEngineMetrics(Exposition e)
    {
        var names = e.Types.Keys.Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(EngineMetrics.Known.Keys.Order(StringComparer.Ordinal), names);
        Assert.All(e.Samples, s => Assert.True(EngineMetrics.Problem(s.Name) is null || e.Types.ContainsKey(s.Name), $"{s.Name} is not an engine metric"));
    }

    private static async Task<Exposition> EventuallyScrapeAsync(HttpClient http, Uri url, Func<Exposition, bool> condition, string what, TextWriter log)
    {
        Exposition? last = null;
        await Eventually.TrueAsync(() =>
        {
            last = Exposition.Parse(http.GetStringAsync(new Uri(url, "metrics")).GetAwaiter().GetResult());
            return condition(last);
        }, TimeSpan.FromSeconds(30), what, () => $"engine log:{Environment.NewLine}{log}");
        return last!;
    }
}
