using UpbitHft.Engine.Markets;
using UpbitHft.Gateway.Errors;
using UpbitHft.Gateway.Orders;

namespace UpbitHft.Engine.Decisions;

public sealed partial class DecisionCore
{
    private void TryEnter(MarketSlot slot, long nowMs, ActionBuffer actions)
    {
        // Cheapest rejections first: this runs on every trade and book of a flat market.
        if (!EntriesOpen || !IsCandidate(slot.Id) || nowMs < slot.CooldownUntilMs)
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

        // The risk limits last: counting open positions walks every market (1 % of the engine thread's samples when it
        // came first, in a full-speed replay of the 520k session).
        if (!_risk.AllowsEntry(nowMs, OpenPositions))
        {
            return;
        }

        var amount = EntryAmount();
        if (amount < _options.MinEntryKrw)
        {
            return;
        }

        var p = slot.Position;
        p.State = PositionState.Entering;
        p.EntryIntentId = NewIntent();
        p.EntryAmountKrw = amount;
        p.EntrySubmittedMs = nowMs;
        p.OverdueAtMs = nowMs + _options.OrderTimeoutMs;
        p.EntryRsi = rsi;
        p.EntrySurge = surge;
        p.EntryTriggerPrice = slot.LastPrice;
        p.EntryBestPrice = slot.BestAsk;
        _freeKrw -= Reservation(p);
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
        a.TriggerPrice = slot.LastPrice;
        a.BestPrice = slot.BestAsk;
    }

    /// <summary>
    /// 50 % of capital (initial + realised P&amp;L), capped by free KRW less the fee Upbit locks on top of the amount,
    /// in whole won. An entry below the minimum is not made: a stop exit would fall under the exchange's minimum order
    /// (its coins would be stuck).
    /// </summary>
    private decimal EntryAmount()
    {
        var capital = _options.CapitalKrw + _realizedPnl;
        return Math.Floor(Math.Min(capital * _options.PositionFraction, _freeKrw / (1 + _options.FeeRate)));
    }

    /// <summary>
    /// The market buy an entry into <paramref name="marketId"/> would send if its trigger came at
    /// <paramref name="nowMs"/>: its intent id and amount, exactly as <see cref="TryEnter"/> would make them (the gateway
    /// signs it ahead). False when no entry could be made there whatever the tick.
    /// </summary>
    public bool TryForeseeEntry(int marketId, long nowMs, out long intentId, out decimal amountKrw) =>
        TryForeseeEntries(nowMs, out intentId, out amountKrw) && MayEnter(marketId);

    /// <summary>
    /// What any next entry would send (the intent id and amount do not depend on the market), or false when no entry
    /// can be made now whatever the market and the tick: entries stopped or paused, the risk limits (positions, the
    /// day's loss), too little capital.
    /// </summary>
    public bool TryForeseeEntries(long nowMs, out long intentId, out decimal amountKrw)
    {
        intentId = _nextIntentId;
        amountKrw = 0;
        if (!EntriesOpen || !_risk.AllowsEntry(nowMs, OpenPositions))
        {
            return false;
        }

        amountKrw = EntryAmount();
        return amountKrw >= _options.MinEntryKrw;
    }

    /// <summary>Whether <paramref name="marketId"/> could take an entry at all: it exists, is tradable, and holds no position or order.</summary>
    public bool MayEnter(int marketId) =>
        (uint)marketId < (uint)_markets.Length && _markets[marketId].Tradable && _markets[marketId].Position.State == PositionState.Flat;

    /// <summary>What a buy holds back from free KRW until the exchange answers: its amount plus the fee Upbit locks on top.</summary>
    private decimal Reservation(Position p) => p.EntryAmountKrw * (1 + _options.FeeRate);

    private void OnEntryUpdate(MarketSlot slot, in OrderUpdate u, ActionBuffer actions)
    {
        var p = slot.Position;
        if (u.IntentId != p.EntryIntentId || p.State == PositionState.Flat)
        {
            UnknownOrderUpdates++;
            return;
        }

        if (p.State != PositionState.Entering)
        {
            // The buy already counted as final (perhaps from an answer without amounts): a later answer with more
            // information is reconciled against the position, never ignored.
            Reconcile(slot, u, actions);
            return;
        }

        switch (u.Kind)
        {
            case OrderEventKind.Unknown:
                p.EntryUnknown = true; // the market stays blocked; the gateway keeps asking
                return;
            case OrderEventKind.Accepted:
            case OrderEventKind.Fill:
                p.EntryUnknown = false;
                p.EntryAccepted = true;
                AccumulateEntry(p, u);
                return;
            case OrderEventKind.Rejected:
                RejectEntry(slot, u, actions);
                return;
        }

        // Final (done, or cancel — a market buy ending `cancel` after spending most of its amount is a fill).
        AccumulateEntry(p, u);
        p.EntryUnknown = false;
        p.EntryAccepted = true;
        p.OverdueAtMs = 0;
        if (p.BoughtVolume < Dust)
        {
            _freeKrw += Reservation(p); // cancelled with nothing bought
            _intents.Remove(p.EntryIntentId);
            p.Clear();
            ResumeRemainderCheck(slot, u.TimestampMs, actions);
            Cooldown(slot, u.TimestampMs, transient: true);
            return;
        }

        slot.EntryRejects = 0;
        double basis;
        if (u.FundsMissing || p.EntryFunds <= 0)
        {
            // A fill without its amount (a thin myOrder event): the coins exist and must be protected now. A buy by
            // amount that is `done` spent exactly its amount; one that ended `cancel` spent at most that, estimated at
            // the price the buy was decided at. The exits are armed from that and the exchange is asked for the amount;
            // its answer re-bases them (Reconcile). The funds are never read as zero.
            var trigger = p.EntryTriggerPrice > 0 ? p.EntryTriggerPrice : slot.LastPrice;
            p.EntryFunds = u.Kind == OrderEventKind.Done ? p.EntryAmountKrw : CappedEstimate(p, p.BoughtVolume * (decimal)trigger);
            basis = (double)(p.EntryFunds / p.BoughtVolume);
            p.EntryFees = Math.Max(p.EntryFees, p.EntryFunds * _options.FeeRate);
            p.BasisEstimated = true;
            RefreshIfLive(slot, p.EntryIntentId, u.TimestampMs, actions);
        }
        else
        {
            basis = (double)(p.EntryFunds / p.BoughtVolume);
        }

        // What was reserved for the buy and not spent goes back to free KRW.
        _freeKrw += Reservation(p) - (p.EntryFunds + p.EntryFees);
        OpenPosition(slot, basis, u.TimestampMs, actions);
    }

    /// <summary>An estimate of what a buy spent, never more than its amount (a buy by amount cannot spend more).</summary>
    private static decimal CappedEstimate(Position p, decimal estimate) => p.EntryAmountKrw > 0 ? Math.Min(p.EntryAmountKrw, estimate) : estimate;

    private static void AccumulateEntry(Position p, in OrderUpdate u)
    {
        p.BoughtVolume = Math.Max(p.BoughtVolume, u.ExecutedVolume);
        p.EntryFees = Math.Max(p.EntryFees, u.PaidFee);
        if (!u.FundsMissing)
        {
            p.EntryFunds = Math.Max(p.EntryFunds, u.ExecutedFunds);
        }
    }

    /// <summary>
    /// A late answer about a buy already counted as final: more volume, or the real amount behind an estimate. The
    /// position (open or exiting) takes the exchange's figures — the volume and amount of one answer covering every
    /// coin known bought, never an older partial fill's — and an open one re-bases its exits on the real fill price.
    /// </summary>
    private void Reconcile(MarketSlot slot, in OrderUpdate u, ActionBuffer actions)
    {
        var p = slot.Position;
        if (u.Kind is OrderEventKind.Unknown or OrderEventKind.Rejected)
        {
            return; // nothing to learn: the fill is known
        }

        var spentBefore = p.EntryFunds + p.EntryFees;
        var volumeBefore = p.BoughtVolume;
        p.BoughtVolume = Math.Max(p.BoughtVolume, u.ExecutedVolume);
        var rebase = false;
        // Only an answer that covers every coin known bought gives the basis: an older partial fill arriving late
        // (re-ordered) has part of the amount for part of the volume, and is not the whole buy's.
        var whole = u.ExecutedVolume >= volumeBefore;
        if (whole && !u.FundsMissing && u.ExecutedFunds > 0 && (p.BasisEstimated || u.ExecutedFunds > p.EntryFunds))
        {
            if (p.BasisEstimated && u.PaidFee > 0)
            {
                p.EntryFees = u.PaidFee; // the estimate's fee gives way to the exchange's
            }

            p.EntryFunds = u.ExecutedFunds;
            p.BasisEstimated = false;
            rebase = true;
        }
        else if (p.BasisEstimated && p.BoughtVolume > volumeBefore)
        {
            p.EntryFunds = CappedEstimate(p, p.BoughtVolume * (decimal)p.AvgEntryPrice); // more coins, still at the estimated price
        }

        p.EntryFees = Math.Max(p.EntryFees, u.PaidFee);
        if (!p.EntryInFreeKrw)
        {
            _freeKrw -= p.EntryFunds + p.EntryFees - spentBefore; // a KRW balance reported since holds the real spend already
        }
        if (rebase && p.State == PositionState.Open)
        {
            OpenPosition(slot, (double)(p.EntryFunds / p.BoughtVolume), u.TimestampMs, actions, rebase: true);
        }
    }

    private void RejectEntry(MarketSlot slot, in OrderUpdate u, ActionBuffer actions)
    {
        var p = slot.Position;
        _intents.Remove(p.EntryIntentId);
        _freeKrw += Reservation(p); // nothing was placed: the reservation comes back whole
        p.Clear();
        if (u.Error == UpbitErrorCode.InsufficientFunds)
        {
            // The exchange's balance is not what the engine believed: read it, and leave this market alone for a while.
            ResumeRemainderCheck(slot, u.TimestampMs, actions, RequestBalances(slot, u.TimestampMs, actions));
            Cooldown(slot, u.TimestampMs, transient: false);
            return;
        }

        ResumeRemainderCheck(slot, u.TimestampMs, actions);
        Cooldown(slot, u.TimestampMs, transient: true);
    }

    /// <summary>No new entry for a while: the full cooldown, or for a transient refusal a pause that doubles with each one in a row.</summary>
    private void Cooldown(MarketSlot slot, long nowMs, bool transient)
    {
        long pause;
        if (transient)
        {
            slot.EntryRejects++;
            pause = Math.Min(_options.CooldownMs, _options.EntryRetryMs << Math.Min(30, slot.EntryRejects - 1));
        }
        else
        {
            pause = _options.CooldownMs;
        }

        slot.CooldownUntilMs = Math.Max(slot.CooldownUntilMs, nowMs + pause);
        slot.RetryPending = transient;
        UpdateRankingKey(slot, nowMs);
    }
}
