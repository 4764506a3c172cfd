using UpbitHft.Engine.Decisions;
using UpbitHft.Engine.Journal;
using UpbitHft.Engine.Risk;
using UpbitHft.Engine.Tests.Decisions;
using UpbitHft.Gateway.Orders;

namespace UpbitHft.Engine.Tests.Risk;

public class RiskGateTests
{
    private static long Utc(int day, int hour, int minute = 0) => new DateTimeOffset(2026, 11, day, hour, minute, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    [Fact]
    public void The_trading_day_rolls_at_midnight_kst_by_default_and_at_the_configured_offset()
    {
        var kst = new RiskGate(new DecisionOptions());
        Assert.Equal(kst.DayOf(Utc(29, 14, 59)), kst.DayOf(Utc(29, 0, 0))); // 23:59 KST on the 29th
        Assert.Equal(kst.DayOf(Utc(29, 14, 59)) + 1, kst.DayOf(Utc(29, 15, 0))); // 00:00 KST on the 30th
        var utc = new RiskGate(new DecisionOptions { TradingDayOffsetMs = 0 });
        Assert.Equal(utc.DayOf(Utc(29, 15, 0)), utc.DayOf(Utc(29, 23, 59)));
        Assert.Equal(utc.DayOf(Utc(29, 23, 59)) + 1, utc.DayOf(Utc(30, 0, 0)));
    }

    [Fact]
    public void The_daily_loss_limit_stops_entries_until_the_next_trading_day()
    {
        var gate = new RiskGate(new DecisionOptions { DailyLossLimitKrw = 10_000m });
        gate.OnTradeClosed(Utc(29, 1), -6_000m);
        Assert.True(gate.AllowsEntry(Utc(29, 2), 0));
        gate.OnTradeClosed(Utc(29, 3), -4_000m);
        Assert.False(gate.AllowsEntry(Utc(29, 4), 0));
        Assert.False(gate.AllowsEntry(Utc(29, 14, 59), 0)); // still the same KST day
        Assert.True(gate.AllowsEntry(Utc(29, 15, 0), 0)); // 00:00 KST: a new day
        Assert.Equal(0m, gate.DayPnlKrw);
    }

    [Fact]
    public void The_day_pnl_and_the_losing_streak_are_rebuilt_from_the_journal_at_start()
    {
        var options = new DecisionOptions { DailyLossLimitKrw = 10_000m, MaxConsecutiveLosses = 3 };
        var trades = new[]
        {
            new JournaledTrade(Utc(28, 10), -9_000m, "stop_loss"), // yesterday (KST): not counted
            new JournaledTrade(Utc(29, 1), 2_000m, "take_profit"),
            new JournaledTrade(Utc(29, 2), -1_000m, "stop_loss"),
            new JournaledTrade(Utc(29, 3), 500m, "remainder"), // a remainder sale counts for money, not for the streak
            new JournaledTrade(Utc(29, 4), -1_500m, "stop_loss"),
        };
        var gate = new RiskGate(options);
        gate.Restore(trades, Utc(29, 5));
        Assert.Equal(0m, gate.DayPnlKrw);
        Assert.Equal(2, gate.LosingStreak);
        Assert.True(gate.AllowsEntry(Utc(29, 5), 0));
        gate.OnTradeClosed(Utc(29, 6), -10m);
        Assert.False(gate.AllowsEntry(Utc(29, 6), 0)); // the third loss in a row, across the restart
    }

    [Fact]
    public void In_the_core_a_day_stopped_by_losses_still_takes_every_exit()
    {
        var options = new DecisionOptions { DailyLossLimitKrw = 1_000m, MaxPositions = 2 };
        var h = new CoreHarness(options);
        for (var m = 0; m < 3; m++)
        {
            h.Seed(m);
        }

        h.Collect(b => h.Core.RestorePosition(0, 1m, 500_000, 500_000m, 250m, b));
        h.Collect(b => h.Core.RestorePosition(1, 1m, 500_000, 500_000m, 250m, b));
        var first = Assert.Single(CoreHarness.Orders(h.Trade(0, CoreHarness.Minute(1), 495_000)));
        h.Update(first.IntentId, OrderEventKind.Done, 1m, 495_000m, 247.5m, CoreHarness.Minute(1) + 100);
        Assert.True(h.Core.Risk.StoppedForTheDay);

        var second = Assert.Single(CoreHarness.Orders(h.Trade(1, CoreHarness.Minute(1) + 200, 501_500)));
        Assert.Equal(ExitReason.TakeProfit, second.Exit); // exits continue
        h.Update(second.IntentId, OrderEventKind.Done, 1m, 501_500m, 250.75m, CoreHarness.Minute(1) + 300);
        Assert.Equal(PositionState.Flat, h.Core.Market(1).Position.State);

        h.Trade(2, CoreHarness.Minute(1) + 400, 500_000, 300);
        h.Book(2, CoreHarness.Minute(2) + 10);
        Assert.Empty(CoreHarness.Orders(h.Trade(2, CoreHarness.Minute(2) + 1_000, 500_000))); // but no entry today
    }
}
