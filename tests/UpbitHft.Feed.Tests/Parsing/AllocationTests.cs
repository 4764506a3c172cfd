using UpbitHft.Feed.Events;
using UpbitHft.Feed.Parsing;
using static UpbitHft.Feed.Tests.Parsing.ParserFixture;

namespace UpbitHft.Feed.Tests.Parsing;

public class AllocationTests
{
    [Fact]
    public void Parsing_warm_frames_of_every_kind_allocates_nothing()
    {
        var parser = NewParser();
        var frames = Docs.Concat(Default2026.Where(f => f.Direction != "sent")).Concat(Simple0417.Take(50)).Select(f => f.Bytes).ToArray();
        var split = frames.Select(f => TestSupport.Bytes.Split(f, f.Length / 3, f.Length / 2)).ToArray();
        var ev = default(MarketEvent);

        var allocated = TestSupport.Allocations.SteadyState(() =>
        {
            for (var round = 0; round < 100; round++)
            {
                for (var i = 0; i < frames.Length; i++)
                {
                    parser.Parse(frames[i], 1, ref ev);
                    parser.Parse(split[i], 1, ref ev);
                }
            }
        });
        Assert.Equal(0, allocated);
        Assert.Equal(0, parser.Rejected);
    }
}
