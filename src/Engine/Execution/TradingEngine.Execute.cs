using System.Runtime.CompilerServices;
using UpbitHft.Feed.Events;
using UpbitHft.Engine.Decisions;
using UpbitHft.Engine.Journal;
using UpbitHft.Gateway.Errors;
using UpbitHft.Gateway.Orders;
using UpbitHft.Engine.Runtime;

namespace UpbitHft.Engine.Execution;

/// <summary>Executing the decision core's actions: orders and requests to the gateway, records to the journal.</summary>
public sealed partial class TradingEngine
{
    /// <summary>
    /// Executes what the decision core asked for, if anything. Most events ask for nothing, and the body's frame is
    /// large (order commands, journal entries and their references, which the prologue must zero on every call): the
    /// check stays here, inlined, and the body is only called with actions waiting. Measured on the 520k replay: the
    /// engine's decision time per event p50 211–231 → 121–131 ns.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Execute()
    {
        if (_actions.Count != 0)
        {
            ExecuteActions();
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ExecuteActions()
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
                    Request(market, a, new OrderCommand(OrderCommandKind.Cancel, 0, a.MarketId, market, TargetIntentId: a.TargetIntentId));
                    break;
                case ActionKind.CleanUpOrders:
                    Journal(JournalKind.Decision, market, a);
                    Request(market, a, new OrderCommand(OrderCommandKind.CleanUp, 0, a.MarketId, market));
                    break;
                case ActionKind.RefreshOrder:
                    Request(market, a, new OrderCommand(OrderCommandKind.Refresh, 0, a.MarketId, market, TargetIntentId: a.TargetIntentId));
                    break;
                case ActionKind.RefreshBalances:
                    Request(market, a, new OrderCommand(OrderCommandKind.RefreshBalances, a.IntentId, a.MarketId, market));
                    break;
                case ActionKind.WatchMarket:
                case ActionKind.UnwatchMarket:
                    Watched.Set(a.MarketId, a.Kind == ActionKind.WatchMarket);
                    Journal(JournalKind.Decision, market, a);
                    break;
                case ActionKind.TradeClosed:
                    Journal(JournalKind.Decision, market, a);
                    ClosedTrades.Add(new ClosedTrade(market, a.EntryPrice, a.ExitPrice, a.Volume, JournalSchema.ExitReasonName(a.Exit) ?? "", a.FeesKrw, a.PnlKrw, a.SlippageKrw, a.SlippageBp));
                    break;
                case ActionKind.PositionOpened:
                    Journal(JournalKind.Decision, market, a);
                    break;
                case ActionKind.CandleClosed:
                    Journal(JournalKind.Candle, market, a);
                    break;
                case ActionKind.MarketStale:
                    _journal?.Enqueue(new JournalEntry(JournalKind.Error, ++_sequence, market, a, default, $"held market {market} has had no data for the stale limit; entries blocked, its price watched over REST, the feed asked to reconnect"));
                    MarketStale?.Invoke(market);
                    break;
                case ActionKind.OrderOverdue:
                    _journal?.Enqueue(new JournalEntry(JournalKind.Error, ++_sequence, market, a, default, $"order intent {a.IntentId} has no final answer after the timeout; asking the exchange"));
                    break;
            }
        }

        _actions.Clear();
    }

    private void Submit(string market, in DecisionAction a, in OrderCommand command)
    {
        var decided = LatencyClock.NowNs();
        Orders++;
        Telemetry.Orders.OnSubmitted(command.IntentId, command.Kind); // metrics hook (before a paper answer arrives)
        if (_currentEventReceiveNs > 0)
        {
            LatencyHistograms.Record(TickToOrder, decided - _currentEventReceiveNs);
            Telemetry.TickToOrder.Record(decided - _currentEventReceiveNs); // metrics hook
        }

        // The paper exchange answers inside TrySubmit, so its decision is journaled first (decision, then answer);
        // an order for any other gateway (live: the gateway ring) goes out first and the journal hears of it after: it
        // never waits for the journal.
        var journalFirst = _paper is not null && ReferenceEquals(_orders, _paper);
        if (journalFirst)
        {
            Journal(JournalKind.Decision, market, a);
        }

        var handedOff = _orders is not null && _orders.TrySubmit(command with { OriginNs = _currentEventReceiveNs, DecidedNs = decided });
        _lastHandOffMs = _nowMs; // an order keeps the order connection warm (cancels and lookups use the other one)
        if (!journalFirst)
        {
            Journal(JournalKind.Decision, market, a);
        }

        if (!handedOff)
        {
            // Refused, and said so: the core treats it like any refusal (a pause, then maybe again).
            OrdersRefused++;
            Apply(new OrderUpdate { IntentId = command.IntentId, Kind = OrderEventKind.Rejected, Error = UpbitErrorCode.NotSent, RejectReason = "queue_full", TimestampMs = _nowMs }, command.MarketId, null);
        }
    }

    /// <summary>A request that is not an order (cancel, clean-up, lookup, balances): a full queue is recorded in the journal.</summary>
    private void Request(string market, in DecisionAction a, in OrderCommand command)
    {
        if (_orders is not null && !_orders.TrySubmit(command))
        {
            OrdersRefused++;
            _journal?.Enqueue(new JournalEntry(JournalKind.Error, ++_sequence, market, a, default, $"gateway queue full: {command.Kind} refused"));
        }
    }

    private void Journal(JournalKind kind, string market, in DecisionAction a) =>
        _journal?.Enqueue(new JournalEntry(kind, ++_sequence, market, a, default, null));
}
