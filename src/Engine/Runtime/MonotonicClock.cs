using UpbitHft.Feed.Events;

namespace UpbitHft.Engine.Runtime;

/// <summary>The monotonic nanosecond clock used for every latency stamp (never the wall clock).</summary>
public static class MonotonicClock
{
    /// <summary>Nanoseconds on a monotonic clock with an arbitrary origin: the feed's <see cref="LatencyClock"/>, so receive stamps and engine stamps compare.</summary>
    public static long NowNs() => LatencyClock.NowNs();

    /// <summary>
    /// Records <paramref name="ns"/> clamped into the histogram's range: a stall longer than the range (or a clock
    /// oddity) is recorded as the range's end, never an exception on the engine thread.
    /// </summary>
    public static void Record(HdrHistogram.HistogramBase histogram, long ns) =>
        histogram.RecordValue(Math.Clamp(ns, 0, histogram.HighestTrackableValue));
}
