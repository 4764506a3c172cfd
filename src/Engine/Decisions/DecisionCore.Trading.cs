using UpbitHft.Engine.Markets;
using UpbitHft.Engine.Strategy;
using UpbitHft.Gateway.Orders;

namespace UpbitHft.Engine.Decisions;

public sealed partial class DecisionCore
{
    /// <summary>Below this a held volume is dust: Upbit volumes have at most 8 decimals.</summary>
    private const decimal Dust = 0.00000001m;

    private void TryEnter(MarketSlot slot, long nowMs, ActionBuffer actions)
    {
        // Cheapest rejections first: this runs on every trade and book of a flat market.
        if (_killed || _entriesStopped || !_feedUp || _staleHeld > 0 || !IsCandidate(slot.Id) || nowMs < slot.CooldownUntilMs)
        {
            return;
        }

        if (!RiskAllowsEntry(nowMs))
        {
            return;
        }

        var surge = slot.Volume.SurgeRatio;
        if (surge < _options.SurgeMin)
        {
            return;
        }

        var rsi = slot.LiveRsi;
        if (!(rsi >= _options.RsiMin))
        {
            return; // also false while the RSI is not ready (NaN)
        }

        var bookAge = Math.Abs(nowMs - slot.BookTimestampMs);
        if (slot.BookTimestampMs == 0 || bookAge > _options.BookFreshnessMs || !(slot.TotalBidSize > slot.TotalAskSize))
        {
            return;
        }

        // 50 % of capital (initial + realised P&L), capped by free KRW less the fee Upbit locks on top of the amount.
        var capital = _options.CapitalKrw + _realizedPnl;
        var amount = Math.Min(capital * _options.PositionFraction, _freeKrw / (1 + _options.FeeRate));
        amount = Math.Floor(amount);
        if (amount < _options.MinOrderKrw)
        {
            return;
        }

        var p = slot.Position;
        p.State = PositionState.Entering;
        p.EntryIntentId = NewIntent();
        p.EntryAmountKrw = amount;
        p.EntrySubmittedMs = nowMs;
        p.EntryRsi = rsi;
        p.EntrySurge = surge;
        _freeKrw -= amount * (1 + _options.FeeRate);
        _intents.Add(p.EntryIntentId, slot.Id, IntentRole.Entry);
        UpdateRankingKey(slot, nowMs);

        ref var a = ref actions.Add(ActionKind.SubmitMarketBuy, slot.Id);
        a.IntentId = p.EntryIntentId;
        a.AmountKrw = amount;
        a.TimestampMs = nowMs;
        a.Rsi = rsi;
        a.SurgeRatio = surge;
        a.TotalBidSize = slot.TotalBidSize;
        a.TotalAskSize = slot.TotalAskSize;
        a.Price = slot.LastPrice;
    }

    private bool RiskAllowsEntry(long nowMs)
    {
        var day = nowMs / 86_400_000;
        if (day != _day)
        {
            // A new UTC day: the daily loss budget and the losing streak start again.
            _day = day;
            _dayPnl = 0;
            _consecutiveLosses = 0;
        }

        if (OpenPositions >= _options.MaxPositions)
        {
            return false;
        }

        return _dayPnl > -_options.DailyLossLimitKrw && _consecutiveLosses < _options.MaxConsecutiveLosses;
    }

    /// <summary>The OCO check on every trade of a held market: the first exit to trigger wins, the other is disarmed in the same step.</summary>
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

    private void BeginExit(MarketSlot slot, ExitReason reason, double price, long nowMs, ActionBuffer actions)
    {
        var p = slot.Position;
        p.StopArmed = false;
        p.TargetArmed = false;
        p.State = PositionState.Exiting;
        p.ExitReason = reason;
        p.ExitTriggerPrice = price;
        p.ExitSubmittedMs = nowMs;
        if (p.TakeProfitResting)
        {
            // The resting limit holds the coins: cancel it first, sell the remainder once the cancel is confirmed.
            p.AwaitingTakeProfitCancel = true;
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

    private void SubmitSell(MarketSlot slot, long nowMs, ActionBuffer actions)
    {
        var p = slot.Position;
        var volume = p.HeldVolume;
        if (volume < Dust)
        {
            CloseTrade(slot, nowMs, actions);
            return;
        }

        p.ExitIntentId = NewIntent();
        p.ExitSubmittedMs = nowMs;
        p.ExitRetryAtMs = 0;
        _intents.Add(p.ExitIntentId, slot.Id, IntentRole.Exit);
        ref var a = ref actions.Add(ActionKind.SubmitMarketSell, slot.Id);
        a.IntentId = p.ExitIntentId;
        a.Volume = volume;
        a.Exit = p.ExitReason;
        a.TimestampMs = nowMs;
        a.Price = p.ExitTriggerPrice;
        a.Target = p.Target;
        a.Stop = p.Stop;
        a.EntryPrice = p.AvgEntryPrice;
    }

    private void RetryExitIfDue(MarketSlot slot, long nowMs, ActionBuffer actions)
    {
        var p = slot.Position;
        if (p.ExitIntentId == 0 && !p.AwaitingTakeProfitCancel && p.ExitRetryAtMs > 0 && nowMs >= p.ExitRetryAtMs)
        {
            SubmitSell(slot, nowMs, actions);
        }
    }

    private void OpenPosition(MarketSlot slot, double avgPrice, long nowMs, ActionBuffer actions)
    {
        var p = slot.Position;
        p.State = PositionState.Open;
        p.AvgEntryPrice = avgPrice;
        // In decimal, then to double: 500,000 × 1.003 must be exactly 501,500 (in binary it is 501,499.99…94 or
        // 501,500.00…06 depending on the operands), or a trade at the target could miss it.
        var basis = (decimal)avgPrice;
        p.Target = (double)(basis * (1m + (decimal)_options.TakeProfit + (decimal)_options.SlippageBuffer));
        p.Stop = (double)(basis * (1m - (decimal)_options.StopLoss));
        p.StopArmed = true;
        p.TargetArmed = !_options.RestingTakeProfit;
        ref var opened = ref actions.Add(ActionKind.PositionOpened, slot.Id);
        opened.Volume = p.HeldVolume;
        opened.EntryPrice = avgPrice;
        opened.Target = p.Target;
        opened.Stop = p.Stop;
        opened.FeesKrw = p.EntryFees;
        opened.TimestampMs = nowMs;
        if (_options.RestingTakeProfit)
        {
            p.TakeProfitIntentId = NewIntent();
            p.TakeProfitResting = true;
            _intents.Add(p.TakeProfitIntentId, slot.Id, IntentRole.TakeProfit);
            ref var a = ref actions.Add(ActionKind.SubmitLimitSell, slot.Id);
            a.IntentId = p.TakeProfitIntentId;
            a.Volume = p.HeldVolume;
            a.LimitPrice = KrwTickTable.RoundUp((decimal)p.Target);
            a.Target = p.Target;
            a.Stop = p.Stop;
            a.EntryPrice = avgPrice;
            a.TimestampMs = nowMs;
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

    private void CloseTrade(MarketSlot slot, long nowMs, ActionBuffer actions)
    {
        var p = slot.Position;
        var soldVolume = p.TakeProfitSoldVolume + p.ExitSoldVolume;
        var soldFunds = p.TakeProfitFunds + p.ExitFunds;
        var fees = p.EntryFees + p.TakeProfitFees + p.ExitFees;
        var pnl = soldFunds - p.EntryFunds - fees;
        var reason = p.TakeProfitSoldVolume > p.ExitSoldVolume ? ExitReason.TakeProfit : p.ExitReason;

        ref var a = ref actions.Add(ActionKind.TradeClosed, slot.Id);
        a.Exit = reason;
        a.EntryPrice = p.AvgEntryPrice;
        a.ExitPrice = soldVolume > 0 ? (double)(soldFunds / soldVolume) : 0;
        a.Volume = p.BoughtVolume;
        a.FeesKrw = fees;
        a.PnlKrw = pnl;
        a.TimestampMs = nowMs;
        a.Target = p.Target;
        a.Stop = p.Stop;

        _realizedPnl += pnl;
        _dayPnl += pnl;
        _consecutiveLosses = pnl < 0 ? _consecutiveLosses + 1 : 0;
        _freeKrw += soldFunds - p.TakeProfitFees - p.ExitFees;

        ref var cancel = ref actions.Add(ActionKind.CancelAllOpenOrders, slot.Id);
        cancel.TimestampMs = nowMs;
        cancel.Exit = reason;

        _intents.Remove(p.EntryIntentId);
        _intents.Remove(p.TakeProfitIntentId);
        _intents.Remove(p.ExitIntentId);
        slot.CooldownUntilMs = nowMs + _options.CooldownMs;
        MarkFresh(slot); // no longer held: its silence no longer blocks entries
        p.Clear();
        UpdateRankingKey(slot, nowMs);
    }
}
