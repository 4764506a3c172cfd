using UpbitHft.Engine.Markets;

namespace UpbitHft.Engine.Decisions;

/// <summary>
/// Balances are the exchange's: myAsset (one frame per currency) and <c>GET /v1/accounts</c> replace the engine's
/// beliefs about free KRW and coins. After each trade the balances are read, and coins the exchange still holds in
/// that market worth at least the minimum order are sold as a remainder (a check answered while a new buy of the
/// market is out waits until the market is flat again).
/// </summary>
public sealed partial class DecisionCore
{
    private long _balanceRequests;

    /// <summary>The newest balance request made before the last order event: a REST read answering no later one may have begun before it.</summary>
    private long _krwEventRequest;

    /// <summary>The same per market, for its coin balance.</summary>
    private readonly long[] _coinEventRequest;

    /// <summary>Asks the exchange for every balance; returns the request's number (balance reads echo the newest number they answer).</summary>
    private long RequestBalances(MarketSlot slot, long nowMs, ActionBuffer actions)
    {
        ref var a = ref actions.Add(ActionKind.RefreshBalances, slot.Id);
        a.IntentId = ++_balanceRequests;
        a.TimestampMs = nowMs;
        return a.IntentId;
    }

    /// <summary>
    /// One currency's balance as the exchange reports it: <paramref name="marketId"/> is the KRW market of the coin,
    /// or -1 for KRW itself. <paramref name="answersRequest"/>: for a REST read, the newest balance request it began
    /// after (0 for myAsset, which is current). A REST KRW figure counts only from a read that began after the last
    /// order event (it answers a request made after it), and a REST coin figure only from one that began after the
    /// market's last order event. The remainder check trusts only a read that began after the trade closed — a
    /// myAsset frame or an earlier read can predate the sale — and that began after the market's last order event,
    /// while the market is flat; otherwise the check is asked again, or deferred while a buy is out. Engine thread.
    /// </summary>
    public void OnBalance(int marketId, decimal balance, decimal locked, long answersRequest, long nowMs, ActionBuffer actions)
    {
        if (marketId < 0)
        {
            if (answersRequest == 0 || answersRequest > _krwEventRequest)
            {
                OnKrwBalance(balance, locked); // a REST read older than the last order event would undo what the core counted since
            }

            return;
        }

        var slot = _markets[marketId];
        var p = slot.Position;
        var answersCheck = slot.RemainderCheck != 0 && answersRequest >= slot.RemainderCheck;
        if (answersRequest != 0 && answersRequest <= _coinEventRequest[marketId])
        {
            // A REST read begun before the market's last order event: it may not include it (nor may it cap a sell).
            // A remainder check it answers is not answered by it: asked again, or deferred while a buy is out.
            if (answersCheck)
            {
                DeferRemainderCheck(slot, nowMs, actions);
            }

            return;
        }

        slot.ExchangeBalance = balance;
        slot.ExchangeLocked = locked;
        slot.BalanceKnown = true;
        slot.BalanceFresh = true;
        if (!answersCheck)
        {
            return;
        }

        if (p.State != PositionState.Flat)
        {
            DeferRemainderCheck(slot, nowMs, actions); // a new buy of the market is out: its coins and the remainder are one figure
            return;
        }

        slot.RemainderCheck = 0;
        var price = slot.LastPrice;
        if (price > 0 && balance >= Dust && balance * (decimal)price >= _options.MinOrderKrw)
        {
            // The trade closed but the exchange still holds coins worth selling (a fill the engine under-counted, or
            // dust whose price rose): sell them on their own, journaled as a remainder. Dust a trade already booked
            // at its value then costs that value here; under-counted coins cost nothing more (their trade paid).
            p.Clear();
            p.State = PositionState.Exiting;
            p.BoughtVolume = balance;
            TakeOverDust(slot, balance);
            p.EntryAccepted = true;
            p.ExitReason = ExitReason.Remainder;
            p.ExitTriggerPrice = price;
            UpdateRankingKey(slot, nowMs);
            SubmitSell(slot, nowMs, actions);
        }
    }

    /// <summary>A remainder sale of <paramref name="volume"/> takes the booked dust it includes as its cost.</summary>
    private static void TakeOverDust(MarketSlot slot, decimal volume)
    {
        var booked = Math.Min(volume, slot.DustVolume);
        if (booked <= 0)
        {
            return;
        }

        var value = booked == slot.DustVolume ? slot.DustValueKrw : slot.DustValueKrw * booked / slot.DustVolume;
        slot.Position.EntryFunds = value;
        slot.Position.AvgEntryPrice = (double)(value / booked);
        slot.DustVolume -= booked;
        slot.DustValueKrw -= value;
    }

    /// <summary>
    /// A remainder check that a read could not settle: asked again now if the market is flat, else kept pending (a
    /// complete read's end does not clear it) until the buy out there ends with nothing or its trade closes.
    /// </summary>
    private void DeferRemainderCheck(MarketSlot slot, long nowMs, ActionBuffer actions)
    {
        if (slot.Position.State == PositionState.Flat)
        {
            slot.RemainderCheck = RequestBalances(slot, nowMs, actions);
        }
        else
        {
            slot.RemainderDeferred = true;
        }
    }

    /// <summary>
    /// The market is flat again without a trade closing (its buy ended with nothing): a deferred remainder check is
    /// asked again, by <paramref name="request"/> if balances were just asked for, else by a new request.
    /// </summary>
    private void ResumeRemainderCheck(MarketSlot slot, long nowMs, ActionBuffer actions, long request = 0)
    {
        if (slot.RemainderDeferred)
        {
            slot.RemainderDeferred = false;
            slot.RemainderCheck = request != 0 ? request : RequestBalances(slot, nowMs, actions);
        }
    }

    /// <summary>
    /// Free KRW is the exchange's, less the reservations of buys the exchange has not locked yet. A buy's first answer
    /// can come after a balance that already has it placed (its amount and fee out of the free balance, into
    /// <paramref name="locked"/>): the locked KRW first covers what the accepted buys still lock, and what is left is
    /// buys placed there whose answer has not arrived. Only the rest of the unanswered reservations is subtracted.
    /// The balance holds what every buy known to be final really spent: a later amount no longer changes free KRW;
    /// and any part of what the sells placed so far fetched: their proceeds are not added again when the trade closes.
    /// </summary>
    private void OnKrwBalance(decimal balance, decimal locked)
    {
        decimal unanswered = 0, lockedByAccepted = 0;
        foreach (var s in _markets)
        {
            var e = s.Position;
            if (e.State != PositionState.Entering)
            {
                e.EntryInFreeKrw = e.State != PositionState.Flat;
                if (e.TakeProfitResting || e.ExitIntentId != 0 || e.ExitSoldVolume > 0 || e.TakeProfitSoldVolume > 0)
                {
                    e.SaleInFreeKrw = true; // holds an unknown part of the sales so far: none of it is added at the close
                    e.ProceedsAfterReport = 0;
                    e.ReportedExitIntentId = e.ExitIntentId;
                }

                continue;
            }

            if (e.EntryAccepted)
            {
                lockedByAccepted += Math.Max(0, Reservation(e) - e.EntryFunds - e.EntryFees);
            }
            else
            {
                unanswered += Reservation(e);
            }
        }

        var lockedForUnanswered = Math.Max(0, locked - lockedByAccepted);
        _freeKrw = balance - Math.Max(0, unanswered - lockedForUnanswered);
    }

    /// <summary>
    /// A complete REST balance read (answering request <paramref name="answersRequest"/>) ended: the markets it did
    /// not name hold none of their coin, so their remainder checks are done (a deferred one stays). Engine thread.
    /// </summary>
    public void OnBalanceSnapshotEnd(long answersRequest)
    {
        foreach (var slot in _markets)
        {
            if (slot.RemainderCheck != 0 && slot.RemainderCheck <= answersRequest && !slot.RemainderDeferred)
            {
                slot.RemainderCheck = 0;
            }
        }
    }
}
