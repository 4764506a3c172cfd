using UpbitHft.Feed.Events;

namespace UpbitHft.Feed.Tests;

public class MarketEventTests
{
    [Fact]
    public void A_fresh_slot_holds_no_valid_event()
    {
        var e = default(MarketEvent);
        Assert.Equal(MarketEventKind.None, e.Kind);
    }
}
