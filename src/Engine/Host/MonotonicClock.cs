using System.Diagnostics;

namespace UpbitHft.Engine.Host;

/// <summary>The monotonic nanosecond clock used for every latency stamp (never the wall clock).</summary>
public static class MonotonicClock
{
    private static readonly double s_nsPerTick = 1e9 / Stopwatch.Frequency;

    /// <summary>Nanoseconds on a monotonic clock with an arbitrary origin.</summary>
    public static long NowNs() => Stopwatch.Frequency == 1_000_000_000 ? Stopwatch.GetTimestamp() : (long)(Stopwatch.GetTimestamp() * s_nsPerTick);

    /// <summary>
    /// Records <paramref name="ns"/> clamped into the histogram's range: a stall longer than the range (or a clock
    /// oddity) is recorded as the range's end, never an exception on the engine thread.
    /// </summary>
    public static void Record(HdrHistogram.HistogramBase histogram, long ns) =>
        histogram.RecordValue(Math.Clamp(ns, 0, histogram.HighestTrackableValue));
}
