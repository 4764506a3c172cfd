using System.Diagnostics;

namespace UpbitHft.Feed.Events;

/// <summary>
/// The monotonic nanosecond clock of every latency stamp (<see cref="MarketEvent.ReceiveTimestampNs"/> and what the
/// engine measures against it): <see cref="Stopwatch"/>, never the wall clock, and never an injected
/// <see cref="TimeProvider"/> — timeouts and delays may run on a fake clock in tests, latency stamps may not.
/// </summary>
public static class LatencyClock
{
    private static readonly double s_nsPerTick = 1e9 / Stopwatch.Frequency;

    /// <summary>Nanoseconds on a monotonic clock with an arbitrary origin.</summary>
#pragma warning disable RS0030 // the one place allowed to read Stopwatch (src/BannedSymbols.txt bans it everywhere else)
    public static long NowNs() => Stopwatch.Frequency == 1_000_000_000 ? Stopwatch.GetTimestamp() : (long)(Stopwatch.GetTimestamp() * s_nsPerTick);
#pragma warning restore RS0030
}
