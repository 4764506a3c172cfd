using UpbitHft.Engine.Decisions;
using UpbitHft.Gateway.Orders;
using static UpbitHft.Engine.Tests.Decisions.CoreHarness;

namespace UpbitHft.Engine.Tests.Decisions;

public class DecisionCoreTests
{
    [Fact]
    public void Seed_scenario_fill_at_500000_take_profit_at_501500_once_and_nothing_at_the_stop_afterwards()
    {
        var (h, _) = OpenBtcAt500k();
        var p = h.Core.Market(0).Position;
        Assert.Equal(PositionState.Open, p.State);
        Assert.Equal(500_000, p.AvgEntryPrice);
        Assert.Equal(501_500, p.Target);
        Assert.Equal(495_000, p.Stop);
        Assert.True(p.StopArmed && p.TargetArmed);

        Assert.Empty(Orders(h.Trade(0, Minute(1) + 2_000, 501_499)));
        var sell = Assert.Single(Orders(h.Trade(0, Minute(1) + 3_000, 501_500)));
        Assert.Equal(ActionKind.SubmitMarketSell, sell.Kind);
        Assert.Equal(ExitReason.TakeProfit, sell.Exit);
        Assert.Equal(1.0m, sell.Volume);
        Assert.False(p.StopArmed); // the other leg is disarmed in the same step

        Assert.Empty(Orders(h.Trade(0, Minute(1) + 4_000, 495_000))); // the stop no longer fires
        Assert.Empty(Orders(h.Trade(0, Minute(1) + 5_000, 501_600)));

        var closed = h.Update(sell.IntentId, OrderEventKind.Done, 1.0m, 501_500m, 250.75m, Minute(1) + 6_000);
        var trade = Assert.Single(closed, a => a.Kind == ActionKind.TradeClosed);
        Assert.Equal(ExitReason.TakeProfit, trade.Exit);
        Assert.Equal(501_500, trade.ExitPrice);
        Assert.Equal(1_500m - 250m - 250.75m, trade.PnlKrw);
        Assert.Single(closed, a => a.Kind == ActionKind.CleanUpOrders && a.MarketId == 0);
        Assert.Equal(PositionState.Flat, p.State);
        Assert.Equal(999.25m, h.Core.RealizedPnlKrw);
    }

    [Fact]
    public void Stop_loss_at_495000_sells_everything_and_disarms_the_target()
    {
        var (h, _) = OpenBtcAt500k();
        Assert.Empty(Orders(h.Trade(0, Minute(1) + 2_000, 495_001)));
        var sell = Assert.Single(Orders(h.Trade(0, Minute(1) + 3_000, 495_000)));
        Assert.Equal(ExitReason.StopLoss, sell.Exit);
        Assert.Empty(Orders(h.Trade(0, Minute(1) + 4_000, 502_000)));
        var closed = h.Update(sell.IntentId, OrderEventKind.Done, 1.0m, 495_000m, 247.5m, Minute(1) + 5_000);
        var trade = Assert.Single(closed, a => a.Kind == ActionKind.TradeClosed);
        Assert.Equal(ExitReason.StopLoss, trade.Exit);
        Assert.Equal(-5_000m - 250m - 247.5m, trade.PnlKrw);
    }

    [Fact]
    public void Entry_carries_its_reasons_and_reserves_the_fee()
    {
        var h = new CoreHarness();
        h.Seed(0);
        h.Seed(1);
        var buy = Assert.Single(Orders(h.Surge()));
        Assert.Equal(500_000m, buy.AmountKrw);
        Assert.True(buy.Rsi >= 30);
        Assert.Equal(10.0, buy.SurgeRatio, 1e-9);
        Assert.Equal(20, buy.TotalBidSize);
        Assert.Equal(10, buy.TotalAskSize);
        Assert.Equal(1_000_000m - (500_000m * 1.0005m), h.Core.FreeKrw);
        Assert.Equal(PositionState.Entering, h.Core.Market(0).Position.State);
        Assert.Empty(Orders(h.Trade(0, Minute(1) + 2_000, 500_000))); // Entering: never a second buy
    }

    public static TheoryData<string> Breakers() => ["rsi", "surge", "book-side", "book-stale", "not-candidate", "capital", "feed-down", "killed", "not-tradable", "not-active"];

    [Theory]
    [MemberData(nameof(Breakers))]
    public void Each_entry_condition_failing_alone_prevents_the_buy(string breaker)
    {
        var options = breaker == "capital" ? new DecisionOptions { CapitalKrw = 9_000m } : new DecisionOptions();
        var h = new CoreHarness(options);
        h.Seed(0, falling: breaker == "rsi");
        h.Seed(1);
        h.Seed(2);
        var buffer = new ActionBuffer();
        switch (breaker)
        {
            case "not-candidate":
                // Markets 1 and 2 surge harder: market 0 is third.
                h.Trade(1, Minute(0) + 100, 500_000, 300_000_000 / 500_000.0);
                h.Trade(2, Minute(0) + 100, 500_000, 200_000_000 / 500_000.0);
                break;
            case "feed-down":
                h.FeedStatus(publicUp: false, privateUp: true, Minute(0));
                break;
            case "killed":
                h.Core.KillSwitch(Minute(0), buffer);
                break;
            case "not-tradable":
                h.Core.SetMarketStatus(0, tradable: false); // warning-flagged
                break;
            case "not-active":
                h.Core.SetMarketActive(0, active: false); // ticker said PREVIEW or DELISTED
                break;
        }

        var actions = breaker switch
        {
            "surge" => h.Surge(surgeValue: 15_000_000), // 1.5× the average
            "book-side" => h.Surge(bid: 10, ask: 10),
            "book-stale" => h.Surge(bookAt: Minute(1) - 10_000), // 11 s before the trade
            _ => h.Surge(),
        };
        Assert.Empty(Orders(actions));
        Assert.Equal(PositionState.Flat, h.Core.Market(0).Position.State);
    }

    [Fact]
    public void Without_a_breaker_the_same_setup_buys() => Assert.Single(Orders(NewSeeded().Surge()));

    [Fact]
    public void At_most_max_positions_and_only_the_candidates()
    {
        var h = new CoreHarness(new DecisionOptions { MaxPositions = 1 });
        for (var m = 0; m < 3; m++)
        {
            h.Seed(m);
        }

        h.Trade(0, Minute(0) + 100, 500_000, 200);
        h.Trade(1, Minute(0) + 100, 500_000, 150);
        h.Book(0, Minute(1) + 10);
        h.Book(1, Minute(1) + 10);
        Assert.Single(Orders(h.Trade(0, Minute(1) + 1_000, 500_000)));
        Assert.Empty(Orders(h.Trade(1, Minute(1) + 1_000, 500_000))); // a candidate, but the one position is taken
        Assert.Equal(2, h.Core.Candidates.Length);
    }

    [Fact]
    public void Partial_fills_then_a_market_buy_ending_in_cancel_is_a_fill()
    {
        var h = NewSeeded();
        var buy = Assert.Single(Orders(h.Surge()));
        h.Update(buy.IntentId, OrderEventKind.Accepted, ms: Minute(1) + 1_010);
        h.Update(buy.IntentId, OrderEventKind.Fill, 0.4m, 200_000m, 100m, Minute(1) + 1_020);
        h.Update(buy.IntentId, OrderEventKind.Fill, 0.4m, 200_000m, 100m, Minute(1) + 1_021); // duplicate: no double count
        Assert.Equal(PositionState.Entering, h.Core.Market(0).Position.State);
        // Upbit's documented market buy: spent 5,999.79 of 6,000 and ended `cancel` — here 499,998 of 500,000.
        h.Update(buy.IntentId, OrderEventKind.Cancelled, 0.999996m, 499_998m, 249.999m, Minute(1) + 1_030);
        var p = h.Core.Market(0).Position;
        Assert.Equal(PositionState.Open, p.State);
        Assert.Equal(0.999996m, p.HeldVolume);
        Assert.Equal(500_000, p.AvgEntryPrice, 1e-6);
        Assert.Equal(1_000_000m - 499_998m - 249.999m, h.Core.FreeKrw); // the unspent reservation came back
    }

    [Fact]
    public void A_rejected_buy_returns_to_flat_and_frees_the_krw()
    {
        var h = NewSeeded();
        var buy = Assert.Single(Orders(h.Surge()));
        h.Update(buy.IntentId, OrderEventKind.Rejected, ms: Minute(1) + 1_100, reason: "insufficient_funds_bid", error: UpbitHft.Gateway.Errors.UpbitErrorCode.InsufficientFunds);
        Assert.Equal(PositionState.Flat, h.Core.Market(0).Position.State);
        Assert.Equal(1_000_000m, h.Core.FreeKrw);
    }

    [Fact]
    public void Resting_take_profit_the_stop_cancels_it_first_then_sells_the_rest()
    {
        var (h, _) = OpenBtcAt500k(new DecisionOptions { RestingTakeProfit = true });
        var limit = Assert.Single(h.All, a => a.Kind == ActionKind.SubmitLimitSell);
        Assert.Equal(501_500m, limit.LimitPrice); // tick-aligned (500 KRW ticks at this price)
        var p = h.Core.Market(0).Position;
        Assert.False(p.TargetArmed);
        Assert.True(p.StopArmed);

        h.Update(limit.IntentId, OrderEventKind.Fill, 0.25m, 125_375m, 62.69m, Minute(1) + 1_500);
        var cancel = Assert.Single(Orders(h.Trade(0, Minute(1) + 2_000, 494_000)));
        Assert.Equal(ActionKind.CancelOrder, cancel.Kind);
        Assert.Equal(limit.IntentId, cancel.TargetIntentId);
        Assert.Empty(Orders(h.Trade(0, Minute(1) + 2_100, 493_000)));

        var sell = Assert.Single(Orders(h.Update(limit.IntentId, OrderEventKind.Cancelled, 0.25m, 125_375m, 62.69m, Minute(1) + 2_200)));
        Assert.Equal(ActionKind.SubmitMarketSell, sell.Kind);
        Assert.Equal(0.75m, sell.Volume);
        var closed = h.Update(sell.IntentId, OrderEventKind.Done, 0.75m, 369_750m, 184.88m, Minute(1) + 2_300);
        var trade = Assert.Single(closed, a => a.Kind == ActionKind.TradeClosed);
        Assert.Equal(ExitReason.StopLoss, trade.Exit);
        Assert.Equal(125_375m + 369_750m - 500_000m - 250m - 62.69m - 184.88m, trade.PnlKrw);
    }

    [Fact]
    public void Resting_take_profit_filling_disarms_the_stop()
    {
        var (h, _) = OpenBtcAt500k(new DecisionOptions { RestingTakeProfit = true });
        var limit = Assert.Single(h.All, a => a.Kind == ActionKind.SubmitLimitSell);
        var closed = h.Update(limit.IntentId, OrderEventKind.Done, 1.0m, 501_500m, 250.75m, Minute(1) + 2_000);
        Assert.Equal(ExitReason.TakeProfit, Assert.Single(closed, a => a.Kind == ActionKind.TradeClosed).Exit);
        Assert.Empty(Orders(h.Trade(0, Minute(1) + 3_000, 490_000)));
        Assert.Equal(PositionState.Flat, h.Core.Market(0).Position.State);
    }

    [Fact]
    public void A_refused_exit_is_retried_after_the_pause_and_never_doubled()
    {
        var (h, _) = OpenBtcAt500k();
        var sell = Assert.Single(Orders(h.Trade(0, Minute(1) + 3_000, 495_000)));
        h.Update(sell.IntentId, OrderEventKind.Rejected, ms: Minute(1) + 3_050, reason: "market_offline", error: UpbitHft.Gateway.Errors.UpbitErrorCode.MarketOffline);
        Assert.Empty(Orders(h.Trade(0, Minute(1) + 3_500, 494_000)));
        var retry = Assert.Single(Orders(h.Trade(0, Minute(1) + 4_100, 494_000)));
        Assert.Equal(ActionKind.SubmitMarketSell, retry.Kind);
        Assert.NotEqual(sell.IntentId, retry.IntentId);
        Assert.Equal(ExitReason.StopLoss, retry.Exit);
        Assert.Empty(Orders(h.Timer(Minute(1) + 9_000)));
    }

    [Fact]
    public void Cooldown_daily_loss_and_losing_streak_block_new_entries()
    {
        var (h, _) = OpenBtcAt500k(new DecisionOptions { MaxConsecutiveLosses = 1 });
        var sell = Assert.Single(Orders(h.Trade(0, Minute(1) + 3_000, 495_000)));
        h.Update(sell.IntentId, OrderEventKind.Done, 1.0m, 495_000m, 247.5m, Minute(1) + 3_100);
        Assert.Equal(Minute(1) + 3_100 + (5 * 60_000), h.Core.Market(0).CooldownUntilMs);

        // Market 1 now surges too, but one loss in a row is the limit.
        h.Trade(1, Minute(1) + 100, 500_000, 300);
        h.Book(1, Minute(2) + 10);
        Assert.Empty(Orders(h.Trade(1, Minute(2) + 1_000, 500_000)));
    }

    [Fact]
    public void A_silent_held_market_is_reported_stale_once_and_blocks_entries_until_fresh()
    {
        var (h, _) = OpenBtcAt500k();
        Assert.DoesNotContain(h.Timer(Minute(1) + 10_000), a => a.Kind == ActionKind.MarketStale);
        var stale = Assert.Single(h.Timer(Minute(1) + 17_000), a => a.Kind == ActionKind.MarketStale);
        Assert.Equal(0, stale.MarketId);
        Assert.DoesNotContain(h.Timer(Minute(1) + 18_000), a => a.Kind == ActionKind.MarketStale); // once
        Assert.Equal(1, h.Core.StaleHeldMarkets);

        // Market 1 surges meanwhile: no entry while a held market is blind.
        h.Trade(1, Minute(1) + 100, 500_000, 300);
        h.Book(1, Minute(2) + 10);
        Assert.Empty(Orders(h.Trade(1, Minute(2) + 1_000, 500_000)));

        h.Trade(0, Minute(2) + 2_000, 500_100); // data again
        Assert.Equal(0, h.Core.StaleHeldMarkets);
        Assert.Single(Orders(h.Trade(1, Minute(2) + 3_000, 500_000)));
    }

    [Fact]
    public void Kill_switch_flattens_open_positions_with_its_reason()
    {
        var (h, _) = OpenBtcAt500k();
        var sell = Assert.Single(Orders(h.Collect(b => h.Core.KillSwitch(Minute(1) + 2_000, b))));
        Assert.Equal(ExitReason.KillSwitch, sell.Exit);
        Assert.True(h.Core.Killed);
    }

    [Fact]
    public void Closed_candles_carry_ohlcv_rsi_and_surge()
    {
        var h = NewSeeded();
        h.Trade(0, Minute(0) + 1_000, 500_000, 100);
        h.Trade(0, Minute(0) + 2_000, 501_000, 100);
        h.Trade(0, Minute(0) + 3_000, 499_000, 1);
        var closed = h.Trade(0, Minute(1) + 1_000, 500_000).Where(a => a.Kind == ActionKind.CandleClosed && a.MarketId == 0).ToList();
        var c = Assert.Single(closed);
        Assert.Equal(Minute(0) / 60_000, c.CandleMinute);
        Assert.Equal(500_000, c.Open);
        Assert.Equal(501_000, c.High);
        Assert.Equal(499_000, c.Low);
        Assert.Equal(499_000, c.Price);
        Assert.Equal(201, c.CandleVolume, 1e-9);
        Assert.True(c.Rsi is >= 0 and <= 100);
        Assert.True(c.SurgeRatio > 2);
    }

    [Fact]
    public void Invalid_options_are_rejected_with_clear_messages()
    {
        var errors = new DecisionOptions { RsiPeriod = 0, TakeProfit = 0, StopLoss = -0.01, PositionFraction = 1.5m }.Errors();
        Assert.Equal(4, errors.Count);
        Assert.Contains(errors, e => e.Contains("RsiPeriod", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("TakeProfit", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("StopLoss", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("PositionFraction", StringComparison.Ordinal));
        Assert.Throws<ArgumentException>(() => new DecisionCore(new DecisionOptions { RsiPeriod = 0 }, 3));
        Assert.Empty(new DecisionOptions().Errors());
    }

    [Fact]
    public void Handling_trades_and_books_allocates_nothing_once_warm()
    {
        var (h, _) = OpenBtcAt500k();
        var buffer = new ActionBuffer();
        for (var i = 0; i < 1_000; i++)
        {
            h.Core.OnTrade(1, Minute(2) + i, 500_000 + (i % 7), 0.01, buffer);
            h.Core.OnOrderbook(1, Minute(2) + i, 5, 10, 1, 2, buffer);
            buffer.Clear();
        }

        var t = 0;
        var allocated = TestSupport.Allocations.SteadyState(() =>
        {
            for (var i = 0; i < 30_000; i++, t++)
            {
                h.Core.OnTrade(t % 3, Minute(2) + 1_000 + (t / 10), 500_000 + (t % 7), 0.01, buffer);
                h.Core.OnOrderbook(t % 3, Minute(2) + 1_000 + (t / 10), 5, 10, 1, 2, buffer);
                buffer.Clear();
            }
        });
        Assert.Equal(0, allocated);
    }

    private static CoreHarness NewSeeded()
    {
        var h = new CoreHarness();
        for (var m = 0; m < 3; m++)
        {
            h.Seed(m);
        }

        return h;
    }
}
