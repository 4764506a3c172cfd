using HdrHistogram;
using UpbitHft.Engine.Decisions;
using UpbitHft.Engine.Journal;
using UpbitHft.Engine.Ring;
using UpbitHft.Feed.Connection;
using UpbitHft.Feed.Events;
using UpbitHft.Feed.Markets;
using UpbitHft.Gateway.Orders;
using UpbitHft.Gateway.Paper;
using UpbitHft.Engine.Runtime;
using UpbitHft.Engine.Control;
using UpbitHft.Engine.Metrics;

namespace UpbitHft.Engine.Execution;

/// <summary>
/// The engine thread's state and its one entry point: each ring event updates the paper exchange's view and the
/// decision core, and the actions that come back are executed at once — orders go to the gateway (the paper
/// exchange answers synchronously, so replay is deterministic), records go to the journal queue. Its parts live in
/// files by concern: order answers and balances (<c>.Answers</c>), executing actions (<c>.Execute</c>).
/// </summary>
/// <remarks>Engine thread only (the ring's consumer). Other threads read the counters racily for status lines.</remarks>
public sealed partial class TradingEngine : IOrderEventSink
{
    private readonly DecisionCore _core;
    private readonly PaperOrderGateway? _paper;
    private IOrderGateway? _orders;
    private readonly byte[] _identifierPrefix;
    private bool _publicFeedUp = true;
    private bool _privateFeedUp = true;
    private bool _shutDown;
    private readonly MarketTable _markets;
    private readonly JournalWriter? _journal;
    private readonly ActionBuffer _actions = new();
    private long _lastTimerSecond = long.MinValue;
    private long _nowMs;
    private long _lastExchangeMs;
    private long _lastExchangeNs;
    private long _sequence;
    private long _currentEventReceiveNs;
    private bool _journalHealthy = true;

    /// <summary>A paper-trading engine: orders go to a paper exchange behind the gateway interface, answered synchronously.</summary>
    public TradingEngine(DecisionCore core, PaperExchange paper, MarketTable markets, JournalWriter? journal)
    {
        _core = core;
        _markets = markets;
        _paper = new PaperOrderGateway(paper, this, id => markets.GetCode(id));
        _orders = _paper;
        _journal = journal;
        _identifierPrefix = [];
    }

    /// <summary>
    /// A live engine: orders go to a gateway attached with <see cref="AttachGateway"/>, whose answers come back through
    /// the ring as <see cref="EngineEventKind.OrderAnswer"/> events; private-feed myOrder events whose identifier
    /// starts with <paramref name="identifierPrefix"/> (this run's <c>uh-{run}-</c>) are mapped back to intents.
    /// </summary>
    public TradingEngine(DecisionCore core, MarketTable markets, JournalWriter? journal, string identifierPrefix)
    {
        _core = core;
        _markets = markets;
        _journal = journal;
        _identifierPrefix = System.Text.Encoding.ASCII.GetBytes(identifierPrefix);
    }

    /// <summary>Sets the live gateway (before the engine thread starts).</summary>
    public void AttachGateway(IOrderGateway gateway) => _orders = gateway;

    /// <summary>The paper exchange, in paper modes (null live).</summary>
    public PaperExchange? PaperExchange => _paper?.Exchange;

    /// <summary>
    /// The paper exchange's gateway, in paper modes (null live): what orders go to unless <see cref="AttachGateway"/>
    /// put something in front of it (the in-process order-path harness hands each order to a signing gateway thread too).
    /// </summary>
    public PaperOrderGateway? PaperGateway => _paper;

    /// <summary>Whether a shutdown was handled (on the engine thread or after it stopped).</summary>
    public bool IsShutDown => Volatile.Read(ref _shutDown);

    /// <summary>Candidates at the last timer second (racy read for status lines).</summary>
    public int CandidateCount;

    /// <summary>Order answers and myOrder events that named no intent of this run (other runs, manual orders).</summary>
    public long ForeignOrderEvents;

    public DecisionCore Core => _core;

    public long Trades;
    public long Tickers;
    public long Orderbooks;
    public long Other;
    public long Orders;

    /// <summary>Orders the gateway refused to queue (full queue): recorded as rejections, never lost silently.</summary>
    public long OrdersRefused;

    /// <summary>Receive → decision done, for every market event (ns).</summary>
    public LongHistogram TickToDecision { get; } = new(10_000_000_000L, 3);

    /// <summary>Parsed and published → decision done (ns): the ring hand-off and the engine's own work, without the parse.</summary>
    public LongHistogram PublishToDecision { get; } = new(10_000_000_000L, 3);

    /// <summary>Receive → order handed to the exchange, for every order a market event caused (ns).</summary>
    public LongHistogram TickToOrder { get; } = new(10_000_000_000L, 3);

    public List<ClosedTrade> ClosedTrades { get; } = [];

    /// <summary>What the engine thread publishes for metrics, health and alerts (plain fields it alone writes).</summary>
    public EngineTelemetry Telemetry { get; } = new(EnginePipeline.MarketCapacity);

    /// <summary>Called on the engine thread when a held market goes stale (live modes: reconnect the feed). Must not block.</summary>
    public Action<string>? MarketStale { get; set; }

    /// <summary>Markets whose price is watched over REST (held, feed stale or down); read by the REST watcher thread.</summary>
    public MarketWatchList Watched { get; } = new(EnginePipeline.MarketCapacity);

    /// <summary>The latest state copy for <c>upbithft control status</c> (made on the engine thread when asked).</summary>
    public EngineStatus Status { get; } = new(EnginePipeline.MarketCapacity);

    /// <summary>Whether the kill switch was thrown (the run ends once flat).</summary>
    public bool KillRequested => Volatile.Read(ref _killRequested);

    private bool _killRequested;

    public long AllocatedBytes { get; private set; }
    private long _allocatedAtStart;

    public void OnStart() => _allocatedAtStart = GC.GetAllocatedBytesForCurrentThread();

    /// <summary>
    /// Writes through the engine thread's latency histograms before it starts (their pages fault in here, not on a
    /// first recording; ≈ 2 ms for 3 MB on this VM, which inside a replay's clock was 4 % of the main job's). Before
    /// the engine thread starts.
    /// </summary>
    public void PrefaultHistograms() => LatencyHistograms.Prefault(TickToDecision, PublishToDecision, TickToOrder, HandOff, DecisionTime, AnswerToApplied);

    public void OnShutdown() => AllocatedBytes = GC.GetAllocatedBytesForCurrentThread() - _allocatedAtStart;

    /// <summary>Parsed and published → the engine thread starts on the event (ns; events that carry a publish stamp).</summary>
    public LongHistogram HandOff { get; } = new(10_000_000_000L, 3);

    /// <summary>The engine thread's work on a market event, start to decision done (ns; events that carry a publish stamp).</summary>
    public LongHistogram DecisionTime { get; } = new(10_000_000_000L, 3);

    /// <summary>Gateway answer → applied by the engine (ns): the answer ring's hop and the engine's work on it.</summary>
    public LongHistogram AnswerToApplied { get; } = new(10_000_000_000L, 3);

    /// <summary>Handles one ring event, after any gateway answers waiting on the answer ring. Engine thread.</summary>
    public void Handle(ref EngineEvent ev)
    {
        if (_answers is not null)
        {
            DrainAnswers(_answers, _answersRead!);
        }

        HandleOne(ref ev);
    }

    private void HandleOne(ref EngineEvent ev)
    {
        _currentEventReceiveNs = ev.ReceiveTimestampNs;
        var startNs = ev.PublishTimestampNs > 0 ? LatencyClock.NowNs() : 0; // stamped events only (1 in 64 at full-speed replay)
        switch (ev.Kind)
        {
            case EngineEventKind.Market:
                if (!HandleMarket(ref ev.Market))
                {
                    return; // a frame that did not parse (counted by the parser)
                }

                break;
            case EngineEventKind.FeedDown:
            case EngineEventKind.FeedUp:
                Other++;
                if (ev.Source == FeedSource.Private)
                {
                    _privateFeedUp = ev.Kind == EngineEventKind.FeedUp;
                }
                else
                {
                    _publicFeedUp = ev.Kind == EngineEventKind.FeedUp;
                }

                _core.OnFeedStatus(_publicFeedUp, _privateFeedUp, _nowMs, _actions);
                break;
            case EngineEventKind.OrderAnswer:
                Other++;
                OnOrderAnswer(ref ev);
                break;
            case EngineEventKind.Balance:
                Other++;
                OnBalanceEvent(ref ev);
                break;
            case EngineEventKind.RestPrice:
                Other++;
                _core.OnRestPrice(ev.MarketId, ev.TimestampMs, ev.Price, _actions);
                break;
            case EngineEventKind.Timer:
                AdvanceClock(ev.ReceiveTimestampNs);
                break;
            case EngineEventKind.Control:
                Other++;
                OnControl(ev.Control);
                break;
            case EngineEventKind.AnswersReady:
                return; // the answers were drained before this event
            default:
                return;
        }

        var second = _nowMs / 1000;
        var newSecond = second != _lastTimerSecond;
        if (newSecond)
        {
            _lastTimerSecond = second;
            OnSecond();
        }

        // What could change the entries the engine foresees: any action, a new second (risk day, stale markets), and
        // any event but a trade or a book (answers, balances, feed status, control, tickers' market state).
        var foresee = _hints is not null
            && (_actions.Count != 0 || newSecond || ev.Kind != EngineEventKind.Market || ev.Market.Kind is not (MarketEventKind.Trade or MarketEventKind.Orderbook));
        Execute();
        if (ev.Kind == EngineEventKind.OrderAnswer)
        {
            LatencyHistograms.Record(AnswerToApplied, LatencyClock.NowNs() - ev.ReceiveTimestampNs);
        }
        else if (ev.Kind == EngineEventKind.Market && ev.ReceiveTimestampNs > 0) // host commands carry no receive stamp
        {
            var decided = LatencyClock.NowNs();
            if (startNs > 0)
            {
                LatencyHistograms.Record(HandOff, startNs - ev.PublishTimestampNs);
                LatencyHistograms.Record(DecisionTime, decided - startNs);
            }

            LatencyHistograms.Record(TickToDecision, decided - ev.ReceiveTimestampNs);
            Telemetry.TickToDecision.Record(decided - ev.ReceiveTimestampNs); // metrics: two stores, no allocation
            if (ev.PublishTimestampNs > 0)
            {
                LatencyHistograms.Record(PublishToDecision, decided - ev.PublishTimestampNs);
            }
        }

        if (_hints is not null)
        {
            Foresee(foresee); // after the stamps: telling the gateway what to sign ahead is not part of this event's decision
        }
    }

    /// <summary>An Upbit message; false when it carries nothing (did not parse).</summary>
    private bool HandleMarket(ref MarketEvent m)
    {
        switch (m.Kind)
        {
            case MarketEventKind.Trade:
                Trades++;
                ExchangeTime(m.TradeTimestampMs);
                _paper?.OnTrade(m.MarketId, m.Price, m.Volume);
                _core.OnTrade(m.MarketId, m.TradeTimestampMs, m.Price, m.Volume, _actions);
                return true;
            case MarketEventKind.Orderbook:
                Orderbooks++;
                ExchangeTime(m.TimestampMs);
                var n = m.LevelCount;
                _paper?.OnOrderbook(m.MarketId, ((ReadOnlySpan<double>)m.AskPrices)[..n], ((ReadOnlySpan<double>)m.AskSizes)[..n],
                    ((ReadOnlySpan<double>)m.BidPrices)[..n], ((ReadOnlySpan<double>)m.BidSizes)[..n]);
                _core.OnOrderbook(m.MarketId, m.TimestampMs, m.TotalBidSize, m.TotalAskSize, m.BidPrices[0], m.AskPrices[0], _actions);
                return true;
            case MarketEventKind.Ticker:
                Tickers++;
                if (m.MarketState != MarketState.Unknown)
                {
                    _core.SetMarketActive(m.MarketId, m.MarketState == MarketState.Active);
                }

                return true;
            case MarketEventKind.MyOrder:
                Other++;
                OnMyOrder(ref m);
                return true;
            case MarketEventKind.MyAsset:
                Other++;
                OnMyAsset(ref m);
                return true;
            case MarketEventKind.None:
                return false;
            default:
                Other++;
                return true;
        }
    }
}
