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
    private readonly DecisionCore _core;
    private readonly PaperOrderGateway _paper;
    private readonly IOrderGateway _orders;
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
    }

    public DecisionCore Core => _core;

    public long Trades;
    public long Tickers;
    public long Orderbooks;
    public long Other;
    public long Orders;

    /// <summary>Receive → decision done, for every market event (ns).</summary>
    public LongHistogram TickToDecision { get; } = new(10_000_000_000L, 3);

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
                _paper.OnTrade(ev.MarketId, ev.Price, ev.Volume);
                _core.OnTrade(ev.MarketId, ev.TradeTimestampMs, ev.Price, ev.Volume, _actions);
                break;
            case MarketEventKind.Orderbook:
                Orderbooks++;
                _nowMs = Math.Max(_nowMs, ev.TimestampMs);
                var n = ev.LevelCount;
                _paper.OnOrderbook(ev.MarketId, ((ReadOnlySpan<double>)ev.AskPrices)[..n], ((ReadOnlySpan<double>)ev.AskSizes)[..n],
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
                _core.OnFeedStatus(ev.Kind == MarketEventKind.FeedUp);
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
        }

        Execute();
        TickToDecision.RecordValue(Math.Max(0, MonotonicClock.NowNs() - ev.ReceiveTimestampNs));
    }

    /// <summary>Stops entries and, if asked, sells what is held (reason shutdown). Engine thread, or any thread after the engine thread stopped.</summary>
    public void Shutdown(bool flatten)
    {
        _currentEventReceiveNs = 0;
        _core.Shutdown(flatten, _nowMs, _actions);
        Execute();
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
                    _orders.TrySubmit(new OrderCommand(OrderCommandKind.Cancel, 0, a.MarketId, market, TargetIntentId: a.TargetIntentId));
                    break;
                case ActionKind.CancelAllOpenOrders:
                    Journal(JournalKind.Decision, market, a);
                    _orders.TrySubmit(new OrderCommand(OrderCommandKind.CancelAllForMarket, 0, a.MarketId, market));
                    break;
                case ActionKind.TradeClosed:
                    Journal(JournalKind.Decision, market, a);
                    ClosedTrades.Add(new ClosedTrade(market, a.EntryPrice, a.ExitPrice, a.Volume, JournalSchema.ExitReasonName(a.Exit) ?? "", a.FeesKrw, a.PnlKrw));
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
            TickToOrder.RecordValue(Math.Max(0, MonotonicClock.NowNs() - _currentEventReceiveNs));
        }

        if (!_orders.TrySubmit(command))
        {
            OnOrderEvent(new OrderEvent(OrderEventKind.Rejected, command.IntentId, command.MarketId, null, null, 0, 0, 0,
                new UpbitHft.Gateway.Errors.UpbitError(UpbitHft.Gateway.Errors.UpbitErrorCode.NotSent, 0, "queue_full", "the gateway queue was full")));
        }
    }

    /// <summary>An answer about an order: journaled and handed to the decision core. Engine thread (paper answers synchronously).</summary>
    public void OnOrderEvent(in OrderEvent e)
    {
        var update = new OrderUpdate
        {
            IntentId = e.IntentId,
            Kind = e.Kind switch
            {
                OrderEventKind.Rejected => OrderUpdateKind.Rejected,
                OrderEventKind.Done => OrderUpdateKind.Done,
                OrderEventKind.Cancelled => OrderUpdateKind.Cancelled,
                OrderEventKind.Fill => OrderUpdateKind.Fill,
                _ => OrderUpdateKind.Accepted,
            },
            ExecutedVolume = e.ExecutedVolume,
            ExecutedFunds = e.ExecutedFunds,
            PaidFee = e.PaidFee,
            RejectReason = e.Error?.Name,
            TimestampMs = _nowMs,
        };
        var market = e.MarketId >= 0 && e.MarketId < _markets.Count ? _markets.GetCode(e.MarketId) : "";
        _journal?.Enqueue(new JournalEntry(JournalKind.OrderEvent, ++_sequence, market, default, update, e.Identifier));
        _core.OnOrderUpdate(update, _actions);
    }

    private void Journal(JournalKind kind, string market, in DecisionAction a) =>
        _journal?.Enqueue(new JournalEntry(kind, ++_sequence, market, a, default, null));
}
