using System.Diagnostics.Metrics;
using UpbitHft.Engine.Runtime;
using UpbitHft.Gateway.Rest;

namespace UpbitHft.Engine.Metrics;

/// <summary>
/// The engine's metrics as <c>System.Diagnostics.Metrics</c> instruments of one <see cref="Meter"/> named
/// <c>UpbitHft</c>, named exactly as Prometheus shows them (the Grafana dashboard and the alert rules query these
/// names; <c>deploy/README.md</c> lists them). Counters and gauges are observable: their callbacks read, at scrape
/// time, what the engine thread and the other threads keep as plain fields (<see cref="EngineTelemetry"/>, the
/// engine's message counters, the parsers, the journal, the ring, the REST client's buckets). The two latency
/// histograms are recorded by the exporter from <see cref="LatencySamples"/>, never on the engine thread.
/// </summary>
public sealed class EngineMeter : IDisposable
{
    /// <summary>The meter's name (<c>dotnet-counters monitor --counters UpbitHft</c> shows it too).</summary>
    public const string MeterName = "UpbitHft";

    /// <summary>The label names of every instrument, in the order the callbacks give them.</summary>
    public static IReadOnlyDictionary<string, string[]> LabelNames { get; } = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["upbithft_messages_total"] = ["kind"],
        ["upbithft_messages_rejected_total"] = [],
        ["upbithft_feed_up"] = ["socket"],
        ["upbithft_feed_connections_total"] = ["socket"],
        ["upbithft_feed_reconnects_total"] = ["socket"],
        ["upbithft_market_data_age_seconds"] = ["market"],
        ["upbithft_orders_total"] = ["side", "type", "outcome"],
        ["upbithft_open_positions"] = [],
        ["upbithft_realized_pnl_krw"] = [],
        ["upbithft_free_krw"] = [],
        ["upbithft_rate_limit_tokens"] = ["group"],
        ["upbithft_rate_limit_hits_total"] = ["status"],
        ["upbithft_journal_queue_depth"] = [],
        ["upbithft_journal_write_failures_total"] = [],
        ["upbithft_ring_fill_ratio"] = [],
        ["upbithft_tick_to_decision_seconds"] = [],
        ["upbithft_tick_to_order_seconds"] = [],
    };

    private readonly EnginePipeline _pipeline;

    /// <summary>Creates the instruments over a running pipeline; <paramref name="rest"/> gives the rate-limit series.</summary>
    public EngineMeter(EnginePipeline pipeline, UpbitRestClient? rest)
    {
        _pipeline = pipeline;
        var e = pipeline.Engine;
        var t = e.Telemetry;
        Meter = new Meter(MeterName);
        var sockets = pipeline.IsLive ? new[] { ("public", t.PublicFeed), ("private", t.PrivateFeed) } : [("public", t.PublicFeed)];

        Meter.CreateObservableCounter("upbithft_messages_total", () => new Measurement<long>[]
        {
            new(Volatile.Read(ref e.Trades), Tag("kind", "trade")),
            new(Volatile.Read(ref e.Orderbooks), Tag("kind", "orderbook")),
            new(Volatile.Read(ref e.Tickers), Tag("kind", "ticker")),
            new(Volatile.Read(ref e.Other), Tag("kind", "other")),
        }, description: "Messages the engine thread handled, by kind (other: private-socket, order answers, feed and control events).");
        Meter.CreateObservableCounter("upbithft_messages_rejected_total", () => pipeline.Parser.Rejected + pipeline.PrivateParser.Rejected,
            description: "Frames that did not parse or named a market not watched.");
        Meter.CreateObservableGauge("upbithft_feed_up", () => sockets.Select(s => new Measurement<int>(s.Item2.IsUp ? 1 : 0, Tag("socket", s.Item1))),
            description: "1 while the socket is connected and subscribed.");
        Meter.CreateObservableCounter("upbithft_feed_connections_total", () => sockets.Select(s => new Measurement<long>(s.Item2.Connections, Tag("socket", s.Item1))),
            description: "Successful connections of the socket.");
        Meter.CreateObservableCounter("upbithft_feed_reconnects_total", () => sockets.Select(s => new Measurement<long>(s.Item2.Reconnects, Tag("socket", s.Item1))),
            description: "Connections after the first.");
        Meter.CreateObservableGauge("upbithft_market_data_age_seconds", HeldMarketAges, unit: "s",
            description: "Seconds since the last trade or book of each market where a position is held.");
        Meter.CreateObservableCounter("upbithft_orders_total", OrderCounts, description: "Orders this run sent (paper or real), by side, type and outcome.");
        Meter.CreateObservableGauge("upbithft_open_positions", () => t.OpenPositions, description: "Positions not flat.");
        Meter.CreateObservableGauge("upbithft_realized_pnl_krw", () => (double)t.RealizedPnlKrw, unit: "KRW", description: "Realised P&L after fees since the run started.");
        Meter.CreateObservableGauge("upbithft_free_krw", () => (double)t.FreeKrw, unit: "KRW", description: "KRW the engine can spend.");
        Meter.CreateObservableGauge("upbithft_rate_limit_tokens",
            () => rest is null ? [] : rest.RateLimitGroups.Select(g => new Measurement<int>(rest.TokensAvailable(g), Tag("group", g))),
            description: "Requests each REST rate-limit group may send now.");
        Meter.CreateObservableCounter("upbithft_rate_limit_hits_total", () => rest is null ? [] : new Measurement<long>[]
        {
            new(rest.TooManyRequestsAnswers, Tag("status", "429")),
            new(rest.BlockedAnswers, Tag("status", "418")),
        }, description: "429 (too many requests) and 418 (blocked) answers from Upbit.");
        Meter.CreateObservableGauge("upbithft_journal_queue_depth", () => pipeline.Journal.QueueDepth, description: "Journal records queued, not yet written.");
        Meter.CreateObservableCounter("upbithft_journal_write_failures_total", () => pipeline.Journal.WriteFailures, description: "Failed journal writes (each retried).");
        Meter.CreateObservableGauge("upbithft_ring_fill_ratio", RingFill, description: "Share of the engine ring holding events not yet handled.");
        TickToDecision = Meter.CreateHistogram<double>("upbithft_tick_to_decision_seconds", unit: "s", description: "Receive to decision done, per market event.");
        TickToOrder = Meter.CreateHistogram<double>("upbithft_tick_to_order_seconds", unit: "s",
            description: "Receive to order handed to the gateway (live) or the paper exchange, per order a tick caused.");
    }

    /// <summary>The meter.</summary>
    public Meter Meter { get; }

    /// <summary>The engine's telemetry (latency samples to drain).</summary>
    public EngineTelemetry Telemetry => _pipeline.Engine.Telemetry;

    /// <summary>Receive → decision histogram (recorded by the exporter's drain).</summary>
    public Histogram<double> TickToDecision { get; }

    /// <summary>Receive → order histogram (recorded by the exporter's drain).</summary>
    public Histogram<double> TickToOrder { get; }

    /// <inheritdoc/>
    public void Dispose() => Meter.Dispose();

    private static KeyValuePair<string, object?> Tag(string name, string value) => new(name, value);

    private IEnumerable<Measurement<double>> HeldMarketAges()
    {
        var t = _pipeline.Engine.Telemetry;
        var markets = _pipeline.Markets;
        var n = Math.Min(markets.Count, t.MarketCapacity);
        for (var i = 0; i < n; i++)
        {
            if (t.HeldMarketDataAgeSeconds(i) is { } age)
            {
                yield return new Measurement<double>(age, Tag("market", markets.GetCode(i)));
            }
        }
    }

    private IEnumerable<Measurement<long>> OrderCounts()
    {
        var orders = _pipeline.Engine.Telemetry.Orders;
        for (var k = 0; k < OrderOutcomes.Kinds.Length; k++)
        {
            for (var o = 0; o < OrderOutcomes.Outcomes.Length; o++)
            {
                yield return new Measurement<long>(orders.Count(k, o),
                    Tag("side", OrderOutcomes.Kinds[k].Side), Tag("type", OrderOutcomes.Kinds[k].Type), Tag("outcome", OrderOutcomes.Outcomes[o]));
            }
        }
    }

    private double RingFill()
    {
        var ring = _pipeline.Ring;
        var behind = ring.Cursor - _pipeline.Processor.Sequence.Value; // racy reads of two longs: good enough for a gauge
        return Math.Clamp((double)behind / ring.BufferSize, 0, 1);
    }
}
