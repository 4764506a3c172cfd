using FsCheck;
using FsCheck.Fluent;
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

    /// <summary>A trade <see cref="Gap"/> minutes after the previous one (0: same minute), worth <see cref="Value"/> KRW.</summary>
    public sealed record Trade(int Gap, int Value)
    {
        public override string ToString() => $"+{Gap}m {Value}";
    }

    /// <summary>Any sequence of trades, with gaps of several minutes: the window agrees with sums over a per-minute dictionary.</summary>
    [Fact]
    public void Minutes_without_trades_count_as_zero_and_random_use_matches_a_naive_model()
    {
        var gap = Gen.Frequency((6, Gen.Constant(0)), (3, Gen.Constant(1)), (1, Gen.Choose(1, 29)));
        var trade = gap.Zip(Gen.Choose(0, 1_000_000), (g, v) => new Trade(g, v));
        var trades = Arb.From(trade.ArrayOf(), Arb.Array(Arb.From(trade, t => t.Gap > 0 ? [t with { Gap = t.Gap / 2 }] : [])).Shrinker);
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(200).WithEndSize(500), Prop.ForAll(trades, script =>
        {
            var w = new MinuteValueWindow(20);
            var perMinute = new Dictionary<long, double>();
            long minute = 1_000;
            foreach (var t in script)
            {
                minute += t.Gap;
                Assert.True(w.Add(minute, t.Value));
                perMinute[minute] = perMinute.GetValueOrDefault(minute) + t.Value;

                var last = minute - 1;
                if (w.IsReady)
                {
                    Assert.Equal(perMinute.GetValueOrDefault(last), w.LastMinuteValue, 1e-6);
                    Assert.Equal(Enumerable.Range(1, 20).Sum(k => perMinute.GetValueOrDefault(last - k)) / 20, w.MeanPrevious, 1e-3);
                }
            }

            Assert.True(script.Length == 0 || !w.Add(minute - 5, 1)); // once trading began, the past is closed
        }));
    }
}
