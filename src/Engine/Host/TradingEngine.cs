using HdrHistogram;
using UpbitHft.Engine.Decisions;
using UpbitHft.Engine.Journal;
using UpbitHft.Feed.Events;
using UpbitHft.Feed.Markets;
using UpbitHft.Gateway.Orders;
using UpbitHft.Gateway.Paper;

namespace UpbitHft.Engine.Host;

/// <summary>
/// The engine thread's state and its one entry point: each market event updates the paper exchange's view and the
/// decision core, and the actions that come back are executed at once — orders go to the paper exchange
/// synchronously (so replay is deterministic), records go to the journal queue.
/// </summary>
/// <remarks>Engine thread only (the ring's consumer). Other threads read the counters racily for status lines.</remarks>
public sealed class TradingEngine : IOrderEventSink
{
    private static readonly string[] s_errorNames = Enum.GetNames<UpbitHft.Gateway.Errors.UpbitErrorCode>();

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
    private long _sequence;
    private long _currentEventReceiveNs;

    /// <summary>A paper-trading engine: orders go to a paper exchange behind the gateway interface, answered synchronously.</summary>
    public TradingEngine(DecisionCore core, PaperExchange paper, MarketTable markets, JournalWriter? journal)
    {
        _core = core;
        _paper = new PaperOrderGateway(paper, this);
        _orders = _paper;
        _markets = markets;
        _journal = journal;
        _identifierPrefix = [];
    }

    /// <summary>
    /// A live engine: orders go to a gateway attached with <see cref="AttachGateway"/>, whose answers come back through
    /// the ring as <see cref="MarketEventKind.OrderAnswer"/> events; private-feed myOrder events whose identifier
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

    /// <summary>Receive → decision done, for every market event (ns).</summary>
    public LongHistogram TickToDecision { get; } = new(10_000_000_000L, 3);

    /// <summary>Parsed and published → decision done (ns): the ring hand-off and the engine's own work, without the parse.</summary>
    public LongHistogram PublishToDecision { get; } = new(10_000_000_000L, 3);

    /// <summary>Receive → order handed to the exchange, for every order a market event caused (ns).</summary>
    public LongHistogram TickToOrder { get; } = new(10_000_000_000L, 3);

    public List<ClosedTrade> ClosedTrades { get; } = [];

    /// <summary>Called on the engine thread when a held market goes stale (live modes: reconnect the feed). Must not block.</summary>
    public Action<string>? MarketStale { get; set; }

    public long AllocatedBytes { get; private set; }
    private long _allocatedAtStart;

    public void OnStart() => _allocatedAtStart = GC.GetAllocatedBytesForCurrentThread();

    public void OnShutdown() => AllocatedBytes = GC.GetAllocatedBytesForCurrentThread() - _allocatedAtStart;

    /// <summary>Handles one market event. Engine thread.</summary>
    public void Handle(ref MarketEvent ev)
    {
        _currentEventReceiveNs = ev.ReceiveTimestampNs;
        switch (ev.Kind)
        {
            case MarketEventKind.Trade:
                Trades++;
                _nowMs = Math.Max(_nowMs, ev.TradeTimestampMs);
                _paper?.OnTrade(ev.MarketId, ev.Price, ev.Volume);
                _core.OnTrade(ev.MarketId, ev.TradeTimestampMs, ev.Price, ev.Volume, _actions);
                break;
            case MarketEventKind.Orderbook:
                Orderbooks++;
                _nowMs = Math.Max(_nowMs, ev.TimestampMs);
                var n = ev.LevelCount;
                _paper?.OnOrderbook(ev.MarketId, ((ReadOnlySpan<double>)ev.AskPrices)[..n], ((ReadOnlySpan<double>)ev.AskSizes)[..n],
                    ((ReadOnlySpan<double>)ev.BidPrices)[..n], ((ReadOnlySpan<double>)ev.BidSizes)[..n]);
                _core.OnOrderbook(ev.MarketId, ev.TimestampMs, ev.TotalBidSize, ev.TotalAskSize, ev.BidPrices[0], ev.AskPrices[0], _actions);
                break;
            case MarketEventKind.Ticker:
                Tickers++;
                if (ev.MarketState != UpbitHft.Feed.Events.MarketState.Unknown)
                {
                    _core.SetMarketActive(ev.MarketId, ev.MarketState == UpbitHft.Feed.Events.MarketState.Active);
                }

                break;
            case MarketEventKind.FeedDown:
            case MarketEventKind.FeedUp:
                Other++;
                if (ev.Source == UpbitHft.Feed.Connection.FeedSource.Private)
                {
                    var wasDown = !_privateFeedUp;
                    _privateFeedUp = ev.Kind == MarketEventKind.FeedUp;
                    if (wasDown && _privateFeedUp)
                    {
                        RefreshRestingOrders(); // myOrder has no snapshot: fills while it was down are asked for
                    }
                }
                else
                {
                    _publicFeedUp = ev.Kind == MarketEventKind.FeedUp;
                }

                // No entries unless both sockets are live: without the private feed a resting take-profit's fill would go unseen.
                _core.OnFeedStatus(_publicFeedUp && _privateFeedUp);
                break;
            case MarketEventKind.OrderAnswer:
                Other++;
                OnOrderAnswer(ref ev);
                break;
            case MarketEventKind.MyOrder:
                Other++;
                OnMyOrder(ref ev);
                break;
            case MarketEventKind.Control:
                Other++;
                if (ev.Control == ControlCommand.KillSwitch)
                {
                    _core.KillSwitch(_nowMs, _actions);
                }
                else if (ev.Control == ControlCommand.Shutdown)
                {
                    _core.Shutdown(_flattenOnShutdown, _nowMs, _actions);
                    Volatile.Write(ref _shutDown, true);
                }

                break;
            case MarketEventKind.None:
                return; // a frame that did not parse (counted by the parser)
            default:
                Other++;
                break;
        }

        var second = _nowMs / 1000;
        if (second != _lastTimerSecond)
        {
            _lastTimerSecond = second;
            _core.OnTimer(_nowMs, _actions);
            CandidateCount = _core.Candidates.Length; // for status lines: other threads must not touch the core
        }

        Execute();
        if (ev.ReceiveTimestampNs > 0) // host commands carry no receive stamp
        {
            var decided = MonotonicClock.NowNs();
            MonotonicClock.Record(TickToDecision, decided - ev.ReceiveTimestampNs);
            if (ev.PublishTimestampNs > 0)
            {
                MonotonicClock.Record(PublishToDecision, decided - ev.PublishTimestampNs);
            }
        }
    }

    private bool _flattenOnShutdown = true;

    /// <summary>What a <see cref="ControlCommand.Shutdown"/> event does with open positions (set before the engine thread starts).</summary>
    public bool FlattenOnShutdown { set => _flattenOnShutdown = value; }

    /// <summary>Stops entries and, if asked, sells what is held (reason shutdown). Engine thread, or any thread after the engine thread stopped.</summary>
    public void Shutdown(bool flatten)
    {
        _currentEventReceiveNs = 0;
        _core.Shutdown(flatten, _nowMs, _actions);
        Volatile.Write(ref _shutDown, true);
        Execute();
    }

    /// <summary>Restores a position found at start-up (reconciliation) and arms its exits. Before the engine thread starts.</summary>
    public void RestorePosition(int marketId, decimal volume, double avgPrice, decimal entryFunds, decimal entryFees)
    {
        _core.RestorePosition(marketId, volume, avgPrice, entryFunds, entryFees, _actions);
        Execute();
    }

    private void RefreshRestingOrders()
    {
        for (var i = 0; i < _markets.Count && i < _core.MarketCount; i++)
        {
            var p = _core.Market(i).Position;
            if (p.TakeProfitResting && p.TakeProfitIntentId != 0)
            {
                _orders?.TrySubmit(new OrderCommand(OrderCommandKind.Refresh, 0, i, _markets.GetCode(i), TargetIntentId: p.TakeProfitIntentId));
            }
        }
    }

    private void OnOrderAnswer(ref MarketEvent ev) =>
        Apply(Update(ev.IntentId, ev.Answer, ev.AnswerExecutedVolume, ev.AnswerExecutedFunds, ev.AnswerPaidFee,
                ev.ErrorNumber > 0 && ev.ErrorNumber < s_errorNames.Length ? s_errorNames[ev.ErrorNumber] : null),
            ev.MarketId, ev.IdentifierLength > 0 ? System.Text.Encoding.ASCII.GetString(ev.Identifier) : null);

    /// <summary>A gateway answer (live through the ring, paper directly) as the decision core reads it.</summary>
    private OrderUpdate Update(long intentId, OrderAnswerKind answer, decimal volume, decimal funds, decimal fee, string? reason) => new()
    {
        IntentId = intentId,
        Kind = answer switch
        {
            OrderAnswerKind.Accepted => OrderUpdateKind.Accepted,
            OrderAnswerKind.Fill => OrderUpdateKind.Fill,
            OrderAnswerKind.Done => OrderUpdateKind.Done,
            OrderAnswerKind.Cancelled => OrderUpdateKind.Cancelled,
            _ => OrderUpdateKind.Rejected,
        },
        ExecutedVolume = volume,
        ExecutedFunds = funds,
        PaidFee = fee,
        RejectReason = reason,
        TimestampMs = _nowMs,
    };

    /// <summary>A private-feed myOrder event: amounts are cumulative, so it may repeat what the gateway said without double counting.</summary>
    private void OnMyOrder(ref MarketEvent ev)
    {
        var identifier = ev.Identifier;
        if (_identifierPrefix.Length == 0 || !identifier.StartsWith(_identifierPrefix) || !TryParseIntent(identifier[_identifierPrefix.Length..], out var intent))
        {
            ForeignOrderEvents++;
            return;
        }

        var update = new OrderUpdate
        {
            IntentId = intent,
            Kind = ev.OrderState switch
            {
                UpbitHft.Feed.Events.OrderState.Trade => OrderUpdateKind.Fill,
                UpbitHft.Feed.Events.OrderState.Done => OrderUpdateKind.Done,
                UpbitHft.Feed.Events.OrderState.Cancel or UpbitHft.Feed.Events.OrderState.Prevented => OrderUpdateKind.Cancelled,
                _ => OrderUpdateKind.Accepted,
            },
            // Upbit's decimals arrive as doubles here: up to 15 significant digits round-trip exactly, which covers
            // 8-decimal volumes and KRW amounts below 10^7 with 8 decimals.
            ExecutedVolume = (decimal)ev.ExecutedVolume,
            // executed_funds is in Upbit's myOrder example but its presence is not confirmed everywhere (API.md §9):
            // without it, a final "done" would read as "nothing bought" and drop a position that exists.
            ExecutedFunds = (decimal)(ev.ExecutedFunds > 0 ? ev.ExecutedFunds : ev.AvgPrice * ev.ExecutedVolume),
            PaidFee = (decimal)ev.PaidFee,
            TimestampMs = _nowMs,
        };
        Apply(update, ev.MarketId, System.Text.Encoding.ASCII.GetString(identifier));
    }

    /// <summary>The intent id of <c>{intent}-{attempt}</c>, the rest of an identifier after this run's prefix.</summary>
    internal static bool TryParseIntent(ReadOnlySpan<byte> rest, out long intent)
    {
        intent = 0;
        var dash = rest.IndexOf((byte)'-');
        return dash > 0 && System.Buffers.Text.Utf8Parser.TryParse(rest[..dash], out intent, out var used) && used == dash && intent > 0;
    }

    private void Execute()
    {
        for (var i = 0; i < _actions.Count; i++)
        {
            // A copy: executing may append to the buffer (and grow it), which would invalidate a ref.
            var a = _actions[i];
            var market = a.MarketId >= 0 && a.MarketId < _markets.Count ? _markets.GetCode(a.MarketId) : "";
            switch (a.Kind)
            {
                case ActionKind.SubmitMarketBuy:
                    Submit(market, a, new OrderCommand(OrderCommandKind.MarketBuy, a.IntentId, a.MarketId, market, AmountKrw: a.AmountKrw));
                    break;
                case ActionKind.SubmitMarketSell:
                    Submit(market, a, new OrderCommand(OrderCommandKind.MarketSell, a.IntentId, a.MarketId, market, Volume: a.Volume));
                    break;
                case ActionKind.SubmitLimitSell:
                    Submit(market, a, new OrderCommand(OrderCommandKind.LimitSell, a.IntentId, a.MarketId, market, Volume: a.Volume, Price: a.LimitPrice));
                    break;
                case ActionKind.CancelOrder:
                    Journal(JournalKind.Decision, market, a);
                    _orders?.TrySubmit(new OrderCommand(OrderCommandKind.Cancel, 0, a.MarketId, market, TargetIntentId: a.TargetIntentId));
                    break;
                case ActionKind.CancelAllOpenOrders:
                    Journal(JournalKind.Decision, market, a);
                    _orders?.TrySubmit(new OrderCommand(OrderCommandKind.CancelAllForMarket, 0, a.MarketId, market));
                    break;
                case ActionKind.TradeClosed:
                    Journal(JournalKind.Decision, market, a);
                    ClosedTrades.Add(new ClosedTrade(market, a.EntryPrice, a.ExitPrice, a.Volume, JournalSchema.ExitReasonName(a.Exit) ?? "", a.FeesKrw, a.PnlKrw));
                    break;
                case ActionKind.PositionOpened:
                    Journal(JournalKind.Decision, market, a);
                    break;
                case ActionKind.CandleClosed:
                    Journal(JournalKind.Candle, market, a);
                    break;
                case ActionKind.MarketStale:
                    _journal?.Enqueue(new JournalEntry(JournalKind.Error, ++_sequence, market, a, default, $"held market {market} has had no data for the stale limit; entries blocked, asking the feed to reconnect"));
                    MarketStale?.Invoke(market);
                    break;
                case ActionKind.OrderOverdue:
                    _journal?.Enqueue(new JournalEntry(JournalKind.Error, ++_sequence, market, a, default, $"order intent {a.IntentId} has no final answer after the timeout"));
                    break;
            }
        }

        _actions.Clear();
    }

    private void Submit(string market, in DecisionAction a, in OrderCommand command)
    {
        Journal(JournalKind.Decision, market, a);
        Orders++;
        if (_currentEventReceiveNs > 0)
        {
            MonotonicClock.Record(TickToOrder, MonotonicClock.NowNs() - _currentEventReceiveNs);
        }

        if (_orders is null || !_orders.TrySubmit(command with { OriginNs = _currentEventReceiveNs }))
        {
            Apply(new OrderUpdate { IntentId = command.IntentId, Kind = OrderUpdateKind.Rejected, RejectReason = "queue_full", TimestampMs = _nowMs }, command.MarketId, null);
            return;
        }
    }

    /// <summary>An answer about an order: journaled and handed to the decision core. Engine thread (paper answers synchronously).</summary>
    public void OnOrderEvent(in OrderEvent e)
    {
        if (_paper is null)
        {
            throw new InvalidOperationException("A live engine takes order answers through its ring (RingOrderEventSink), never directly.");
        }

        Apply(Update(e.IntentId, RingOrderEventSink.ToAnswer(e.Kind), e.ExecutedVolume, e.ExecutedFunds, e.PaidFee, e.Error?.Name), e.MarketId, e.Identifier);
    }

    private void Apply(in OrderUpdate update, int marketId, string? identifier)
    {
        var market = marketId >= 0 && marketId < _markets.Count ? _markets.GetCode(marketId) : "";
        _journal?.Enqueue(new JournalEntry(JournalKind.OrderEvent, ++_sequence, market, default, update, identifier));
        _core.OnOrderUpdate(update, _actions); // what it decides is executed by the caller's Execute loop
    }

    private void Journal(JournalKind kind, string market, in DecisionAction a) =>
        _journal?.Enqueue(new JournalEntry(kind, ++_sequence, market, a, default, null));
}
