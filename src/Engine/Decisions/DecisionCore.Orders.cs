using UpbitHft.Engine.Markets;
using UpbitHft.Engine.Strategy;

namespace UpbitHft.Engine.Decisions;

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

    private void OnEntryUpdate(MarketSlot slot, in OrderUpdate u, ActionBuffer actions)
    {
        var p = slot.Position;
        if (p.State != PositionState.Entering || u.IntentId != p.EntryIntentId)
        {
            UnknownOrderUpdates++;
            return;
        }

        AccumulateFill(u, out var volume, out var funds, out var fee, p.BoughtVolume, p.EntryFunds, p.EntryFees);
        p.BoughtVolume = volume;
        p.EntryFunds = funds;
        p.EntryFees = fee;
        if (u.Kind is OrderUpdateKind.Accepted or OrderUpdateKind.Fill)
        {
            return;
        }

        // Final. What was reserved for this buy and not spent goes back to free KRW.
        _intents.Remove(p.EntryIntentId);
        var reserved = p.EntryAmountKrw * (1 + _options.FeeRate);
        _freeKrw += reserved - (p.EntryFunds + p.EntryFees);
        if (u.Kind != OrderUpdateKind.Rejected && p.BoughtVolume >= Dust && p.EntryFunds > 0)
        {
            // done, or a market buy that ended `cancel` after spending most of its amount: both are fills (API.md §6).
            OpenPosition(slot, (double)(p.EntryFunds / p.BoughtVolume), u.TimestampMs, actions);
            return;
        }

        p.Clear(); // rejected, or cancelled with nothing bought
        UpdateRankingKey(slot, u.TimestampMs);
    }

    private void OnTakeProfitUpdate(MarketSlot slot, in OrderUpdate u, ActionBuffer actions)
    {
        var p = slot.Position;
        if (u.IntentId != p.TakeProfitIntentId || p.State is not (PositionState.Open or PositionState.Exiting))
        {
            UnknownOrderUpdates++;
            return;
        }

        AccumulateFill(u, out var volume, out var funds, out var fee, p.TakeProfitSoldVolume, p.TakeProfitFunds, p.TakeProfitFees);
        p.TakeProfitSoldVolume = volume;
        p.TakeProfitFunds = funds;
        p.TakeProfitFees = fee;
        switch (u.Kind)
        {
            case OrderUpdateKind.Done:
                // The limit filled: the take-profit won, the stop is disarmed in this same step.
                _intents.Remove(p.TakeProfitIntentId);
                p.TakeProfitResting = false;
                p.StopArmed = false;
                p.ExitReason = ExitReason.TakeProfit;
                if (p.ExitIntentId == 0)
                {
                    CloseTrade(slot, u.TimestampMs, actions);
                }

                break;
            case OrderUpdateKind.Cancelled:
            case OrderUpdateKind.Rejected:
                _intents.Remove(p.TakeProfitIntentId);
                p.TakeProfitResting = false;
                if (p.AwaitingTakeProfitCancel)
                {
                    // The stop path cancelled it first; now sell what is left.
                    p.AwaitingTakeProfitCancel = false;
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

        AccumulateFill(u, out var volume, out var funds, out var fee, p.ExitSoldVolume, p.ExitFunds, p.ExitFees);
        p.ExitSoldVolume = volume;
        p.ExitFunds = funds;
        p.ExitFees = fee;
        if (u.Kind is OrderUpdateKind.Accepted or OrderUpdateKind.Fill)
        {
            return;
        }

        _intents.Remove(p.ExitIntentId);
        p.ExitIntentId = 0;
        if (p.HeldVolume < Dust)
        {
            CloseTrade(slot, u.TimestampMs, actions);
            return;
        }

        // Refused or cancelled with coins left: stay Exiting (the OCO is decided) and sell the rest after a pause.
        p.ExitRetryAtMs = u.TimestampMs + _options.ExitRetryMs;
    }

    /// <summary>Updates carry cumulative amounts: keep the largest seen, so duplicates and re-ordering cannot double-count.</summary>
    private static void AccumulateFill(in OrderUpdate u, out decimal volume, out decimal funds, out decimal fee, decimal oldVolume, decimal oldFunds, decimal oldFee)
    {
        volume = Math.Max(oldVolume, u.ExecutedVolume);
        funds = Math.Max(oldFunds, u.ExecutedFunds);
        fee = Math.Max(oldFee, u.PaidFee);
    }
}
