using UpbitHft.Engine.Scanning;

namespace UpbitHft.Engine.Tests.Scanning;

public class SurgeRankingTests
{
    [Fact]
    public void Top_k_matches_a_full_sort_after_random_updates()
    {
        var random = new Random(5);
        const int markets = 150;
        var ranking = new SurgeRanking(markets);
        var keys = Enumerable.Repeat(-1.0, markets).ToArray();
        Span<int> top = stackalloc int[3];
        for (var step = 0; step < 20_000; step++)
        {
            var m = random.Next(markets);
            var key = random.Next(5) == 0 ? -1 : Math.Round(random.NextDouble() * 10, 1);
            keys[m] = key;
            ranking.Update(m, key);

            var n = ranking.TopK(top, 0);
            var expected = keys.Select((k, id) => (k, id)).Where(x => x.k >= 0).OrderByDescending(x => x.k).ThenBy(x => x.id).Take(3).Select(x => x.id).ToArray();
            Assert.Equal(expected, top[..n].ToArray());
        }
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
