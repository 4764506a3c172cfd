using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using UpbitHft.Engine.Indicators;

namespace UpbitHft.Engine.Tests.Indicators;

public class WilderRsiTests
{
    private static IEnumerable<(double Close, double? Rsi)> Reference()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "TestData", "Candles", "KRW-BTC_1m_2020-02-20_rsi14.csv");
        foreach (var line in File.ReadLines(path).Skip(1))
        {
            var cols = line.Split(',');
            yield return (double.Parse(cols[4], CultureInfo.InvariantCulture),
                cols[6].Length == 0 ? null : double.Parse(cols[6], CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public void Matches_the_TA_Lib_reference_column_to_1e_9()
    {
        var rsi = new WilderRsi(14);
        var checkedValues = 0;
        var index = 0;
        foreach (var (close, expected) in Reference())
        {
            rsi.Update(close);
            if (expected is null)
            {
                Assert.False(rsi.IsReady, $"ready too early at {index}");
            }
            else
            {
                Assert.True(rsi.IsReady);
                Assert.Equal(expected.Value, rsi.Value, 1e-9);
                checkedValues++;
            }

            index++;
        }

        Assert.Equal(240, index);
        Assert.Equal(226, checkedValues); // first value at index 14
        Assert.Equal(15, rsi.WarmupPeriod);
    }

    [Fact]
    public void Reset_then_replay_gives_the_same_values()
    {
        var rsi = new WilderRsi(14);
        var first = new List<double>();
        foreach (var (close, _) in Reference())
        {
            rsi.Update(close);
            first.Add(rsi.Value);
        }

        rsi.Reset();
        Assert.False(rsi.IsReady);
        Assert.Equal(0, rsi.Samples);
        var i = 0;
        foreach (var (close, _) in Reference())
        {
            rsi.Update(close);
            Assert.Equal(first[i++], rsi.Value);
        }
    }

    [Fact]
    public void Peek_uses_a_provisional_close_without_changing_the_committed_state()
    {
        var rsi = new WilderRsi(14);
        foreach (var (close, _) in Reference().Take(30))
        {
            rsi.Update(close);
        }

        var committed = rsi.Value;
        var provisional = rsi.LastClose * 1.01;
        var live = rsi.Peek(provisional);
        Assert.Equal(committed, rsi.Value);
        var copy = rsi;
        copy.Update(provisional);
        Assert.Equal(copy.Value, live, 1e-12); // Peek = what Update would give
        Assert.True(double.IsNaN(new WilderRsi(14).Peek(100)));
    }

    [Fact]
    public void Edge_cases_flat_gains_losses_alternating_and_bounds()
    {
        Assert.Equal(0, Run(Enumerable.Repeat(100.0, 20))); // flat window convention: both averages 0 → 0
        Assert.Equal(100, Run(Enumerable.Range(1, 20).Select(i => (double)i)));
        Assert.Equal(0, Run(Enumerable.Range(1, 20).Select(i => 100.0 - i)));
        Assert.Equal(50, Run(Enumerable.Range(0, 15).Select(i => i % 2 == 0 ? 100.0 : 101.0)), 1e-9);
        Assert.Throws<ArgumentOutOfRangeException>(() => new WilderRsi(0));
    }

    /// <summary>Any walk of positive prices (moves of up to ±10 per close): once ready, RSI stays within 0..100.</summary>
    [Fact]
    public void Rsi_stays_within_its_bounds_on_any_price_walk()
    {
        var moves = Arb.From(Gen.Choose(-1_000, 1_000).ArrayOf(), Arb.Array(Arb.From(Gen.Choose(-1_000, 1_000), m => m != 0 ? [m / 2] : [])).Shrinker);
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(200).WithEndSize(500), Prop.ForAll(moves, centsMoves =>
        {
            var rsi = new WilderRsi(14);
            var price = 1000.0;
            foreach (var move in centsMoves)
            {
                price = Math.Max(1, price + (move / 100.0));
                rsi.Update(price);
                if (rsi.IsReady)
                {
                    Assert.InRange(rsi.Value, 0, 100);
                }
            }
        }));
    }

    private static double Run(IEnumerable<double> closes)
    {
        var rsi = new WilderRsi(14);
        foreach (var c in closes)
        {
            rsi.Update(c);
        }

        Assert.True(rsi.IsReady);
        return rsi.Value;
    }
}
