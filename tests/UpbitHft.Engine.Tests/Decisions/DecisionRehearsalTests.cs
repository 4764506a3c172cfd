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
        var strict = new DecisionOptions { SurgeMin = 50, RsiMin = 99, RsiPeriod = 30, SurgeWindowMinutes = 60, CooldownMs = 3_600_000, LiquidityFloorKrwPerMinute = 1e12, CapitalKrw = 5_000_000_000m };
        var orders = DecisionRehearsal.Run(strict);
        Assert.Equal(4, orders.Count);
        Assert.True(DecisionRehearsal.Complete(orders));
    }

    [Theory]
    [InlineData(0.01, 0.03, 0.0)]
    [InlineData(0.003, 0.01, 0.005)]
    [InlineData(0.05, 0.2, 0.01)]
    public void The_options_own_exits_are_reached_whatever_they_are(double takeProfit, double stopLoss, double slippageBuffer)
    {
        var orders = DecisionRehearsal.Run(new DecisionOptions { TakeProfit = takeProfit, StopLoss = stopLoss, SlippageBuffer = slippageBuffer });
        Assert.Equal(
            [(ActionKind.SubmitMarketBuy, ExitReason.None), (ActionKind.SubmitMarketSell, ExitReason.TakeProfit),
             (ActionKind.SubmitMarketBuy, ExitReason.None), (ActionKind.SubmitMarketSell, ExitReason.StopLoss)],
            orders);
        Assert.True(DecisionRehearsal.Complete(orders));
    }

    [Fact]
    public void A_rehearsal_short_of_its_trades_is_not_complete()
    {
        Assert.False(DecisionRehearsal.Complete([(ActionKind.SubmitMarketBuy, ExitReason.None)]));
        Assert.False(DecisionRehearsal.Complete([(ActionKind.SubmitMarketBuy, ExitReason.None), (ActionKind.SubmitMarketSell, ExitReason.StopLoss)]));
    }
}
