using UpbitHft.Engine.Ring;

namespace UpbitHft.Engine.Execution;

/// <summary>The engine's clock (exchange time, extrapolated by the timer) and the host's and operator's commands.</summary>
public sealed partial class TradingEngine
{
    /// <summary>Exchange time moves with the market data; the monotonic stamp of when lets the timer extrapolate it.</summary>
    private void ExchangeTime(long exchangeMs)
    {
        if (exchangeMs > _nowMs)
        {
            _nowMs = exchangeMs;
        }

        _lastExchangeMs = exchangeMs;
        _lastExchangeNs = _currentEventReceiveNs;
    }

    /// <summary>
    /// A timer event (live modes): exchange time is extrapolated from the last market event by the monotonic time
    /// since, so a silence of every feed still moves the engine's clock (stale markets, overdue orders) without
    /// trusting the local wall clock's offset from the exchange's.
    /// </summary>
    private void AdvanceClock(long monotonicNs)
    {
        if (_lastExchangeNs > 0 && monotonicNs > _lastExchangeNs)
        {
            var estimate = _lastExchangeMs + ((monotonicNs - _lastExchangeNs) / 1_000_000);
            if (estimate > _nowMs)
            {
                _nowMs = estimate;
            }
        }
    }

    /// <summary>Once per second of exchange time: the core's timer, and the journal's health.</summary>
    private void OnSecond()
    {
        var healthy = _journal?.Healthy ?? true;
        if (healthy != _journalHealthy)
        {
            _journalHealthy = healthy;
            _core.OnJournalStatus(healthy); // entries stop while the journal cannot write; exits continue
        }

        _core.OnTimer(_nowMs, _actions);
        CandidateCount = _core.Candidates.Length; // for status lines: other threads must not touch the core
        Telemetry.Capture(_core, _markets.Count, _nowMs); // metrics and alerts: P&L, positions, held markets' data times
    }

    private void OnControl(ControlCommand command)
    {
        switch (command)
        {
            case ControlCommand.KillSwitch:
                Volatile.Write(ref _killRequested, true);
                _core.KillSwitch(_nowMs, _actions);
                break;
            case ControlCommand.Shutdown:
                _core.Shutdown(_flattenOnShutdown, _nowMs, _actions);
                Volatile.Write(ref _shutDown, true);
                break;
            case ControlCommand.Pause:
                _core.SetPaused(true);
                break;
            case ControlCommand.Resume:
                _core.SetPaused(false);
                break;
            case ControlCommand.Status:
                Status.Capture(_core, _markets, _nowMs, _publicFeedUp, _privateFeedUp);
                break;
        }
    }

    private bool _flattenOnShutdown = true;

    /// <summary>What a <see cref="ControlCommand.Shutdown"/> event does with open positions (set before the engine thread starts).</summary>
    public bool FlattenOnShutdown { set => _flattenOnShutdown = value; }

    /// <summary>Stops entries and, if asked, sells what is held (reason shutdown). Engine thread, or any thread after the engine thread stopped.</summary>
    public void Shutdown(bool flatten)
    {
        _currentEventReceiveNs = 0;
        _core.Shutdown(flatten, _nowMs, _actions);
        Volatile.Write(ref _shutDown, true);
        Execute();
    }

    /// <summary>Restores a position found at start-up (reconciliation) and arms its exits. Before the engine thread starts.</summary>
    public void RestorePosition(int marketId, decimal volume, double avgPrice, decimal entryFunds, decimal entryFees)
    {
        _core.RestorePosition(marketId, volume, avgPrice, entryFunds, entryFees, _actions);
        Execute();
    }
}
