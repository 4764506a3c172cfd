using UpbitHft.Engine.Decisions;

namespace UpbitHft.Engine.Tests.Decisions;

/// <summary>The start-up rehearsal of the decision path: two whole trades on a scratch core, whatever the options' gates.</summary>
public class DecisionRehearsalTests
{
    [Fact]
    public void With_market_exits_it_buys_takes_profit_buys_again_and_stops_out()
    {
        var orders = DecisionRehearsal.Run(new DecisionOptions());
        Assert.Equal(
            [(ActionKind.SubmitMarketBuy, ExitReason.None), (ActionKind.SubmitMarketSell, ExitReason.TakeProfit),
             (ActionKind.SubmitMarketBuy, ExitReason.None), (ActionKind.SubmitMarketSell, ExitReason.StopLoss)],
            orders);
    }

    [Fact]
    public void With_a_resting_take_profit_it_rests_it_lets_it_fill_and_cancels_it_before_the_stop()
    {
        var orders = DecisionRehearsal.Run(new DecisionOptions { RestingTakeProfit = true });
        Assert.Equal(
            [(ActionKind.SubmitMarketBuy, ExitReason.None), (ActionKind.SubmitLimitSell, ExitReason.None),
             (ActionKind.SubmitMarketBuy, ExitReason.None), (ActionKind.SubmitLimitSell, ExitReason.None), (ActionKind.SubmitMarketSell, ExitReason.StopLoss)],
            orders);
    }

    [Fact]
    public void Gates_that_would_keep_a_session_out_do_not_keep_the_rehearsal_out()
    {
        var strict = new DecisionOptions { SurgeMin = 50, RsiMin = 99, CooldownMs = 3_600_000, LiquidityFloorKrwPerMinute = 1e12, CapitalKrw = 5_000_000_000m };
        Assert.Equal(4, DecisionRehearsal.Run(strict).Count);
    }
}
