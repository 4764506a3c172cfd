namespace UpbitHft.Engine.Runtime;

/// <summary>
/// Recording latencies measured on the one monotonic clock (<see cref="Feed.Events.LatencyClock"/>, whose stamps the
/// feed puts on every frame) into HdrHistogram.
/// </summary>
public static class LatencyHistograms
{
    /// <summary>
    /// Records <paramref name="ns"/> clamped into the histogram's range: a stall longer than the range (or a clock
    /// oddity) is recorded as the range's end, never an exception on the engine thread.
    /// </summary>
    public static void Record(HdrHistogram.HistogramBase histogram, long ns) =>
        histogram.RecordValue(Math.Clamp(ns, 0, histogram.HighestTrackableValue));

    /// <summary>
    /// Writes every page of each (still empty) histogram's counts once, so that the recording thread never takes a
    /// page fault in the middle of an event: a histogram's counts array is large (about 0.5 MB for 10 s at 3 digits),
    /// the runtime leaves a fresh large array's pages untouched, and a value recorded in a bucket never recorded
    /// before faulted its page in on the engine thread (tens of µs here; perf-reports/latency.md). Call on the
    /// recording thread before its first event.
    /// </summary>
    public static void Prefault(params ReadOnlySpan<HdrHistogram.HistogramBase> histograms)
    {
        foreach (var h in histograms)
        {
            if (h.TotalCount == 0)
            {
                h.Reset(); // clears the counts array: a write to each of its pages
            }
        }
    }
}
