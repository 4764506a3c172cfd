using FsCheck;
using FsCheck.Fluent;
using UpbitHft.Engine.Scanning;

namespace UpbitHft.Engine.Tests.Scanning;

public class SurgeRankingTests
{
    /// <summary>An update sets a market's surge (a tenth from 0 to 10, so ties are common) or makes it ineligible (-1).</summary>
    public sealed record Update(int Market, int Tenths)
    {
        public double Key => Tenths < 0 ? -1 : Tenths / 10.0;

        public override string ToString() => $"{Market}:{Key}";
    }

    /// <summary>After every update of any sequence, the top 3 is what a full sort (surge descending, then id) says.</summary>
    [Fact]
    public void Top_k_matches_a_full_sort_after_random_updates()
    {
        const int markets = 150;
        var update = Gen.Choose(0, markets - 1).Zip(Gen.Frequency((1, Gen.Constant(-1)), (4, Gen.Choose(0, 100))), (m, t) => new Update(m, t));
        var updates = Arb.From(update.ArrayOf(), Arb.Array(Arb.From(update, u => u.Tenths > 0 ? [u with { Tenths = u.Tenths / 2 }] : [])).Shrinker);
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(200).WithEndSize(500), Prop.ForAll(updates, script =>
        {
            var ranking = new SurgeRanking(markets);
            var keys = Enumerable.Repeat(-1.0, markets).ToArray();
            var top = new int[3];
            foreach (var u in script)
            {
                keys[u.Market] = u.Key;
                ranking.Update(u.Market, u.Key);

                var n = ranking.TopK(top, 0);
                var expected = keys.Select((k, id) => (k, id)).Where(x => x.k >= 0).OrderByDescending(x => x.k).ThenBy(x => x.id).Take(3).Select(x => x.id).ToArray();
                Assert.Equal(expected, top[..n]);
            }
        }));
    }

    [Fact]
    public void Ineligible_markets_are_never_named()
    {
        var ranking = new SurgeRanking(4);
        ranking.Update(0, 3);
        ranking.Update(1, -1);
        ranking.Update(2, 1);
        Span<int> top = stackalloc int[2];
        Assert.Equal(2, ranking.TopK(top, 0));
        Assert.Equal([0, 2], top.ToArray());
        Assert.Equal(1, ranking.TopK(top, 2.0));
        Assert.Equal(0, top[0]);
    }
}
