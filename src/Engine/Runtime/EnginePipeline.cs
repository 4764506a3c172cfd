using UpbitHft.Engine.Decisions;
using UpbitHft.Engine.Journal;
using UpbitHft.Engine.Ring;
using UpbitHft.Feed.Markets;
using UpbitHft.Feed.Parsing;
using UpbitHft.Gateway.Paper;
using UpbitHft.Engine.Execution;

namespace UpbitHft.Engine.Runtime;

/// <summary>
/// The parts every paper run shares, wired as docs/design.md#threads-and-data-flow: a parser writing into a ring, the engine thread consuming
/// it (market state → strategy/OCO/risk → paper exchange), the journal behind it. Replay and live paper trading
/// differ only in what feeds the parser.
/// </summary>
public sealed partial class EnginePipeline : IAsyncDisposable
{
    public const int MarketCapacity = 512;

    private long _startedAt;
    private TimeSpan _elapsed;
    private bool _finished;
    private int _gen0;

    /// <summary>
    /// Builds the pipeline. Paper (<paramref name="liveIdentifierPrefix"/> null): one producer, orders answered
    /// synchronously by the paper exchange. Live: a multi-producer ring (public feed, private feed, gateway answers,
    /// host commands each publish into it) and an engine that maps myOrder identifiers with the given prefix.
    /// </summary>
    /// <param name="settings">The run's settings.</param>
    /// <param name="addUnknownMarkets">Whether the parser adds markets it has not seen (replay) or rejects them (live data).</param>
    /// <param name="liveIdentifierPrefix">This run's identifier prefix in live mode; null for paper.</param>
    /// <param name="firstIntentId">The first intent id (continues from the journal).</param>
    /// <param name="multiProducer">Several threads publish (live data modes: feeds, timer, REST watcher, control); replay has one.</param>
    public EnginePipeline(EngineSettings settings, bool addUnknownMarkets, string? liveIdentifierPrefix = null, long firstIntentId = 1, bool multiProducer = false)
    {
        settings.Strategy.Validate();
        settings.Ring.Validate();
        Settings = settings;
        IsLive = liveIdentifierPrefix is not null;
        Markets = new MarketTable(MarketCapacity);
        Parser = new UpbitMessageParser(Markets, new UpbitParserOptions { AddUnknownMarkets = addUnknownMarkets });
        PrivateParser = new UpbitMessageParser(Markets, new UpbitParserOptions { AddUnknownMarkets = false });
        Core = new DecisionCore(settings.Strategy, MarketCapacity, firstIntentId);
        Journal = new JournalWriter(settings.JournalPath, settings.CandlesCsvPath, logger: settings.Logging.CreateLogger(typeof(JournalWriter).FullName!));
        if (liveIdentifierPrefix is null)
        {
            var paper = new PaperExchange(MarketCapacity, new PaperExchangeOptions { InitialKrw = settings.Strategy.CapitalKrw, FeeRate = settings.Strategy.FeeRate, MinOrderKrw = settings.Strategy.MinOrderKrw });
            Engine = new TradingEngine(Core, paper, Markets, Journal);
        }
        else
        {
            Engine = new TradingEngine(Core, Markets, Journal, liveIdentifierPrefix);
        }

        Engine.FlattenOnShutdown = settings.FlattenOnShutdown;
        Ring = RingBuffer<EngineEvent>.Create(settings.Ring with { MultiProducer = IsLive || multiProducer });
        if (IsLive)
        {
            // Polled by the engine before each event, never waited on: its wait strategy is never used.
            Answers = RingBuffer<EngineEvent>.CreateMultiProducer(4096, new BusySpinWaitStrategy());
            Engine.AttachAnswerRing(Answers);
        }

        if (!IsLive && !multiProducer && settings.SplitParse && settings.FixedRate is null && !settings.RealtimePacing)
        {
            Split = new SplitParse(Markets, addUnknownMarkets);
        }

        Processor = new BatchEventProcessor<EngineEvent, EngineEventHandler>(Ring, Ring.NewBarrier(), new EngineEventHandler(Engine, Split), "upbithft-engine", settings.Ring.OnHandlerException);
        Ring.AddGatingSequences(Processor.Sequence);
    }

    public EngineSettings Settings { get; }

    /// <summary>Live mode: a multi-producer ring and real order answers through it.</summary>
    public bool IsLive { get; }

    /// <summary>A full-speed replay's parsing on both cores (null otherwise, or when <see cref="EngineSettings.SplitParse"/> is off).</summary>
    public SplitParse? Split { get; }

    /// <summary>The private feed's parser (its own instance: parsers are single-threaded).</summary>
    public UpbitMessageParser PrivateParser { get; }

    /// <summary>Live: the order path's stamps (tick-to-order ends when the gateway thread has signed the request).</summary>
    public OrderPathStats? OrderPath { get; set; }

    /// <summary>Live: connections the order client opened so far.</summary>
    public Func<long>? OrderConnections { get; set; }

    /// <summary>Live: the gateway's requests signed ahead (kept, taken, dropped).</summary>
    public Func<(long Kept, long Taken, long Dropped)>? SignedAhead { get; set; }

    /// <summary>Live: the ring gateway answers arrive on, drained by the engine before every event (null in paper modes).</summary>
    public RingBuffer<EngineEvent>? Answers { get; }
    public MarketTable Markets { get; }
    public UpbitMessageParser Parser { get; }
    public DecisionCore Core { get; }
    public JournalWriter Journal { get; }
    public TradingEngine Engine { get; }
    public RingBuffer<EngineEvent> Ring { get; }
    public BatchEventProcessor<EngineEvent, EngineEventHandler> Processor { get; }

    /// <summary>Public frames published into the ring (parsed or not).</summary>
    public long Published;

    /// <summary>Private frames (myOrder, myAsset) published into the ring.</summary>
    public long PrivatePublished;

    public double ElapsedSeconds => (_finished ? _elapsed : _startedAt == 0 ? TimeSpan.Zero : Settings.Time.GetElapsedTime(_startedAt)).TotalSeconds;

    /// <summary>When the engine thread was started (wall time of <see cref="EngineSettings.Time"/>).</summary>
    public DateTimeOffset StartedUtc { get; private set; }

    /// <summary>Starts the engine thread (after any warm-up done on this thread).</summary>
    public void Start()
    {
        Engine.PrefaultHistograms();
        _gen0 = GC.CollectionCount(0);
        _startedAt = Settings.Time.GetTimestamp();
        StartedUtc = Settings.Time.GetUtcNow();
        Processor.Start();
    }

    /// <summary>Drains the ring, stops the engine thread, handles open positions per the settings, and summarises.</summary>
    public async Task<RunResult> FinishAsync(TextWriter status, long unreadable)
    {
        if (!Processor.DrainAndHalt(TimeSpan.FromSeconds(60), Settings.Time))
        {
            await status.WriteLineAsync("warning: the engine did not drain the ring within 60 s").ConfigureAwait(false);
        }

        // The engine thread has stopped (joined): finishing on this thread is ordered after everything it did.
        if (!Engine.IsShutDown)
        {
            Engine.Shutdown(Settings.FlattenOnShutdown);
        }

        _elapsed = Settings.Time.GetElapsedTime(_startedAt);
        _finished = true;
        var e = Engine;
        var messages = e.Trades + e.Tickers + e.Orderbooks + e.Other;
        var result = new RunResult
        {
            Messages = Published + PrivatePublished + unreadable,
            Trades = e.Trades,
            Tickers = e.Tickers,
            Orderbooks = e.Orderbooks,
            Other = e.Other,
            Rejected = Parser.Rejected + PrivateParser.Rejected + (Split?.Rejected ?? 0) + unreadable,
            Orders = e.Orders,
            ClosedTrades = e.ClosedTrades,
            PnlKrw = Core.RealizedPnlKrw,
            ElapsedSeconds = _elapsed.TotalSeconds,
            StartedUtc = StartedUtc,
            AllocatedBytesPerMessage = messages == 0 ? 0 : (double)e.AllocatedBytes / messages,
            Gen0Collections = GC.CollectionCount(0) - _gen0,
            JournalWriteFailures = Journal.WriteFailures,
            JournalLastError = Journal.LastError,
            OrdersRefused = e.OrdersRefused,
            TickToDecision = LatencySummary.From(e.TickToDecision),
            TickToOrder = LatencySummary.From(OrderPath?.AllReceiveToSigned ?? e.TickToOrder),
            TickToDecisionHistogram = e.TickToDecision,
            TickToOrderHistogram = OrderPath?.AllReceiveToSigned ?? e.TickToOrder,
            PublishToDecisionHistogram = e.PublishToDecision,
            ParseTimeHistogram = ParseTime.TotalCount > 0 ? ParseTime : null,
            HandOffHistogram = e.HandOff.TotalCount > 0 ? e.HandOff : null,
            DecisionTimeHistogram = e.DecisionTime.TotalCount > 0 ? e.DecisionTime : null,
            FullSpeed = FullSpeed,
            FramesParsedByEngine = Split?.EngineParsed ?? 0,
            PacedRate = IsLive ? null : Settings.FixedRate,
            OrderPath = OrderPath,
            AnswerToAppliedHistogram = IsLive ? e.AnswerToApplied : null,
            WarmUpOrders = e.WarmUpOrders,
            OrderConnections = OrderConnections?.Invoke() ?? 0,
            EntriesForeseen = e.EntriesForeseen,
            SignedAhead = SignedAhead?.Invoke() ?? default,
        };
        Journal.Enqueue(new JournalEntry(JournalKind.RunSummary, long.MaxValue, "", default, default, Reports.SummaryJson.ToJson(result)));
        return result;
    }

    /// <summary>A status line: throughput, backlog, candidates, positions, orders, P&amp;L, p99 tick-to-decision.</summary>
    public string StatusLine()
    {
        var e = Engine;
        var handled = e.Trades + e.Orderbooks + e.Tickers + e.Other;
        var seconds = Math.Max(ElapsedSeconds, 1e-9);
        return string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"status: {handled:N0} msgs ({handled / seconds:N0}/s, {Math.Max(0, Volatile.Read(ref Published) + Volatile.Read(ref PrivatePublished) - handled):N0} queued), markets {Markets.Count}, candidates {e.CandidateCount}, positions {Core.OpenPositions}, orders {e.Orders}, P&L {Core.RealizedPnlKrw:N0} KRW, p99 tick-to-decision {P99Micros(e.TickToDecision):0.0} us");
    }

    /// <summary>A racy read of the engine thread's histogram (counts only grow; good enough for a status line).</summary>
    private static double P99Micros(HdrHistogram.HistogramBase h) => h.TotalCount == 0 ? 0 : h.GetValueAtPercentile(99) / 1_000.0;

    public async ValueTask DisposeAsync()
    {
        if (Processor.IsRunning)
        {
            Processor.Halt();
        }

        await Journal.DisposeAsync().ConfigureAwait(false);
    }
}
