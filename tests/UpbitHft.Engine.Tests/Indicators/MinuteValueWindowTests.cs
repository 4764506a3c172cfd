using UpbitHft.Engine.Indicators;

namespace UpbitHft.Engine.Tests.Indicators;

public class MinuteValueWindowTests
{
    [Fact]
    public void Surge_is_the_last_minute_over_the_mean_of_the_twenty_before()
    {
        var w = new MinuteValueWindow(20);
        for (var m = 0; m < 20; m++)
        {
            w.Add(m, 1_000_000);
        }

        w.Add(20, 5_000_000);
        Assert.False(w.IsReady); // minute 20 still forming
        w.AdvanceTo(21);
        Assert.True(w.IsReady);
        Assert.Equal(5_000_000, w.LastMinuteValue);
        Assert.Equal(1_000_000, w.MeanPrevious);
        Assert.Equal(5.0, w.SurgeRatio, 1e-12);
    }

    [Fact]
    public void Minutes_without_trades_count_as_zero_and_random_use_matches_a_naive_model()
    {
        var random = new Random(11);
        var w = new MinuteValueWindow(20);
        var perMinute = new Dictionary<long, double>();
        long minute = 1_000;
        for (var step = 0; step < 20_000; step++)
        {
            minute += random.Next(10) switch { 0 => random.Next(1, 30), < 4 => 1, _ => 0 };
            var value = random.NextDouble() * 1e6;
            Assert.True(w.Add(minute, value));
            perMinute[minute] = perMinute.GetValueOrDefault(minute) + value;

            var last = minute - 1;
            var naiveLast = perMinute.GetValueOrDefault(last);
            var naiveMean = Enumerable.Range(1, 20).Sum(k => perMinute.GetValueOrDefault(last - k)) / 20;
            if (w.IsReady)
            {
                Assert.Equal(naiveLast, w.LastMinuteValue, 1e-6);
                Assert.Equal(naiveMean, w.MeanPrevious, 1e-3);
            }
        }

        Assert.False(w.Add(minute - 5, 1)); // the past is closed
    }
}
