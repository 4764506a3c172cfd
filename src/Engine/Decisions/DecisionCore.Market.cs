using UpbitHft.Engine.Markets;
using UpbitHft.Engine.Strategy;

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
        MarkFresh(slot);

        var position = slot.Position;
        if (position.State == PositionState.Open)
        {
            CheckExits(slot, price, tradeTimestampMs, actions);
        }
        else if (position.State == PositionState.Exiting)
        {
            RetryExitIfDue(slot, tradeTimestampMs, actions);
        }
        else if (position.State == PositionState.Flat)
        {
            TryEnter(slot, tradeTimestampMs, actions);
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
        MarkFresh(slot);
        if (slot.Position.State == PositionState.Flat && slot.LastPrice > 0)
        {
            TryEnter(slot, timestampMs, actions);
        }
    }

    /// <summary>
    /// Time passes without trades: closes finished minutes, retries due exits, reports overdue orders.
    /// <paramref name="nowMs"/> is exchange time as the engine knows it (the latest event's timestamp). Engine thread.
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

            if (p.State is PositionState.Open or PositionState.Exiting && !slot.Stale
                && nowMs - Math.Max(slot.LastTradeMs, slot.BookTimestampMs) > _options.StaleDataMs)
            {
                // A held market went quiet while time moves on elsewhere: its stop cannot be trusted to see the
                // price. Say so (the edge reconnects the feed) and stop entries until it is fresh again.
                slot.Stale = true;
                _staleHeld++;
                ref var stale = ref actions.Add(ActionKind.MarketStale, slot.Id);
                stale.TimestampMs = nowMs;
                stale.Price = slot.LastPrice;
            }

            var submitted = p.State == PositionState.Entering ? p.EntrySubmittedMs : p.State == PositionState.Exiting ? p.ExitSubmittedMs : 0;
            if (submitted > 0 && !p.OverdueReported && nowMs - submitted > _options.OrderTimeoutMs)
            {
                p.OverdueReported = true;
                ref var a = ref actions.Add(ActionKind.OrderOverdue, slot.Id);
                a.IntentId = p.State == PositionState.Entering ? p.EntryIntentId : p.ExitIntentId;
                a.TimestampMs = nowMs;
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

    private void MarkFresh(MarketSlot slot)
    {
        if (slot.Stale)
        {
            slot.Stale = false;
            _staleHeld--;
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
