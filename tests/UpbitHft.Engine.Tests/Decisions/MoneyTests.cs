using UpbitHft.Engine.Decisions;
using UpbitHft.Gateway.Orders;
using static UpbitHft.Engine.Tests.Decisions.CoreHarness;

namespace UpbitHft.Engine.Tests.Decisions;

/// <summary>
/// Free KRW, P&amp;L and the balances against the exchange's word when its reports and the order answers cross:
/// each case is one the property found (<see cref="DecisionPropertyTests"/>), pinned to its numbers.
/// </summary>
public class MoneyTests
{
    private static CoreHarness Seeded(DecisionOptions? options = null)
    {
        var h = new CoreHarness(options);
        for (var m = 0; m < 3; m++)
        {
            h.Seed(m);
        }

        return h;
    }

    [Fact]
    public void A_krw_balance_that_already_holds_a_buys_lock_before_its_answer_counts_the_buy_once()
    {
        var h = Seeded();
        var buy = Assert.Single(Orders(h.Surge()));
        Assert.Equal(1_000_000m - 500_250m, h.Core.FreeKrw); // the amount and the fee Upbit locks on top, reserved

        // The exchange placed the buy (its 500,250 locked) and says so before the buy's first answer: counted once.
        h.Balance(-1, 499_750m, locked: 500_250m);
        Assert.Equal(499_750m, h.Core.FreeKrw);

        // Not placed there yet (nothing locked): the reservation still holds.
        h.Balance(-1, 1_000_000m, locked: 0m);
        Assert.Equal(499_750m, h.Core.FreeKrw);

        // Accepted and partly filled: the exchange's free balance is the whole truth (the rest of the buy is locked there).
        h.Update(buy.IntentId, OrderEventKind.Fill, 0.4m, 200_000m, 100m, Minute(1) + 1_100);
        h.Balance(-1, 499_750m, locked: 300_150m);
        Assert.Equal(499_750m, h.Core.FreeKrw);
    }
}
