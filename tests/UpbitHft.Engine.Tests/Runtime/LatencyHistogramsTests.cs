using HdrHistogram;
using UpbitHft.Engine.Runtime;

namespace UpbitHft.Engine.Tests.Runtime;

public class LatencyHistogramsTests
{
    [Fact]
    public void Prefaulting_never_clears_a_histogram_that_holds_values_and_leaves_an_empty_one_usable()
    {
        var empty = new LongHistogram(10_000_000_000L, 3);
        var used = new LongHistogram(10_000_000_000L, 3);
        LatencyHistograms.Record(used, 1_500);
        LatencyHistograms.Record(used, 2_000_000);

        LatencyHistograms.Prefault(empty, used);

        Assert.Equal(0, empty.TotalCount);
        Assert.Equal(2, used.TotalCount); // a histogram already recorded into keeps what it holds
        Assert.InRange(used.GetMaxValue(), 1_998_000, 2_002_000);
        LatencyHistograms.Record(empty, 42_000);
        Assert.Equal(1, empty.TotalCount);
    }

    [Fact]
    public void A_value_beyond_the_range_is_recorded_at_its_end_never_thrown()
    {
        var h = new LongHistogram(1_000_000L, 3);
        LatencyHistograms.Record(h, 5_000_000_000);
        LatencyHistograms.Record(h, -5);
        Assert.Equal(2, h.TotalCount);
        Assert.Equal(0, h.GetValueAtPercentile(1));
    }
}
