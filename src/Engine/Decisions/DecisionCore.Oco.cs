using UpbitHft.Engine.Markets;
using UpbitHft.Gateway.Orders;

namespace UpbitHft.Engine.Decisions;

/// <summary>
/// The OCO exits: from the fill, a take-profit and a stop-loss armed together; the first to trigger wins and
/// disarms the other in the same step. With a resting take-profit the stop path cancels it first and sells exactly
/// what is left once the cancel is final; a fill of the limit meanwhile is honoured.
/// </summary>
public sealed partial class DecisionCore
{
    /// <summary>Below this a held volume is dust: Upbit volumes have at most 8 decimals.</summary>
    private const decimal Dust = 0.00000001m;

    /// <summary>The OCO check on every price of a held market: the first exit to trigger wins, the other is disarmed in the same step.</summary>
    private void CheckExits(MarketSlot slot, double price, long nowMs, ActionBuffer actions)
    {
        var p = slot.Position;
        if (p.StopArmed && price <= p.Stop)
        {
            BeginExit(slot, ExitReason.StopLoss, price, nowMs, actions);
        }
        else if (p.TargetArmed && price >= p.Target)
        {
            BeginExit(slot, ExitReason.TakeProfit, price, nowMs, actions);
        }
    }

    /// <summary>Arms the exits from the average fill price (or re-bases them when the real fill price replaces an estimate).</summary>
    private void OpenPosition(MarketSlot slot, double avgPrice, long nowMs, ActionBuffer actions, bool rebase = false)
    {
        var p = slot.Position;
        p.State = PositionState.Open;
        p.AvgEntryPrice = avgPrice;
        if (p.HeldSinceMs == 0)
        {
            p.HeldSinceMs = nowMs; // 0 for a position restored at start-up: the timer sets it
        }

        // In decimal, then to double: 500,000 × 1.003 must be exactly 501,500 (in binary it is 501,499.99…94 or
        // 501,500.00…06 depending on the operands), or a trade at the target could miss it.
        var basis = (decimal)avgPrice;
        p.Target = (double)(basis * (1m + (decimal)_options.TakeProfit + (decimal)_options.SlippageBuffer));
        p.Stop = (double)(basis * (1m - (decimal)_options.StopLoss));
        p.StopArmed = true;
        // A resting take-profit is placed only on a known fill price; on an estimate the engine watches the target itself.
        var rest = _options.RestingTakeProfit && !p.BasisEstimated;
        p.TargetArmed = !rest && !p.TakeProfitResting;
        ref var opened = ref actions.Add(ActionKind.PositionOpened, slot.Id);
        opened.Volume = p.HeldVolume;
        opened.EntryPrice = avgPrice;
        opened.Target = p.Target;
        opened.Stop = p.Stop;
        opened.FeesKrw = p.EntryFees;
        opened.TimestampMs = nowMs;
        opened.Estimated = p.BasisEstimated;
        opened.Rebased = rebase;
        if (rest && !p.TakeProfitResting)
        {
            p.TakeProfitIntentId = NewIntent();
            p.TakeProfitResting = true;
            _intents.Add(p.TakeProfitIntentId, slot.Id, IntentRole.TakeProfit);
            ref var a = ref actions.Add(ActionKind.SubmitLimitSell, slot.Id);
            a.IntentId = p.TakeProfitIntentId;
            a.Volume = OrderValidator.Truncate8(p.HeldVolume);
            a.LimitPrice = KrwTickTable.RoundUp((decimal)p.Target);
            a.Target = p.Target;
            a.Stop = p.Stop;
            a.EntryPrice = avgPrice;
            a.TimestampMs = nowMs;
        }

        if (rebase)
        {
            return;
        }

        if (_killed)
        {
            BeginExit(slot, ExitReason.KillSwitch, slot.LastPrice, nowMs, actions);
        }
        else if (_flattening)
        {
            BeginExit(slot, ExitReason.Shutdown, slot.LastPrice, nowMs, actions); // a buy that finished after a flattening shutdown
        }
    }

    private void BeginExit(MarketSlot slot, ExitReason reason, double price, long nowMs, ActionBuffer actions)
    {
        var p = slot.Position;
        p.StopArmed = false;
        p.TargetArmed = false;
        p.State = PositionState.Exiting;
        p.ExitReason = reason;
        p.ExitTriggerPrice = price;
        p.ExitBestPrice = slot.BestBid;
        p.ExitSubmittedMs = nowMs;
        if (p.TakeProfitResting)
        {
            // The resting limit holds the coins: cancel it first, sell the remainder once the cancel is final.
            p.AwaitingTakeProfitCancel = true;
            p.OverdueAtMs = nowMs + _options.OrderTimeoutMs;
            ref var c = ref actions.Add(ActionKind.CancelOrder, slot.Id);
            c.TargetIntentId = p.TakeProfitIntentId;
            c.Exit = reason;
            c.TimestampMs = nowMs;
            c.Price = price;
            c.Target = p.Target;
            c.Stop = p.Stop;
            return;
        }

        SubmitSell(slot, nowMs, actions);
    }

    /// <summary>
    /// Sells what is held — never more than the exchange last reported holding (when that report already includes
    /// every order of the market), truncated to Upbit's 8 decimals. Worth less than the minimum order: closed as dust.
    /// A position worth an order is never closed as dust because the exchange shows its coins locked: it waits for them.
    /// </summary>
    private void SubmitSell(MarketSlot slot, long nowMs, ActionBuffer actions)
    {
        var p = slot.Position;
        var volume = p.HeldVolume;
        var capped = slot.BalanceKnown && slot.BalanceFresh && slot.ExchangeBalance < volume;
        if (capped)
        {
            volume = slot.ExchangeBalance; // the exchange's word beats the bookkeeping
        }

        volume = OrderValidator.Truncate8(volume);
        if (volume < Dust || IsDust(slot, volume))
        {
            if (capped && !IsDust(slot, p.HeldVolume) && !IsDust(slot, slot.ExchangeBalance + slot.ExchangeLocked))
            {
                // The coins are there but locked (an order of the market not final at the exchange yet): read the
                // balances and try again after a pause, like a sell refused for funds.
                RequestBalances(slot, nowMs, actions);
                ScheduleExitRetry(p, nowMs);
                return;
            }

            CloseTrade(slot, nowMs, actions, dust: true);
            return;
        }

        p.ExitIntentId = NewIntent();
        p.ExitSubmittedMs = nowMs;
        p.ExitRetryAtMs = 0;
        p.ExitUnknown = false;
        p.OverdueAtMs = nowMs + _options.OrderTimeoutMs;
        _intents.Add(p.ExitIntentId, slot.Id, IntentRole.Exit);
        ref var a = ref actions.Add(ActionKind.SubmitMarketSell, slot.Id);
        a.IntentId = p.ExitIntentId;
        a.Volume = volume;
        a.Exit = p.ExitReason;
        a.TimestampMs = nowMs;
        a.Price = p.ExitTriggerPrice;
        a.TriggerPrice = p.ExitTriggerPrice;
        a.BestPrice = slot.BestBid;
        a.Target = p.Target;
        a.Stop = p.Stop;
        a.EntryPrice = p.AvgEntryPrice;
    }

    /// <summary>
    /// What the fills cost against the prices that triggered the decisions, in KRW (positive = paid more on the buy or
    /// received less on the sell than the triggering price) and in basis points of the entry's value. A restored
    /// position has no entry trigger and counts only its exit.
    /// </summary>
    private static (decimal Krw, double Bp) Slippage(Position p, decimal soldVolume, decimal soldFunds, double exitTrigger)
    {
        var krw = 0m;
        if (p.EntryTriggerPrice > 0 && p.BoughtVolume > 0)
        {
            krw += p.EntryFunds - (p.BoughtVolume * (decimal)p.EntryTriggerPrice);
        }

        if (exitTrigger > 0 && soldVolume > 0)
        {
            krw += (soldVolume * (decimal)exitTrigger) - soldFunds;
        }

        var basis = (decimal)(p.EntryTriggerPrice > 0 ? p.EntryTriggerPrice : p.AvgEntryPrice) * p.BoughtVolume;
        return (krw, basis > 0 ? (double)(krw / basis) * 10_000 : 0);
    }

    /// <summary>Whether <paramref name="volume"/> is worth less than the exchange's minimum order at the last price.</summary>
    private bool IsDust(MarketSlot slot, decimal volume)
    {
        var price = slot.LastPrice > 0 ? slot.LastPrice : slot.Position.AvgEntryPrice;
        return volume * (decimal)price < _options.MinOrderKrw;
    }

    private void RetryExitIfDue(MarketSlot slot, long nowMs, ActionBuffer actions)
    {
        var p = slot.Position;
        if (p.ExitIntentId == 0 && !p.AwaitingTakeProfitCancel && p.ExitRetryAtMs > 0 && nowMs >= p.ExitRetryAtMs)
        {
            SubmitSell(slot, nowMs, actions);
        }
    }

    /// <summary>
    /// Closes the trade: P&amp;L after every fee from what was sold, plus — for dust that cannot be sold — its value at
    /// the last price (remembered, so a later remainder sale of that dust counts only its gain on it). Then the engine's leftover orders in the market are cancelled and the balances are read, so
    /// a remainder the exchange still holds is found and sold.
    /// </summary>
    private void CloseTrade(MarketSlot slot, long nowMs, ActionBuffer actions, bool dust = false)
    {
        var p = slot.Position;
        var soldVolume = p.TakeProfitSoldVolume + p.ExitSoldVolume;
        var soldFunds = p.TakeProfitFunds + p.ExitFunds;
        var fees = p.EntryFees + p.TakeProfitFees + p.ExitFees;
        var price = slot.LastPrice > 0 ? slot.LastPrice : p.AvgEntryPrice;
        var dustVolume = dust ? Math.Max(0, p.HeldVolume) : 0;
        if (dust && slot.BalanceKnown && slot.BalanceFresh)
        {
            dustVolume = Math.Min(dustVolume, slot.ExchangeBalance + slot.ExchangeLocked);
        }

        var dustValue = dustVolume * (decimal)price;
        slot.DustVolume += dustVolume; // booked now: a later remainder sale of these coins costs this value
        slot.DustValueKrw += dustValue;
        var pnl = soldFunds + dustValue - p.EntryFunds - fees;
        // Dust is the reason only when nothing could be sold; a leftover after a real exit keeps that exit's reason.
        var reason = dust && soldVolume == 0 ? ExitReason.Dust : p.TakeProfitSoldVolume > p.ExitSoldVolume ? ExitReason.TakeProfit : p.ExitReason;

        ref var a = ref actions.Add(ActionKind.TradeClosed, slot.Id);
        a.Exit = reason;
        a.EntryPrice = p.AvgEntryPrice;
        a.ExitPrice = soldVolume > 0 ? (double)(soldFunds / soldVolume) : price;
        a.Volume = p.BoughtVolume;
        a.FeesKrw = fees;
        a.PnlKrw = pnl;
        a.TimestampMs = nowMs;
        a.Target = p.Target;
        a.Stop = p.Stop;
        a.Estimated = p.BasisEstimated;
        a.EntryTriggerPrice = p.EntryTriggerPrice;
        a.EntryBestPrice = p.EntryBestPrice;
        // A take-profit filled as a resting limit was triggered by its own price: the target.
        a.ExitTriggerPrice = p.ExitTriggerPrice > 0 ? p.ExitTriggerPrice : p.Target;
        a.ExitBestPrice = p.ExitBestPrice;
        (a.SlippageKrw, a.SlippageBp) = Slippage(p, soldVolume, soldFunds, a.ExitTriggerPrice);

        _realizedPnl += pnl;
        _risk.OnTradeClosed(nowMs, pnl, countsForStreak: reason != ExitReason.Remainder);
        // What the sells fetched, unless a KRW report since they were placed may hold it (then the exchange's next
        // figure, asked for below, tells; until then free KRW errs low, never high).
        _freeKrw += p.SaleInFreeKrw ? p.ProceedsAfterReport : soldFunds - p.TakeProfitFees - p.ExitFees;

        actions.Add(ActionKind.CleanUpOrders, slot.Id).TimestampMs = nowMs;
        slot.RemainderCheck = RequestBalances(slot, nowMs, actions);
        slot.RemainderDeferred = false; // this check covers the coins of any earlier one

        _intents.Remove(p.EntryIntentId);
        _intents.Remove(p.TakeProfitIntentId);
        _intents.Remove(p.ExitIntentId);
        slot.CooldownUntilMs = nowMs + _options.CooldownMs;
        MarkFresh(slot, actions); // no longer held: its silence no longer blocks entries, nor is it watched
        p.Clear();
        UpdateRankingKey(slot, nowMs);
    }
}
