using UpbitHft.Engine.Markets;

namespace UpbitHft.Engine.Decisions;

public sealed partial class DecisionCore
{
    /// <summary>A trade of <paramref name="marketId"/>: candle and volume update, OCO check, entry check. Engine thread.</summary>
    public void OnTrade(int marketId, long tradeTimestampMs, double price, double volume, ActionBuffer actions)
    {
        var slot = _markets[marketId];
        var minute = tradeTimestampMs / 60_000;
        if (minute > _currentMinute)
        {
            AdvanceMinute(minute, tradeTimestampMs, actions);
        }

        if (!slot.Candle.HasTrades)
        {
            if (minute < _currentMinute)
            {
                slot.LateTrades++; // its minute is already closed
            }
            else
            {
                slot.Candle.Start(minute, price, volume);
                slot.Volume.Add(minute, price * volume);
            }
        }
        else if (minute == slot.Candle.Minute)
        {
            slot.Candle.Add(price, volume);
            slot.Volume.Add(minute, price * volume);
        }
        else
        {
            // Earlier than the forming candle (Upbit delivers late trades from the previous second, see the
            // 2021-04-17 capture): the minute is closed, so it changes neither candle nor volume. Counted.
            slot.LateTrades++;
        }

        slot.LastPrice = price;
        slot.LastTradeMs = tradeTimestampMs;
        MarkFresh(slot, actions);
        OnPrice(slot, price, tradeTimestampMs, actions);
    }

    /// <summary>
    /// The last trade price of a held market read over REST while its feed is stale or down: the OCO exits are
    /// checked against it (no candle, volume or freshness change). Engine thread.
    /// </summary>
    public void OnRestPrice(int marketId, long timestampMs, double price, ActionBuffer actions)
    {
        var slot = _markets[marketId];
        if (price <= 0 || slot.Position.State is not (PositionState.Open or PositionState.Exiting))
        {
            return;
        }

        slot.LastPrice = price;
        OnPrice(slot, price, timestampMs, actions);
    }

    private void OnPrice(MarketSlot slot, double price, long nowMs, ActionBuffer actions)
    {
        var position = slot.Position;
        if (position.State == PositionState.Open)
        {
            CheckExits(slot, price, nowMs, actions);
        }
        else if (position.State == PositionState.Exiting)
        {
            RetryExitIfDue(slot, nowMs, actions);
        }
        else if (position.State == PositionState.Flat)
        {
            TryEnter(slot, nowMs, actions);
        }
    }

    /// <summary>A full top-N book of <paramref name="marketId"/> (Upbit books are snapshots, not deltas). Engine thread.</summary>
    public void OnOrderbook(int marketId, long timestampMs, double totalBidSize, double totalAskSize, double bestBid, double bestAsk, ActionBuffer actions)
    {
        var slot = _markets[marketId];
        slot.TotalBidSize = totalBidSize;
        slot.TotalAskSize = totalAskSize;
        slot.BestBid = bestBid;
        slot.BestAsk = bestAsk;
        slot.BookTimestampMs = timestampMs;
        MarkFresh(slot, actions);
        if (slot.Position.State == PositionState.Flat && slot.LastPrice > 0)
        {
            TryEnter(slot, timestampMs, actions);
        }
    }

    /// <summary>
    /// Time passes without trades: closes finished minutes, retries due exits, notices silent held markets and asks
    /// the exchange about overdue orders. <paramref name="nowMs"/> is exchange time as the engine knows it (the
    /// latest event's timestamp, advanced by the engine's timer in live modes). Engine thread.
    /// </summary>
    public void OnTimer(long nowMs, ActionBuffer actions)
    {
        var minute = nowMs / 60_000;
        if (minute > _currentMinute)
        {
            AdvanceMinute(minute, nowMs, actions);
        }

        foreach (var slot in _markets)
        {
            var p = slot.Position;
            if (p.State == PositionState.Exiting)
            {
                RetryExitIfDue(slot, nowMs, actions);
            }

            if (slot.RetryPending && nowMs >= slot.CooldownUntilMs)
            {
                slot.RetryPending = false;
                UpdateRankingKey(slot, nowMs); // the pause after a refused entry is over: a candidate again now, not at the next minute
            }

            if (p.State is PositionState.Open or PositionState.Exiting && p.HeldSinceMs == 0)
            {
                p.HeldSinceMs = nowMs; // restored at start-up: silent only from now, not since the epoch
            }

            if (p.State is PositionState.Open or PositionState.Exiting && !slot.Stale
                && nowMs - Math.Max(Math.Max(slot.LastTradeMs, slot.BookTimestampMs), p.HeldSinceMs) > _options.StaleDataMs)
            {
                // A held market went quiet while time moves on: its stop cannot trust the feed. Say so (the edge
                // reconnects the feed), watch its price over REST meanwhile, and stop entries until it is fresh.
                slot.Stale = true;
                _staleHeld++;
                ref var stale = ref actions.Add(ActionKind.MarketStale, slot.Id);
                stale.TimestampMs = nowMs;
                stale.Price = slot.LastPrice;
                if (!slot.Watched)
                {
                    Watch(slot, nowMs, actions);
                }
            }

            if (p.ExitFundsPending && nowMs >= p.OverdueAtMs)
            {
                BookExitEstimate(slot, nowMs, actions);
            }
            else if (p.OverdueAtMs > 0 && nowMs >= p.OverdueAtMs)
            {
                // No final answer yet: say so and ask the exchange (again every timeout while it lasts).
                var intent = p.State == PositionState.Entering ? p.EntryIntentId : p.ExitIntentId != 0 ? p.ExitIntentId : p.TakeProfitIntentId;
                p.OverdueAtMs = nowMs + _options.OrderTimeoutMs;
                ref var a = ref actions.Add(ActionKind.OrderOverdue, slot.Id);
                a.IntentId = intent;
                a.TimestampMs = nowMs;
                RefreshIfLive(slot, intent, nowMs, actions);
            }
        }
    }

    /// <summary>
    /// The exchange clock entered a new minute: every market's forming candle of an earlier minute is final (Upbit's
    /// candles are per UTC minute), so close it, commit its close to the RSI, and roll every volume window forward.
    /// A minute without trades has no candle: the RSI simply gets no close for it (Upbit's candle list skips it too),
    /// while the volume window records 0 KRW for it. O(markets) once per minute.
    /// </summary>
    private void AdvanceMinute(long minute, long nowMs, ActionBuffer actions)
    {
        _currentMinute = minute;
        foreach (var slot in _markets)
        {
            var closing = slot.Candle.HasTrades && slot.Candle.Minute < minute;
            slot.Volume.AdvanceTo(minute);
            if (closing)
            {
                ref var c = ref slot.Candle;
                slot.Rsi.Update(c.Close);
                ref var a = ref actions.Add(ActionKind.CandleClosed, slot.Id);
                a.CandleMinute = c.Minute;
                a.Open = c.Open;
                a.High = c.High;
                a.Low = c.Low;
                a.Price = c.Close;
                a.CandleVolume = c.Volume;
                a.CandleValue = c.Value;
                a.Rsi = slot.Rsi.Value;
                a.SurgeRatio = slot.Volume.SurgeRatio;
                a.TimestampMs = nowMs;
                c = default;
            }

            UpdateRankingKey(slot, nowMs);
        }
    }

    private void UpdateRankingKey(MarketSlot slot, long nowMs)
    {
        var eligible = slot.Tradable && slot.Position.State == PositionState.Flat && nowMs >= slot.CooldownUntilMs
            && slot.Volume.IsReady && slot.Volume.MeanPrevious >= _options.LiquidityFloorKrwPerMinute;
        _ranking.Update(slot.Id, eligible ? slot.Volume.SurgeRatio : -1);
        _candidatesDirty = true;
    }

    private void RefreshCandidates()
    {
        if (_candidatesDirty)
        {
            _candidateCount = _ranking.TopK(_candidates, 0);
            _candidatesDirty = false;
        }
    }

    private bool IsCandidate(int marketId)
    {
        RefreshCandidates();
        for (var i = 0; i < _candidateCount; i++)
        {
            if (_candidates[i] == marketId)
            {
                return true;
            }
        }

        return false;
    }
}
