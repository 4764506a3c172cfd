using System.Globalization;
using System.Text;
using UpbitHft.Engine.Decisions;
using UpbitHft.Engine.Journal;
using UpbitHft.Feed.Markets;

namespace UpbitHft.Engine.Control;

/// <summary>
/// A copy of the engine's state for <c>upbithft control status</c>: taken on the engine thread when a Status command
/// arrives (into preallocated rows, no allocation there), then read by the control server's thread once
/// <see cref="Version"/> moves. The version is published last with a release store, the reader acquires it first.
/// </summary>
public sealed class EngineStatus(int capacity)
{
    private readonly Row[] _rows = new Row[capacity];
    private int _count;
    private long _version;
    private decimal _pnl;
    private decimal _freeKrw;
    private decimal _dayPnl;
    private int _losingStreak;
    private bool _paused;
    private bool _killed;
    private bool _journalHealthy;
    private bool _publicUp;
    private bool _privateUp;
    private long _nowMs;

    /// <summary>Moves each time a copy is complete.</summary>
    public long Version => Volatile.Read(ref _version);

    /// <summary>Copies the state. Engine thread.</summary>
    internal void Capture(DecisionCore core, MarketTable markets, long nowMs, bool publicUp, bool privateUp)
    {
        var n = 0;
        for (var i = 0; i < core.MarketCount && i < markets.Count && n < _rows.Length; i++)
        {
            var p = core.Market(i).Position;
            if (p.State == PositionState.Flat)
            {
                continue;
            }

            _rows[n++] = new Row(markets.GetCode(i), p.State, p.HeldVolume, p.AvgEntryPrice, p.Target, p.Stop, p.ExitReason,
                p.State == PositionState.Entering ? p.EntryIntentId : 0, p.TakeProfitResting ? p.TakeProfitIntentId : 0, p.ExitIntentId,
                p.EntryUnknown || p.ExitUnknown, p.BasisEstimated, core.Market(i).LastPrice);
        }

        _count = n;
        _pnl = core.RealizedPnlKrw;
        _freeKrw = core.FreeKrw;
        _dayPnl = core.Risk.DayPnlKrw;
        _losingStreak = core.Risk.LosingStreak;
        _paused = core.Paused;
        _killed = core.Killed;
        _journalHealthy = core.JournalHealthy;
        _publicUp = publicUp;
        _privateUp = privateUp;
        _nowMs = nowMs;
        Volatile.Write(ref _version, _version + 1);
    }

    /// <summary>The copy as text lines (control server's thread, after <see cref="Version"/> moved).</summary>
    public string Format()
    {
        _ = Volatile.Read(ref _version);
        var s = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        s.AppendLine(string.Create(c, $"time {DateTimeOffset.FromUnixTimeMilliseconds(_nowMs):yyyy-MM-dd HH:mm:ss} UTC (exchange)"));
        s.AppendLine(string.Create(c, $"entries {(_killed ? "stopped (kill switch)" : _paused ? "paused" : "allowed")}; journal {(_journalHealthy ? "writing" : "FAILING")}; public feed {(_publicUp ? "up" : "DOWN")}; private feed {(_privateUp ? "up" : "DOWN")}"));
        s.AppendLine(string.Create(c, $"realised P&L {_pnl:N0} KRW (today {_dayPnl:N0} KRW, losing streak {_losingStreak}); free KRW {_freeKrw:N0}"));
        s.AppendLine(string.Create(c, $"positions {_count}"));
        for (var i = 0; i < _count; i++)
        {
            var r = _rows[i];
            var orders = (r.EntryIntent != 0 ? $" buy #{r.EntryIntent}" : "") + (r.TakeProfitIntent != 0 ? $" take-profit #{r.TakeProfitIntent}" : "") + (r.ExitIntent != 0 ? $" sell #{r.ExitIntent}" : "");
            s.AppendLine(string.Create(c,
                $"  {r.Market} {r.State} volume {r.Volume} entry {r.Entry:0.########}{(r.Estimated ? " (estimated)" : "")} target {r.Target:0.########} stop {r.Stop:0.########} last {r.Last:0.########}" +
                $"{(r.Exit != ExitReason.None ? " exit " + JournalSchema.ExitReasonName(r.Exit) : "")}; open orders:{(orders.Length == 0 ? " none" : orders)}{(r.Unknown ? " (outcome unknown, being looked up)" : "")}"));
        }

        return s.ToString();
    }

    private readonly record struct Row(string Market, PositionState State, decimal Volume, double Entry, double Target, double Stop, ExitReason Exit,
        long EntryIntent, long TakeProfitIntent, long ExitIntent, bool Unknown, bool Estimated, double Last);
}
