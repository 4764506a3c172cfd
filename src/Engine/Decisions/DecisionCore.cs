using UpbitHft.Engine.Markets;
using UpbitHft.Engine.Risk;
using UpbitHft.Engine.Scanning;

namespace UpbitHft.Engine.Decisions;

/// <summary>
/// The trading logic as pure decision code: given an event, it updates per-market state in O(1) (plus O(n) once per
/// minute boundary) and appends the actions it decides to an <see cref="ActionBuffer"/>: submit, cancel, look up,
/// watch, and informational records (closed trades, closed candles). It performs no I/O, reads no clock and
/// allocates nothing per event, so a replay of the same events gives the same actions.
/// </summary>
/// <remarks>
/// Engine thread only. Times are exchange milliseconds taken from the events (trade/book timestamps, or the
/// engine's timer), never the wall clock. The parts live in files by concern: market data (<c>.Market</c>), entries
/// (<c>.Entry</c>), the OCO exits (<c>.Oco</c>), order answers (<c>.Orders</c>), balances (<c>.Balances</c>); the risk
/// limits are <see cref="RiskGate"/>.
/// </remarks>
public sealed partial class DecisionCore
{
    private readonly DecisionOptions _options;
    private readonly MarketSlot[] _markets;
    private readonly SurgeRanking _ranking;
    private readonly IntentRegistry _intents = new();
    private readonly RiskGate _risk;
    private readonly int[] _candidates;
    private int _candidateCount;
    private bool _candidatesDirty = true;
    private long _nextIntentId;
    private long _currentMinute = long.MinValue;

    private decimal _realizedPnl;
    private decimal _freeKrw;
    private bool _killed;
    private bool _paused;
    private bool _entriesStopped;
    private bool _flattening;
    private bool _publicFeedUp = true;
    private bool _privateFeedUp = true;
    private bool _journalHealthy = true;
    private int _staleHeld;

    /// <summary>Creates the core for market ids 0..<paramref name="marketCount"/>-1, all state preallocated.</summary>
    /// <param name="options">Validated here; invalid options throw with every problem listed.</param>
    /// <param name="marketCount">Market ids the feed's market table can hand out.</param>
    /// <param name="firstIntentId">The first intent id (the engine continues from its journal after a restart).</param>
    public DecisionCore(DecisionOptions options, int marketCount, long firstIntentId = 1)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (marketCount < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(marketCount), marketCount, "At least one market is needed.");
        }

        _options = options;
        _markets = new MarketSlot[marketCount];
        for (var i = 0; i < marketCount; i++)
        {
            _markets[i] = new MarketSlot(i, options.RsiPeriod, options.SurgeWindowMinutes);
        }

        _ranking = new SurgeRanking(marketCount);
        _risk = new RiskGate(options);
        _candidates = new int[options.Candidates];
        _coinEventRequest = new long[marketCount];
        _nextIntentId = firstIntentId;
        _freeKrw = options.CapitalKrw;
    }

    /// <summary>The options in force.</summary>
    public DecisionOptions Options => _options;

    /// <summary>Markets tracked.</summary>
    public int MarketCount => _markets.Length;

    /// <summary>The state of one market (read-only use outside the engine thread is racy).</summary>
    public MarketSlot Market(int id) => _markets[id];

    /// <summary>The risk limits and the day's state.</summary>
    public RiskGate Risk => _risk;

    /// <summary>Realised P&amp;L after fees, KRW.</summary>
    public decimal RealizedPnlKrw => _realizedPnl;

    /// <summary>KRW the core believes is free (the exchange's balance less the buys it has not yet accepted).</summary>
    public decimal FreeKrw => _freeKrw;

    /// <summary>Positions not Flat.</summary>
    public int OpenPositions
    {
        get
        {
            var n = 0;
            foreach (var m in _markets)
            {
                n += m.Position.State == PositionState.Flat ? 0 : 1;
            }

            return n;
        }
    }

    /// <summary>Held markets whose data is stale (entries are blocked while any is).</summary>
    public int StaleHeldMarkets => _staleHeld;

    /// <summary>Whether the kill switch was thrown.</summary>
    public bool Killed => _killed;

    /// <summary>Whether entries are paused by the operator.</summary>
    public bool Paused => _paused;

    /// <summary>Whether the journal writes (entries stop while it does not).</summary>
    public bool JournalHealthy => _journalHealthy;

    /// <summary>The next intent id that will be used (for the journal, so a restart never reuses one).</summary>
    public long NextIntentId => _nextIntentId;

    /// <summary>Current candidates, best first.</summary>
    public ReadOnlySpan<int> Candidates
    {
        get
        {
            RefreshCandidates();
            return _candidates.AsSpan(0, _candidateCount);
        }
    }

    /// <summary>Sets a market's investment-warning flag from the market list (a flagged market is never entered). Engine thread.</summary>
    public void SetMarketStatus(int marketId, bool tradable)
    {
        _markets[marketId].Warning = !tradable;
        UpdateRankingKey(_markets[marketId], _markets[marketId].LastTradeMs);
    }

    /// <summary>Sets whether Upbit reports the market ACTIVE (PREVIEW and DELISTED are never entered). Engine thread; cheap when unchanged.</summary>
    public void SetMarketActive(int marketId, bool active)
    {
        var slot = _markets[marketId];
        if (slot.Active != active)
        {
            slot.Active = active;
            UpdateRankingKey(slot, slot.LastTradeMs);
        }
    }

    /// <summary>The journal writes again (true) or failed (false): entries stop while it fails; exits continue. Engine thread.</summary>
    public void OnJournalStatus(bool healthy) => _journalHealthy = healthy;

    /// <summary>Replaces the free-KRW estimate with the exchange's figure (start-up reconciliation). Engine thread.</summary>
    public void SetFreeKrw(decimal freeKrw) => _freeKrw = freeKrw;

    /// <summary>Seeds RSI and the volume window from finished history, oldest first (warm-up before trading). Engine thread.</summary>
    public void SeedFromCandles(int marketId, ReadOnlySpan<HistoricalCandle> oldestFirst)
    {
        var slot = _markets[marketId];
        foreach (var c in oldestFirst)
        {
            var minute = c.StartMs / 60_000;
            if (slot.Candle.HasTrades && minute <= slot.Candle.Minute)
            {
                continue;
            }

            slot.Rsi.Update(c.Close);
            slot.Volume.Seed(minute, c.ValueKrw);
            slot.LastPrice = c.Close;
        }
    }

    /// <summary>
    /// Restores a held position after a restart (from the exchange's balance and the journal's average price) and
    /// re-arms its exits. Engine thread.
    /// </summary>
    public void RestorePosition(int marketId, decimal volume, double avgEntryPrice, decimal entryFunds, decimal entryFees, ActionBuffer actions)
    {
        var p = _markets[marketId].Position;
        p.Clear();
        p.State = PositionState.Entering;
        p.BoughtVolume = volume;
        p.EntryFunds = entryFunds;
        p.EntryFees = entryFees;
        p.EntryAccepted = true;
        OpenPosition(_markets[marketId], avgEntryPrice, 0, actions);
    }

    /// <summary>Restores the risk state of the current trading day from the journal. Engine thread, before trading.</summary>
    public void RestoreRiskState(long tradingDay, decimal dayPnlKrw, int losingStreak) => _risk.Restore(tradingDay, dayPnlKrw, losingStreak);

    /// <summary>Throws the kill switch: no more entries, every held position is sold at market (reason kill_switch). Engine thread.</summary>
    public void KillSwitch(long nowMs, ActionBuffer actions)
    {
        _killed = true;
        FlattenAll(ExitReason.KillSwitch, nowMs, actions);
    }

    /// <summary>Pauses (true) or resumes (false) new entries; exits are never paused. Engine thread.</summary>
    public void SetPaused(bool paused) => _paused = paused;

    /// <summary>Stops entries for shutdown; with <paramref name="flatten"/> also sells every position (reason shutdown). Engine thread.</summary>
    public void Shutdown(bool flatten, long nowMs, ActionBuffer actions)
    {
        _entriesStopped = true;
        if (flatten)
        {
            _flattening = true;
            FlattenAll(ExitReason.Shutdown, nowMs, actions);
        }
    }

    /// <summary>Whether entries are possible at all right now (not killed, paused, stopped, blind or without a journal).</summary>
    private bool EntriesOpen => !_killed && !_paused && !_entriesStopped && _journalHealthy && _publicFeedUp && _privateFeedUp && _staleHeld == 0;

    private void FlattenAll(ExitReason reason, long nowMs, ActionBuffer actions)
    {
        foreach (var slot in _markets)
        {
            if (slot.Position.State == PositionState.Open)
            {
                BeginExit(slot, reason, slot.LastPrice, nowMs, actions);
            }
        }
    }

    private long NewIntent() => _nextIntentId++;
}
