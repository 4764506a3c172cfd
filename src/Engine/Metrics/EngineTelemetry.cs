using UpbitHft.Engine.Decisions;
using UpbitHft.Feed.Events;

namespace UpbitHft.Engine.Metrics;

/// <summary>
/// What the engine thread tells the metrics, health and alert threads, as plain fields it alone writes and others read
/// with acquire semantics (a long read is atomic on 64-bit). Money crosses as whole hundredths of a KRW in a long,
/// never as a decimal another thread could read torn. Updated once per second of engine time (<see cref="Capture"/>),
/// per order submitted and per order answer (<see cref="Orders"/>), per market event and per order for latency
/// (<see cref="TickToDecision"/>, <see cref="TickToOrder"/>); the feeds' threads write their own <see cref="FeedState"/>.
/// </summary>
public sealed class EngineTelemetry
{
    private readonly long[] _heldDataMs;
    private long _pnlCents;
    private long _freeKrwCents;
    private long _dayPnlCents;
    private long _openPositions;
    private long _losingStreak;
    private long _stopReason;
    private long _nowMs;
    private long _capturedNs;

    /// <summary>Room for market ids 0..<paramref name="marketCapacity"/>-1.</summary>
    public EngineTelemetry(int marketCapacity) => _heldDataMs = new long[marketCapacity];

    /// <summary>Receive → decision done, per market event (engine thread writes).</summary>
    public LatencySamples TickToDecision { get; } = new();

    /// <summary>Receive → order handed to the gateway or the paper exchange, per order (engine thread writes).</summary>
    public LatencySamples TickToOrder { get; } = new(4_096);

    /// <summary>Order outcomes by side and type.</summary>
    public OrderOutcomes Orders { get; } = new();

    /// <summary>The public socket (its feed thread writes).</summary>
    public FeedState PublicFeed { get; } = new();

    /// <summary>The private socket, live mode (its feed thread writes).</summary>
    public FeedState PrivateFeed { get; } = new();

    /// <summary>Realised P&amp;L after fees, KRW, as of the last capture.</summary>
    public decimal RealizedPnlKrw => Volatile.Read(ref _pnlCents) / 100m;

    /// <summary>Free KRW as the engine sees it, as of the last capture.</summary>
    public decimal FreeKrw => Volatile.Read(ref _freeKrwCents) / 100m;

    /// <summary>The trading day's realised P&amp;L, KRW.</summary>
    public decimal DayPnlKrw => Volatile.Read(ref _dayPnlCents) / 100m;

    /// <summary>Positions not flat.</summary>
    public long OpenPositions => Volatile.Read(ref _openPositions);

    /// <summary>Losing trades in a row within the day.</summary>
    public long LosingStreak => Volatile.Read(ref _losingStreak);

    /// <summary>Why the risk gate stopped entries for the rest of the trading day, or <see cref="DayStop.None"/>.</summary>
    public DayStop StoppedForTheDay => (DayStop)Volatile.Read(ref _stopReason);

    /// <summary>Whether a capture has happened (the engine has seen a second of time).</summary>
    public bool Captured => Volatile.Read(ref _capturedNs) != 0;

    /// <summary>
    /// Seconds since the last trade or book of market <paramref name="id"/> while a position is held there, else null:
    /// the engine's clock at the last capture less the market's last data, plus the monotonic time since that capture
    /// (so the age keeps growing even if the engine thread stalls).
    /// </summary>
    public double? HeldMarketDataAgeSeconds(int id)
    {
        var last = Volatile.Read(ref _heldDataMs[id]);
        if (last == 0)
        {
            return null;
        }

        var sinceCapture = Math.Max(0, LatencyClock.NowNs() - Volatile.Read(ref _capturedNs)) / 1e9;
        return Math.Max(0, (Volatile.Read(ref _nowMs) - last) / 1000.0) + sinceCapture;
    }

    /// <summary>Market ids this telemetry has room for.</summary>
    public int MarketCapacity => _heldDataMs.Length;

    /// <summary>
    /// Copies the account and the held markets' data times. Engine thread, once per second of engine time: a loop over
    /// the registered markets and a few stores, no allocation.
    /// </summary>
    internal void Capture(DecisionCore core, int marketCount, long nowMs)
    {
        var open = 0;
        var n = Math.Min(Math.Min(marketCount, core.MarketCount), _heldDataMs.Length);
        for (var i = 0; i < n; i++)
        {
            var slot = core.Market(i);
            long held = 0;
            if (slot.Position.State != PositionState.Flat)
            {
                open++;
                held = Math.Max(1, Math.Max(slot.LastTradeMs, slot.BookTimestampMs));
            }

            if (_heldDataMs[i] != held)
            {
                Volatile.Write(ref _heldDataMs[i], held);
            }
        }

        var risk = core.Risk;
        var options = core.Options;
        var stop = risk.DayPnlKrw <= -options.DailyLossLimitKrw ? DayStop.DailyLossLimit
            : risk.LosingStreak >= options.MaxConsecutiveLosses ? DayStop.LosingStreak
            : DayStop.None;
        Volatile.Write(ref _openPositions, open);
        Volatile.Write(ref _pnlCents, Cents(core.RealizedPnlKrw));
        Volatile.Write(ref _freeKrwCents, Cents(core.FreeKrw));
        Volatile.Write(ref _dayPnlCents, Cents(risk.DayPnlKrw));
        Volatile.Write(ref _losingStreak, risk.LosingStreak);
        Volatile.Write(ref _stopReason, (long)stop);
        Volatile.Write(ref _nowMs, nowMs);
        Volatile.Write(ref _capturedNs, LatencyClock.NowNs());
    }

    private static long Cents(decimal krw) => (long)decimal.Round(krw * 100m, MidpointRounding.AwayFromZero);
}

/// <summary>Why entries are stopped for the rest of the trading day.</summary>
public enum DayStop
{
    /// <summary>Entries are not stopped for the day.</summary>
    None = 0,

    /// <summary>The day's realised loss reached <see cref="DecisionOptions.DailyLossLimitKrw"/>.</summary>
    DailyLossLimit = 1,

    /// <summary><see cref="DecisionOptions.MaxConsecutiveLosses"/> losing trades in a row.</summary>
    LosingStreak = 2,
}
