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
}
