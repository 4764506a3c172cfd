using UpbitHft.Engine.Markets;
using UpbitHft.Gateway.Errors;
using UpbitHft.Gateway.Orders;

namespace UpbitHft.Engine.Decisions;

/// <summary>
/// Order answers, whichever way they came (gateway, paper exchange, private socket). Amounts are cumulative per
/// order, so duplicates and re-ordering never double-count; an unknown outcome changes nothing but is remembered;
/// only a final answer moves a position on.
/// </summary>
public sealed partial class DecisionCore
{
    /// <summary>Unknown intents seen (late or duplicated updates of finished orders); they change nothing.</summary>
    public long UnknownOrderUpdates { get; private set; }

    /// <summary>An order event from the gateway or the private feed. Engine thread.</summary>
    public void OnOrderUpdate(in OrderUpdate update, ActionBuffer actions)
    {
        if (!_intents.TryGet(update.IntentId, out var marketId, out var role))
        {
            UnknownOrderUpdates++;
            return;
        }

        var slot = _markets[marketId];
        slot.BalanceFresh = false; // a balance read before this order event does not include it
        _coinEventRequest[marketId] = _balanceRequests;
        if (update.Kind != OrderEventKind.Unknown)
        {
            _krwEventRequest = _balanceRequests; // nor does a KRW read answering no later request
        }
        switch (role)
        {
            case IntentRole.Entry:
                OnEntryUpdate(slot, update, actions);
                break;
            case IntentRole.TakeProfit:
                OnTakeProfitUpdate(slot, update, actions);
                break;
            case IntentRole.Exit:
                OnExitUpdate(slot, update, actions);
                break;
        }
    }

    private void OnTakeProfitUpdate(MarketSlot slot, in OrderUpdate u, ActionBuffer actions)
    {
        var p = slot.Position;
        if (u.IntentId != p.TakeProfitIntentId || p.State is not (PositionState.Open or PositionState.Exiting))
        {
            UnknownOrderUpdates++;
            return;
        }

        if (u.Kind == OrderEventKind.Unknown)
        {
            return; // the gateway looks it up; a cancel asked for meanwhile waits for the answer there
        }

        p.TakeProfitSoldVolume = Math.Max(p.TakeProfitSoldVolume, u.ExecutedVolume);
        p.TakeProfitFunds = Math.Max(p.TakeProfitFunds, FundsOf(u, p.TakeProfitSoldVolume, p.Target));
        p.TakeProfitFees = Math.Max(p.TakeProfitFees, u.PaidFee);
        switch (u.Kind)
        {
            case OrderEventKind.Done:
                // The limit filled: the take-profit won, the stop is disarmed in this same step.
                _intents.Remove(p.TakeProfitIntentId);
                p.TakeProfitResting = false;
                p.StopArmed = false;
                p.TargetArmed = false;
                p.AwaitingTakeProfitCancel = false;
                p.ExitReason = ExitReason.TakeProfit;
                p.State = PositionState.Exiting;
                if (p.ExitIntentId != 0)
                {
                    break; // an exit order is out: its answer closes the trade
                }

                if (p.HeldVolume >= Dust)
                {
                    SubmitSell(slot, u.TimestampMs, actions); // more was bought than the limit held: sell the rest too
                }
                else
                {
                    CloseTrade(slot, u.TimestampMs, actions);
                }

                break;
            case OrderEventKind.Cancelled:
            case OrderEventKind.Rejected:
                _intents.Remove(p.TakeProfitIntentId);
                p.TakeProfitResting = false;
                if (p.AwaitingTakeProfitCancel)
                {
                    // The stop path cancelled it first; it is final now, so sell exactly what is left.
                    p.AwaitingTakeProfitCancel = false;
                    p.OverdueAtMs = 0;
                    SubmitSell(slot, u.TimestampMs, actions);
                }
                else if (p.State == PositionState.Open)
                {
                    // Gone without our asking (or never placed): the engine watches the target itself again.
                    p.TargetArmed = true;
                }

                break;
        }
    }

    private void OnExitUpdate(MarketSlot slot, in OrderUpdate u, ActionBuffer actions)
    {
        var p = slot.Position;
        if (p.State != PositionState.Exiting || u.IntentId != p.ExitIntentId)
        {
            UnknownOrderUpdates++;
            return;
        }

        if (u.Kind == OrderEventKind.Unknown)
        {
            p.ExitUnknown = true; // the gateway looks it up; nothing is sent again meanwhile
            return;
        }

        p.ExitUnknown = false;
        p.ExitOrderVolume = Math.Max(p.ExitOrderVolume, u.ExecutedVolume);
        p.ExitOrderFees = Math.Max(p.ExitOrderFees, u.PaidFee);
        if (u.Kind is OrderEventKind.Accepted or OrderEventKind.Fill)
        {
            p.ExitOrderFunds = Math.Max(p.ExitOrderFunds, u.FundsMissing ? 0 : u.ExecutedFunds);
            return;
        }

        if (u.FundsMissing && u.ExecutedVolume > 0 && !p.ExitFundsPending)
        {
            // Sold, but the amount is missing (a thin event): the coins are gone, so nothing is at risk; the exchange
            // is asked for the amount before the trade's P&L is booked. A second answer without it books an estimate.
            p.ExitFundsPending = true;
            p.OverdueAtMs = u.TimestampMs + _options.OrderTimeoutMs;
            RefreshIfLive(slot, p.ExitIntentId, u.TimestampMs, actions);
            return;
        }

        p.ExitOrderFunds = Math.Max(p.ExitOrderFunds, FundsOf(u, p.ExitOrderVolume, slot.LastPrice));
        CompleteExitOrder(slot, u.Kind == OrderEventKind.Rejected ? u.Error : null, u.TimestampMs, actions);
    }

    /// <summary>An exit order is final: what it sold joins the position's exits; then close, or sell the rest after a pause.</summary>
    private void CompleteExitOrder(MarketSlot slot, UpbitErrorCode? refusal, long nowMs, ActionBuffer actions)
    {
        var p = slot.Position;
        p.ExitFundsPending = false;
        if (p.SaleInFreeKrw && p.ExitIntentId != p.ReportedExitIntentId)
        {
            p.ProceedsAfterReport += p.ExitOrderFunds - p.ExitOrderFees; // placed after the last KRW report: not in it
        }

        p.ExitSoldVolume += p.ExitOrderVolume;
        p.ExitFunds += p.ExitOrderFunds;
        p.ExitFees += p.ExitOrderFees;
        p.ExitOrderVolume = p.ExitOrderFunds = p.ExitOrderFees = 0;
        _intents.Remove(p.ExitIntentId);
        p.ExitIntentId = 0;
        p.OverdueAtMs = 0;
        if (p.HeldVolume < Dust)
        {
            CloseTrade(slot, nowMs, actions);
            return;
        }

        if (refusal == UpbitErrorCode.UnderMinimum || IsDust(slot, p.HeldVolume))
        {
            CloseTrade(slot, nowMs, actions, dust: true); // not sellable: never resubmitted
            return;
        }

        if (refusal == UpbitErrorCode.InsufficientFunds)
        {
            // The exchange holds less than the engine believes: read the balances; the retry sells what is there.
            RequestBalances(slot, nowMs, actions);
        }

        // Refused, or finished with coins left: stay Exiting (the OCO is decided) and sell the rest after a pause
        // that doubles with each attempt in a row.
        ScheduleExitRetry(p, nowMs);
    }

    /// <summary>The next exit attempt after a pause of 1 s doubling with each attempt in a row, up to the maximum.</summary>
    private void ScheduleExitRetry(Position p, long nowMs)
    {
        p.ExitAttempts++;
        p.ExitRetryAtMs = nowMs + Math.Min(_options.ExitRetryMaxMs, _options.ExitRetryMs << Math.Min(30, p.ExitAttempts - 1));
    }

    /// <summary>The exchange never gave a sold exit's amount within the timeout: booked at the last price (an estimate, never zero).</summary>
    private void BookExitEstimate(MarketSlot slot, long nowMs, ActionBuffer actions)
    {
        var p = slot.Position;
        p.ExitOrderFunds = p.ExitOrderVolume * (decimal)(slot.LastPrice > 0 ? slot.LastPrice : p.ExitTriggerPrice);
        CompleteExitOrder(slot, null, nowMs, actions);
    }

    /// <summary>The funds of an update; when they are missing, the volume at <paramref name="price"/> (an estimate, never zero).</summary>
    private static decimal FundsOf(in OrderUpdate u, decimal volume, double price) =>
        u.FundsMissing && volume > 0 && price > 0 ? volume * (decimal)price : u.ExecutedFunds;
}
