using UpbitHft.Engine.Ring;
using UpbitHft.Feed.Events;
using UpbitHft.Gateway.Orders;

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
        if (_lastHandOffMs == 0)
        {
            _lastHandOffMs = _nowMs; // the first second of exchange time: the warm-up just happened
        }
        else if (_keepWarmMs > 0 && _nowMs - _lastHandOffMs >= _keepWarmMs)
        {
            WarmOrderPath();
        }
    }

    private long _keepWarmMs;
    private long _lastHandOffMs;

    /// <summary>
    /// Live: after this long without anything sent to the gateway, a test order goes down the order path so its code,
    /// caches and connections stay warm for the next real order (0 = never). Set before the engine thread starts.
    /// </summary>
    public TimeSpan KeepOrderPathWarm { set => _keepWarmMs = (long)value.TotalMilliseconds; }

    private int _orderConnections = 1;

    /// <summary>Live: order connections to keep warm; each warm-up sends this many test orders at once. Before the engine thread starts.</summary>
    public int OrderConnections { set => _orderConnections = Math.Max(1, value); }

    /// <summary>Test orders sent down the order path (warm-up and keep-warm).</summary>
    public long WarmUpOrders { get; private set; }

    /// <summary>A test order (a minimum market buy, to <c>POST /v1/orders/test</c>) through the same hand-off as a real one.</summary>
    private void WarmOrderPath()
    {
        _lastHandOffMs = _nowMs;
        if (_orders is null || _paper is not null || _markets.Count == 0)
        {
            return;
        }

        var amount = _core.Options.MinOrderKrw;
        for (var i = 0; i < _orderConnections; i++)
        {
            WarmUpOrders++;
            _orders.TrySubmit(new OrderCommand(OrderCommandKind.Test, 0, 0, "", AmountKrw: amount, DecidedNs: LatencyClock.NowNs()));
        }
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
            case ControlCommand.WarmOrderPath:
                WarmOrderPath();
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
