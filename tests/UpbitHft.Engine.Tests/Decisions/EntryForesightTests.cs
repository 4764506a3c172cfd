using UpbitHft.Engine.Decisions;
using UpbitHft.Gateway.Orders;
using static UpbitHft.Engine.Tests.Decisions.CoreHarness;

namespace UpbitHft.Engine.Tests.Decisions;

/// <summary>The entry the core foresees (signed ahead by the gateway) is the entry it then makes.</summary>
public class EntryForesightTests
{
    [Fact]
    public void The_foreseen_entry_is_the_buy_the_trigger_then_makes_and_the_next_one_follows_the_capital_left()
    {
        var h = new CoreHarness();
        h.Seed(0);
        h.Seed(1);
        h.Trade(0, Minute(0) + 1_000, 500_000, 100_000_000 / 500_000.0); // the surge minute
        h.Book(0, Minute(1) + 500);

        Assert.True(h.Core.TryForeseeEntry(0, Minute(1) + 900, out var intent, out var amount));
        var buy = Assert.Single(Orders(h.Trade(0, Minute(1) + 1_000, 500_000))); // the trigger
        Assert.Equal((ActionKind.SubmitMarketBuy, intent, amount), (buy.Kind, buy.IntentId, buy.AmountKrw));

        // Market 0 is entering: nothing to foresee there. Market 1's entry takes the next intent and what is left.
        Assert.False(h.Core.TryForeseeEntry(0, Minute(1) + 900, out _, out _));
        Assert.True(h.Core.TryForeseeEntry(1, Minute(1) + 1_100, out var next, out var nextAmount));
        Assert.Equal(buy.IntentId + 1, next);
        Assert.Equal(Math.Floor(h.Core.FreeKrw / 1.0005m), nextAmount); // 50 % of capital, capped by the free KRW less the fee
        Assert.True(nextAmount < 500_000m);
    }

    [Fact]
    public void Nothing_is_foreseen_while_entries_are_stopped_or_capital_is_short()
    {
        var h = new CoreHarness();
        h.Seed(0);
        Assert.True(h.Core.TryForeseeEntry(0, Minute(1) + 900, out _, out _));
        h.FeedStatus(publicUp: false, privateUp: true, Minute(0));
        Assert.False(h.Core.TryForeseeEntry(0, Minute(1) + 900, out _, out _));
        h.FeedStatus(publicUp: true, privateUp: true, Minute(0) + 1);
        Assert.True(h.Core.TryForeseeEntry(0, Minute(1) + 900, out _, out _));

        var poor = new CoreHarness(new DecisionOptions { CapitalKrw = 9_000m }); // half of it is under the minimum entry
        poor.Seed(0);
        Assert.False(poor.Core.TryForeseeEntry(0, Minute(1) + 900, out _, out _));
        Assert.False(h.Core.TryForeseeEntry(99, Minute(0), out _, out _)); // no such market
    }

    [Fact]
    public void Nothing_is_foreseen_once_the_risk_limits_allow_no_entry()
    {
        var h = new CoreHarness(new DecisionOptions { MaxPositions = 1 });
        h.Seed(0);
        h.Seed(1);
        Assert.True(h.Core.TryForeseeEntry(1, Minute(1), out _, out _));
        Assert.Single(Orders(h.Surge())); // market 0 enters: one position, the most allowed
        Assert.False(h.Core.TryForeseeEntry(1, Minute(1) + 1_100, out _, out _));
    }
}
