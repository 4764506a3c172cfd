using UpbitHft.Engine.Metrics;
using UpbitHft.Engine.Runtime;
using UpbitHft.Engine.Tests.Deploy;
using UpbitHft.Gateway.Rest;
using UpbitHft.TestSupport;
using UpbitHft.TestSupport.FakeUpbit;

namespace UpbitHft.Engine.Tests.Metrics;

/// <summary>
/// The exposition of a real pipeline, scraped and read back: exactly the metric names and types the dashboard and the
/// alert rules use (<see cref="EngineMetrics"/>), and values that follow the engine.
/// </summary>
public sealed class MetricsExpositionTests
{
    private static readonly Dictionary<EngineMetrics.Kind, string> s_types = new()
    {
        [EngineMetrics.Kind.Counter] = "counter",
        [EngineMetrics.Kind.Gauge] = "gauge",
        [EngineMetrics.Kind.Histogram] = "histogram",
    };

    [Fact]
    public async Task The_exposition_has_exactly_the_engine_metrics_with_their_types_and_follows_the_engine()
    {
        await using var pipeline = new EnginePipeline(new EngineSettings { InputPath = "test", StatusLines = false }, addUnknownMarkets: true);
        using var rest = new UpbitRestClient(new UpbitRestOptions { BaseUrl = new Uri("http://127.0.0.1:9") }, log: _ => { });
        var btc = pipeline.Markets.GetOrAdd("KRW-BTC");
        pipeline.Engine.RestorePosition(btc, 1m, 500_000, 500_000m, 250m); // a held market: its data age is exported
        using var meter = new EngineMeter(pipeline, rest);
        using var exporter = new PrometheusExporter(meter);
        pipeline.Start();
        var ms = SessionScript.Minute31;
        for (var i = 0; i < 30; i++)
        {
            pipeline.Publish(SessionScript.BookFrame("KRW-BTC", ms + (i * 200), 499_500m, 500_000m, 5, 10), Feed.Events.LatencyClock.NowNs());
            pipeline.Publish(SessionScript.TradeFrame("KRW-BTC", ms + (i * 200) + 100, 500_000m, 0.01m, i), Feed.Events.LatencyClock.NowNs());
        }

        pipeline.Engine.Telemetry.PublicFeed.OnStatus(up: true);
        // The trade count moves when a frame is handled, its latency sample once the decision is done: wait for both.
        await Eventually.TrueAsync(() => Volatile.Read(ref pipeline.Engine.Trades) == 30 && pipeline.Engine.Telemetry.TickToDecision.Written == 60 && pipeline.Engine.Telemetry.Captured, TimeSpan.FromSeconds(10), "the engine handled the frames");

        var e = Exposition.Parse(await exporter.ScrapeAsync());

        var expected = EngineMetrics.Known.ToDictionary(k => k.Key, k => s_types[k.Value], StringComparer.Ordinal);
        Assert.Equal(expected.OrderBy(k => k.Key), e.Types.OrderBy(k => k.Key));
        var strangers = e.Samples.Select(s => s.Name).Distinct().Where(n => EngineMetrics.Problem(n) is not null && !e.Types.ContainsKey(n)).ToArray();
        Assert.True(strangers.Length == 0, "not engine metrics: " + string.Join(", ", strangers));

        Assert.Equal(30, e.Value("upbithft_messages_total", ("kind", "trade")));
        Assert.Equal(30, e.Value("upbithft_messages_total", ("kind", "orderbook")));
        Assert.Equal(1, e.Value("upbithft_open_positions"));
        Assert.Equal(1, e.Value("upbithft_feed_up", ("socket", "public")));
        Assert.Null(e.Value("upbithft_feed_up", ("socket", "private"))); // paper: no private socket
        Assert.InRange(e.Value("upbithft_market_data_age_seconds", ("market", "KRW-BTC"))!.Value, 0, 60);
        Assert.Equal(8, e.Value("upbithft_rate_limit_tokens", ("group", "order"))); // the order group's default 8 per second, none spent
        Assert.Equal(0, e.Value("upbithft_rate_limit_hits_total", ("status", "429")));
        Assert.Equal(15, e.Samples.Count(s => s.Name == "upbithft_orders_total")); // every side/type/outcome, zeros included
        Assert.Equal(60, e.Value("upbithft_tick_to_decision_seconds_count"));
        Assert.Equal(60, e.Value("upbithft_tick_to_decision_seconds_bucket", ("le", "+Inf")));
        Assert.True(e.Value("upbithft_tick_to_decision_seconds_sum") > 0);
        Assert.Equal(PrometheusExporter.LatencyBuckets.Length + 1, e.Samples.Count(s => s.Name == "upbithft_tick_to_decision_seconds_bucket"));
        Assert.InRange(e.Value("upbithft_ring_fill_ratio")!.Value, 0, 1);
        Assert.Equal(0, e.Value("upbithft_journal_write_failures_total"));

        // Counters only grow between scrapes; the data age of a market no longer held disappears with the position.
        pipeline.Publish(SessionScript.TradeFrame("KRW-BTC", ms + 7_000, 500_000m, 0.01m, 99), Feed.Events.LatencyClock.NowNs());
        await Eventually.TrueAsync(() => Volatile.Read(ref pipeline.Engine.Trades) == 31 && pipeline.Engine.Telemetry.TickToDecision.Written == 61, TimeSpan.FromSeconds(10), "the engine handled the frame");
        var again = Exposition.Parse(await exporter.ScrapeAsync());
        Assert.Equal(31, again.Value("upbithft_messages_total", ("kind", "trade")));
        Assert.Equal(61, again.Value("upbithft_tick_to_decision_seconds_count"));
    }

    [Fact]
    public void Order_outcomes_are_counted_once_per_order_by_side_and_type()
    {
        var o = new OrderOutcomes();
        o.OnSubmitted(1, Gateway.Orders.OrderCommandKind.MarketBuy);
        o.OnAnswer(1, Gateway.Orders.OrderEventKind.Accepted);
        o.OnAnswer(1, Gateway.Orders.OrderEventKind.Fill);
        o.OnAnswer(1, Gateway.Orders.OrderEventKind.Done);
        o.OnAnswer(1, Gateway.Orders.OrderEventKind.Done); // the private socket repeats the gateway
        o.OnSubmitted(2, Gateway.Orders.OrderCommandKind.LimitSell);
        o.OnAnswer(2, Gateway.Orders.OrderEventKind.Unknown);
        o.OnAnswer(2, Gateway.Orders.OrderEventKind.Cancelled);
        o.OnSubmitted(3, Gateway.Orders.OrderCommandKind.MarketSell);
        o.OnAnswer(3, Gateway.Orders.OrderEventKind.Rejected);
        o.OnAnswer(99, Gateway.Orders.OrderEventKind.Done); // not this run's order
        o.OnSubmitted(4, Gateway.Orders.OrderCommandKind.Cancel); // not an order

        long C(int kind, string outcome) => o.Count(kind, Array.IndexOf(OrderOutcomes.Outcomes, outcome));
        Assert.Equal((1, 1, 0, 0, 0), (C(0, "accepted"), C(0, "done"), C(0, "cancelled"), C(0, "rejected"), C(0, "unknown")));
        Assert.Equal((1, 0, 1, 0, 1), (C(2, "accepted"), C(2, "done"), C(2, "cancelled"), C(2, "rejected"), C(2, "unknown")));
        Assert.Equal((0, 0, 0, 1, 0), (C(1, "accepted"), C(1, "done"), C(1, "cancelled"), C(1, "rejected"), C(1, "unknown")));
    }

    [Fact]
    public void Latency_samples_reach_the_reader_in_order_and_an_overrun_is_counted()
    {
        var s = new LatencySamples(8);
        for (var i = 1; i <= 5; i++)
        {
            s.Record(i);
        }

        var read = new List<long>();
        Assert.Equal(5, s.Drain(read.Add));
        Assert.Equal([1, 2, 3, 4, 5], read);
        Assert.Equal(0, s.Drain(read.Add));

        for (var i = 6; i <= 25; i++)
        {
            s.Record(i);
        }

        read.Clear();
        Assert.Equal(8, s.Drain(read.Add)); // the newest 8; the 12 before them were overwritten
        Assert.Equal([18, 19, 20, 21, 22, 23, 24, 25], read);
        Assert.Equal(12, s.Lost);
    }

    [Fact]
    public void The_engine_thread_with_its_telemetry_allocates_nothing_per_event_or_per_second()
    {
        var markets = new Feed.Markets.MarketTable(8);
        var btc = markets.GetOrAdd("KRW-BTC");
        var engine = new Engine.Execution.TradingEngine(new Engine.Decisions.DecisionCore(new Engine.Decisions.DecisionOptions(), 8),
            new Gateway.Paper.PaperExchange(8), markets, journal: null);
        engine.RestorePosition(btc, 1m, 500_000, 500_000m, 250m); // held: the per-second capture walks its data time
        var ms = SessionScript.Minute31;
        var ev = default(Engine.Ring.EngineEvent);
        ev.Kind = Engine.Ring.EngineEventKind.Market;
        ev.Market.MarketId = btc;

        var bytes = Allocations.SteadyState(() =>
        {
            for (var i = 0; i < 2_000; i++)
            {
                ms += 250; // four events per second of exchange time: the once-a-second capture runs 500 times
                ev.ReceiveTimestampNs = Feed.Events.LatencyClock.NowNs();
                ev.Market.Kind = Feed.Events.MarketEventKind.Trade;
                ev.Market.TradeTimestampMs = ms;
                ev.Market.Price = 500_000;
                ev.Market.Volume = 0.001;
                engine.Handle(ref ev);
            }
        });

        Assert.Equal(0, bytes);
        Assert.Equal(1, engine.Telemetry.OpenPositions);
        Assert.True(engine.Telemetry.TickToDecision.Written >= 2_000);
    }
}
