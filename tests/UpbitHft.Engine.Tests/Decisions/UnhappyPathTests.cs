using UpbitHft.Engine.Decisions;
using UpbitHft.Gateway.Errors;
using UpbitHft.Gateway.Orders;
using static UpbitHft.Engine.Tests.Decisions.CoreHarness;

namespace UpbitHft.Engine.Tests.Decisions;

/// <summary>
/// The decision core when the exchange misbehaves in ordinary ways: unknown outcomes, answers without amounts, late
/// answers, refused orders, balances that contradict the bookkeeping, dust, a silent feed. Unknown is a state, the
/// exchange is the truth for money, nothing turns into an order storm.
/// </summary>
public class UnhappyPathTests
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

    private static List<DecisionAction> Of(List<DecisionAction> actions, ActionKind kind) => actions.Where(a => a.Kind == kind).ToList();

    [Fact]
    public void A_buy_whose_outcome_is_unknown_blocks_the_market_until_the_exchange_answers_and_its_fill_then_opens_the_position()
    {
        var h = Seeded();
        var buy = Assert.Single(Orders(h.Surge()));
        h.Update(buy.IntentId, OrderEventKind.Unknown, ms: Minute(1) + 1_100, error: UpbitErrorCode.Timeout);
        var p = h.Core.Market(0).Position;
        Assert.Equal(PositionState.Entering, p.State);
        Assert.True(p.EntryUnknown);
        Assert.Equal(1_000_000m - 500_250m, h.Core.FreeKrw); // still reserved: the buy may exist

        // Prices and books keep coming: never a second buy while the first is unknown.
        for (var i = 0; i < 20; i++)
        {
            Assert.Empty(Orders(h.Book(0, Minute(1) + 2_000 + (i * 500))));
            Assert.Empty(Orders(h.Trade(0, Minute(1) + 2_100 + (i * 500), 500_000)));
        }

        // Overdue: the core asks the exchange about it (a lookup), and keeps asking every timeout.
        var overdue = h.Timer(Minute(1) + 12_000);
        Assert.Single(overdue, a => a.Kind == ActionKind.OrderOverdue && a.IntentId == buy.IntentId);
        Assert.Single(overdue, a => a.Kind == ActionKind.RefreshOrder && a.TargetIntentId == buy.IntentId);
        Assert.Single(Of(h.Timer(Minute(1) + 22_500), ActionKind.RefreshOrder));

        // The exchange finally says it filled: the position opens from the real amounts and its exits are armed.
        var opened = h.Update(buy.IntentId, OrderEventKind.Done, 1.0m, 500_000m, 250m, Minute(1) + 30_000);
        Assert.Single(opened, a => a.Kind == ActionKind.PositionOpened);
        Assert.Equal(PositionState.Open, p.State);
        Assert.Equal((501_500d, 495_000d), (p.Target, p.Stop));
        Assert.False(p.EntryUnknown);
    }

    [Fact]
    public void Refused_entries_pause_one_second_doubling_so_a_minute_of_refusals_is_a_handful_of_orders_not_a_storm()
    {
        var h = Seeded();
        h.Trade(0, Minute(0) + 1_000, 500_000, 100_000_000 / 500_000.0);
        var buys = 0;
        for (var t = Minute(1) + 500; t < Minute(1) + 59_500; t += 100)
        {
            h.Timer(t);
            foreach (var buy in Orders(h.Book(0, t)).Concat(Orders(h.Trade(0, t + 50, 500_000))))
            {
                buys++;
                h.Update(buy.IntentId, OrderEventKind.Rejected, ms: t + 60, reason: "market_offline", error: UpbitErrorCode.MarketOffline);
            }
        }

        // Attempts at about 0, 1, 3, 7, 15, 31 s: six, where a retry on every tick would have been ~590.
        Assert.InRange(buys, 5, 7);
        Assert.Equal(1_000_000m, h.Core.FreeKrw); // every refusal gave its reservation back
    }

    [Fact]
    public void Insufficient_funds_for_a_buy_reads_the_balances_and_cools_the_market_down_instead_of_retrying()
    {
        var h = Seeded();
        var buy = Assert.Single(Orders(h.Surge()));
        var refused = h.Update(buy.IntentId, OrderEventKind.Rejected, ms: Minute(1) + 1_100, reason: "insufficient_funds_bid", error: UpbitErrorCode.InsufficientFunds);
        Assert.Single(refused, a => a.Kind == ActionKind.RefreshBalances);
        Assert.Equal(Minute(1) + 1_100 + (5 * 60_000), h.Core.Market(0).CooldownUntilMs);

        // The exchange says 300,000 KRW is free: that is what the next entry elsewhere may use.
        h.Balance(-1, 300_000m);
        Assert.Equal(300_000m, h.Core.FreeKrw);
        for (var i = 0; i < 50; i++)
        {
            h.Timer(Minute(1) + 2_000 + (i * 1_000));
            h.Book(0, Minute(1) + 2_000 + (i * 1_000));
            Assert.Empty(Orders(h.Trade(0, Minute(1) + 2_050 + (i * 1_000), 500_000)));
        }
    }

    [Fact]
    public void A_fill_without_its_amount_opens_the_position_from_an_estimate_asks_the_exchange_and_rebases_on_the_real_amount()
    {
        var h = Seeded(new DecisionOptions { RestingTakeProfit = true });
        var buy = Assert.Single(Orders(h.Surge()));
        var thin = h.Update(buy.IntentId, OrderEventKind.Cancelled, 1.0m, 0m, 250m, Minute(1) + 1_100, fundsMissing: true);
        var p = h.Core.Market(0).Position;

        // The coins are protected at once: exits armed from the price the buy was decided at; the amount is asked for.
        Assert.Equal(PositionState.Open, p.State);
        Assert.True(p.BasisEstimated);
        Assert.True(p.StopArmed && p.TargetArmed); // no resting limit on an estimated price: the engine watches the target
        Assert.Single(thin, a => a.Kind == ActionKind.PositionOpened && a.Estimated);
        Assert.Single(thin, a => a.Kind == ActionKind.RefreshOrder && a.TargetIntentId == buy.IntentId);
        Assert.DoesNotContain(thin, a => a.Kind == ActionKind.SubmitLimitSell);
        Assert.Equal(1.0m, p.HeldVolume);

        // The REST answer with the real amount arrives after the buy counted as final: reconciled, never ignored.
        var real = h.Update(buy.IntentId, OrderEventKind.Cancelled, 1.0m, 499_000m, 249.5m, Minute(1) + 1_500);
        Assert.Single(real, a => a.Kind == ActionKind.PositionOpened && a.Rebased);
        Assert.False(p.BasisEstimated);
        Assert.Equal(499_000, p.AvgEntryPrice);
        Assert.Equal((500_497d, 494_010d), (p.Target, p.Stop));
        var limit = Assert.Single(real, a => a.Kind == ActionKind.SubmitLimitSell); // now the take-profit can rest
        Assert.Equal(500_500m, limit.LimitPrice); // 500-KRW ticks at this price, rounded up
        Assert.Equal(1_000_000m - 499_249.5m, h.Core.FreeKrw);
    }

    [Fact]
    public void A_late_answer_with_more_volume_grows_the_position_and_the_exit_sells_all_of_it()
    {
        var (h, entry) = OpenBtcAt500k();
        h.Update(entry, OrderEventKind.Done, 1.2m, 600_000m, 300m, Minute(1) + 1_500); // the exchange's word: more was bought
        var p = h.Core.Market(0).Position;
        Assert.Equal(1.2m, p.HeldVolume);
        var sell = Assert.Single(Orders(h.Trade(0, Minute(1) + 2_000, 495_000)));
        Assert.Equal(1.2m, sell.Volume);
    }

    [Fact]
    public void The_stop_waits_for_the_take_profit_cancel_to_be_final_then_sells_exactly_the_remainder()
    {
        var (h, _) = OpenBtcAt500k(new DecisionOptions { RestingTakeProfit = true });
        var limit = Assert.Single(h.All, a => a.Kind == ActionKind.SubmitLimitSell);
        var cancel = Assert.Single(Orders(h.Trade(0, Minute(1) + 2_000, 494_000)));
        Assert.Equal(ActionKind.CancelOrder, cancel.Kind);

        // The cancel is refused or unanswered at the exchange (the gateway keeps trying): the core sends nothing more,
        // whatever the price does, and asks about the take-profit when it is overdue.
        for (var i = 0; i < 10; i++)
        {
            Assert.Empty(Orders(h.Trade(0, Minute(1) + 2_100 + (i * 100), 490_000)));
        }

        Assert.Single(h.Timer(Minute(1) + 13_000), a => a.Kind == ActionKind.RefreshOrder && a.TargetIntentId == limit.IntentId);
        h.Update(limit.IntentId, OrderEventKind.Fill, 0.4m, 200_600m, 100.3m, Minute(1) + 14_000); // filled partly meanwhile
        var sell = Assert.Single(Orders(h.Update(limit.IntentId, OrderEventKind.Cancelled, 0.4m, 200_600m, 100.3m, Minute(1) + 15_000)));
        Assert.Equal(ActionKind.SubmitMarketSell, sell.Kind);
        Assert.Equal(0.6m, sell.Volume);
    }

    [Fact]
    public void A_take_profit_that_fills_while_its_cancel_is_out_is_honoured_and_nothing_is_sold()
    {
        var (h, _) = OpenBtcAt500k(new DecisionOptions { RestingTakeProfit = true });
        var limit = Assert.Single(h.All, a => a.Kind == ActionKind.SubmitLimitSell);
        Assert.Equal(ActionKind.CancelOrder, Assert.Single(Orders(h.Trade(0, Minute(1) + 2_000, 494_000))).Kind);
        var done = h.Update(limit.IntentId, OrderEventKind.Done, 1.0m, 501_500m, 250.75m, Minute(1) + 3_000);
        Assert.Equal(ExitReason.TakeProfit, Assert.Single(done, a => a.Kind == ActionKind.TradeClosed).Exit);
        Assert.DoesNotContain(done, a => a.Kind == ActionKind.SubmitMarketSell);
        Assert.Equal(PositionState.Flat, h.Core.Market(0).Position.State);
    }

    [Fact]
    public void A_sell_never_asks_for_more_than_the_exchange_reported_holding_when_that_report_is_current()
    {
        var (h, _) = OpenBtcAt500k();
        h.Balance(0, 0.99999999m); // the exchange holds a hair less than the bookkeeping (after the buy's answer)
        var sell = Assert.Single(Orders(h.Trade(0, Minute(1) + 2_000, 495_000)));
        Assert.Equal(0.99999999m, sell.Volume);

        // The sell takes what was there; the hair left is not sellable: the trade closes as the stop it was.
        var closed = h.Update(sell.IntentId, OrderEventKind.Done, 0.99999999m, 494_999.99m, 247.49m, Minute(1) + 2_100);
        Assert.Equal(ExitReason.StopLoss, Assert.Single(closed, a => a.Kind == ActionKind.TradeClosed).Exit);
    }

    [Fact]
    public void A_balance_read_before_the_latest_order_event_does_not_cap_the_sell()
    {
        var (h, entry) = OpenBtcAt500k();
        h.Balance(0, 0.5m);
        h.Update(entry, OrderEventKind.Done, 1.0m, 500_000m, 250m, Minute(1) + 1_500); // a repeat of the buy's answer: the read may predate it
        Assert.Equal(1.0m, Assert.Single(Orders(h.Trade(0, Minute(1) + 2_000, 495_000))).Volume);
    }

    [Fact]
    public void Insufficient_funds_for_a_sell_reads_the_balances_and_sells_what_the_exchange_holds_after_a_pause()
    {
        var (h, _) = OpenBtcAt500k();
        var sell = Assert.Single(Orders(h.Trade(0, Minute(1) + 2_000, 495_000)));
        var refused = h.Update(sell.IntentId, OrderEventKind.Rejected, ms: Minute(1) + 2_050, reason: "insufficient_funds_ask", error: UpbitErrorCode.InsufficientFunds);
        Assert.Single(refused, a => a.Kind == ActionKind.RefreshBalances);
        h.Balance(0, 0.7m);
        Assert.Empty(Orders(h.Trade(0, Minute(1) + 2_500, 495_000))); // the pause
        var retry = Assert.Single(Orders(h.Trade(0, Minute(1) + 3_100, 495_000)));
        Assert.Equal(0.7m, retry.Volume);

        // Another refusal doubles the pause: 2 s now, never a retry loop.
        h.Update(retry.IntentId, OrderEventKind.Rejected, ms: Minute(1) + 3_150, error: UpbitErrorCode.MarketOffline);
        Assert.Empty(Orders(h.Trade(0, Minute(1) + 4_200, 495_000)));
        Assert.Single(Orders(h.Trade(0, Minute(1) + 5_200, 495_000)));
    }

    [Fact]
    public void An_exit_worth_less_than_the_minimum_order_closes_as_dust_at_the_last_price_without_an_order()
    {
        var h = new CoreHarness();
        h.Collect(b => h.Core.RestorePosition(0, 0.009m, 500_000, 4_500m, 2.25m, b)); // 4,500 KRW of coins
        h.Trade(0, Minute(0), 499_000);
        var closed = h.Trade(0, Minute(0) + 1_000, 495_000);
        Assert.DoesNotContain(closed, a => a.Kind == ActionKind.SubmitMarketSell);
        var trade = Assert.Single(closed, a => a.Kind == ActionKind.TradeClosed);
        Assert.Equal(ExitReason.Dust, trade.Exit);
        Assert.Equal((0.009m * 495_000m) - 4_500m - 2.25m, trade.PnlKrw);
        Assert.Equal(PositionState.Flat, h.Core.Market(0).Position.State);
    }

    [Fact]
    public void An_exit_the_exchange_refuses_as_under_the_minimum_is_dust_and_never_resubmitted()
    {
        var (h, _) = OpenBtcAt500k();
        var sell = Assert.Single(Orders(h.Trade(0, Minute(1) + 2_000, 495_000)));
        var closed = h.Update(sell.IntentId, OrderEventKind.Rejected, ms: Minute(1) + 2_050, reason: "under_min_total_ask", error: UpbitErrorCode.UnderMinimum);
        Assert.Equal(ExitReason.Dust, Assert.Single(closed, a => a.Kind == ActionKind.TradeClosed).Exit);
        for (var i = 0; i < 20; i++)
        {
            Assert.Empty(Orders(h.Trade(0, Minute(1) + 3_000 + (i * 1_000), 495_000)));
        }
    }

    [Theory]
    [InlineData(10_100, false)] // 5,050 KRW: a −1 % stop would leave 4,999.5 less fees, under the 5,000 minimum
    [InlineData(10_200, true)] // 5,100 KRW
    public void Entries_are_sized_so_a_stop_exit_stays_above_the_minimum_order(int capital, bool enters)
    {
        var h = Seeded(new DecisionOptions { CapitalKrw = capital });
        Assert.Equal(5_056m, h.Core.Options.MinEntryKrw);
        Assert.Equal(enters, Orders(h.Surge()).Count == 1);
    }

    [Fact]
    public void After_a_trade_the_balances_are_read_and_a_remainder_worth_selling_is_sold_on_its_own()
    {
        var (h, _) = OpenBtcAt500k();
        var sell = Assert.Single(Orders(h.Trade(0, Minute(1) + 2_000, 501_500)));
        var closed = h.Update(sell.IntentId, OrderEventKind.Done, 1.0m, 501_500m, 250.75m, Minute(1) + 2_100);
        var read = Assert.Single(closed, a => a.Kind == ActionKind.RefreshBalances);
        Assert.Single(closed, a => a.Kind == ActionKind.CleanUpOrders);

        // A read that began before the sale (an older request) proves nothing; the one asked for after it does.
        Assert.Empty(Orders(h.Balance(0, 1.0m, answersRequest: read.IntentId - 1, ms: Minute(1) + 2_200)));
        var remainder = Assert.Single(Orders(h.Balance(0, 0.02m, answersRequest: read.IntentId, ms: Minute(1) + 2_300)));
        Assert.Equal((ActionKind.SubmitMarketSell, 0.02m, ExitReason.Remainder), (remainder.Kind, remainder.Volume, remainder.Exit));
        var done = h.Update(remainder.IntentId, OrderEventKind.Done, 0.02m, 10_030m, 5.01m, Minute(1) + 2_400);
        var trade = Assert.Single(done, a => a.Kind == ActionKind.TradeClosed);
        Assert.Equal((ExitReason.Remainder, 10_030m - 5.01m), (trade.Exit, trade.PnlKrw));

        // A coin the read does not name holds nothing: the check ends there.
        var again = Assert.Single(done, a => a.Kind == ActionKind.RefreshBalances);
        h.Collect(b => h.Core.OnBalanceSnapshotEnd(again.IntentId));
        Assert.Equal(0, h.Core.Market(0).RemainderCheck);
    }

    [Fact]
    public void While_the_public_socket_is_down_held_markets_are_watched_over_rest_and_their_stop_fires_on_a_rest_price()
    {
        var (h, _) = OpenBtcAt500k();
        var down = h.FeedStatus(publicUp: false, privateUp: true, Minute(1) + 2_000);
        Assert.Equal([0], Of(down, ActionKind.WatchMarket).Select(a => a.MarketId));
        var sell = Assert.Single(Orders(h.RestPrice(0, Minute(1) + 3_000, 494_000)));
        Assert.Equal(ExitReason.StopLoss, sell.Exit);

        // Data again from the feed: the REST watch ends.
        h.FeedStatus(publicUp: true, privateUp: true, Minute(1) + 4_000);
        Assert.Single(Of(h.Trade(0, Minute(1) + 4_100, 494_100), ActionKind.UnwatchMarket));
    }

    [Fact]
    public void A_silence_of_the_held_market_is_seen_by_the_timer_and_its_price_is_watched_over_rest()
    {
        var (h, _) = OpenBtcAt500k();
        var silent = h.Timer(Minute(1) + 20_000); // the engine's timer moves time on even though no data arrives
        Assert.Single(silent, a => a.Kind == ActionKind.MarketStale);
        Assert.Single(silent, a => a.Kind == ActionKind.WatchMarket && a.MarketId == 0);
        Assert.Equal(ActionKind.SubmitMarketSell, Assert.Single(Orders(h.RestPrice(0, Minute(1) + 21_000, 494_000))).Kind);
    }

    [Fact]
    public void Pause_stops_entries_only_and_resume_allows_them_again()
    {
        var (h, _) = OpenBtcAt500k(new DecisionOptions { MaxPositions = 2 });
        h.Core.SetPaused(true);
        h.Trade(1, Minute(1) + 100, 500_000, 300);
        h.Book(1, Minute(2) + 10);
        Assert.Empty(Orders(h.Trade(1, Minute(2) + 1_000, 500_000))); // no entry while paused
        Assert.Single(Orders(h.Trade(0, Minute(2) + 1_100, 495_000))); // the stop still sells
        h.Core.SetPaused(false);
        Assert.Single(Orders(h.Trade(1, Minute(2) + 2_000, 500_000)));
    }

    [Fact]
    public void While_the_journal_cannot_write_no_entry_is_made_but_exits_continue()
    {
        var (h, _) = OpenBtcAt500k(new DecisionOptions { MaxPositions = 2 });
        h.Core.OnJournalStatus(healthy: false);
        h.Trade(1, Minute(1) + 100, 500_000, 300);
        h.Book(1, Minute(2) + 10);
        Assert.Empty(Orders(h.Trade(1, Minute(2) + 1_000, 500_000)));
        Assert.Single(Orders(h.Trade(0, Minute(2) + 1_100, 495_000)));
        h.Core.OnJournalStatus(healthy: true);
        Assert.Single(Orders(h.Trade(1, Minute(2) + 2_000, 500_000)));
    }

    [Fact]
    public void The_private_socket_coming_back_asks_the_exchange_about_every_order_in_flight()
    {
        var (h, _) = OpenBtcAt500k(new DecisionOptions { RestingTakeProfit = true });
        var limit = Assert.Single(h.All, a => a.Kind == ActionKind.SubmitLimitSell);
        h.FeedStatus(publicUp: true, privateUp: false, Minute(1) + 2_000);
        var back = h.FeedStatus(publicUp: true, privateUp: true, Minute(1) + 3_000);
        Assert.Equal([limit.IntentId], Of(back, ActionKind.RefreshOrder).Select(a => a.TargetIntentId));
    }

    [Fact]
    public void A_closed_trade_carries_its_slippage_against_the_prices_that_triggered_entry_and_exit()
    {
        var h = Seeded();
        // The buy is decided on a trade at 500,000 with the best ask at 500,000, and fills at 500,500 (1.0 coin).
        var buy = Assert.Single(Orders(h.Surge()));
        Assert.Equal((500_000d, 500_000d), (buy.TriggerPrice, buy.BestPrice));
        h.Update(buy.IntentId, OrderEventKind.Done, 1m, 500_500m, 250.25m, Minute(1) + 1_100);
        h.Book(0, Minute(1) + 1_500, bestBid: 495_000, bestAsk: 495_500);
        var sell = Assert.Single(Orders(h.Trade(0, Minute(1) + 2_000, 495_400))); // the stop (495,495) triggers at 495,400
        Assert.Equal((495_400d, 495_000d), (sell.TriggerPrice, sell.BestPrice));
        var closed = Assert.Single(h.Update(sell.IntentId, OrderEventKind.Done, 1m, 495_000m, 247.5m, Minute(1) + 2_100), a => a.Kind == ActionKind.TradeClosed);

        Assert.Equal(500m + 400m, closed.SlippageKrw); // paid 500 above the trigger on the buy, got 400 less on the sell
        Assert.Equal(18.0, closed.SlippageBp, 9); // of 500,000 KRW
        Assert.Equal((500_000d, 500_000d, 495_400d, 495_000d), (closed.EntryTriggerPrice, closed.EntryBestPrice, closed.ExitTriggerPrice, closed.ExitBestPrice));
    }

    [Fact]
    public void The_kill_switch_sells_every_position_with_its_reason()
    {
        var h = Seeded(new DecisionOptions { MaxPositions = 2 });
        h.Collect(b => h.Core.RestorePosition(0, 1m, 500_000, 500_000m, 250m, b));
        h.Collect(b => h.Core.RestorePosition(1, 2m, 400_000, 800_000m, 400m, b));
        var sells = Orders(h.Collect(b => h.Core.KillSwitch(Minute(1), b)));
        Assert.Equal([(0, 1m, ExitReason.KillSwitch), (1, 2m, ExitReason.KillSwitch)], sells.Select(s => (s.MarketId, s.Volume, s.Exit)).Order());
    }
}
