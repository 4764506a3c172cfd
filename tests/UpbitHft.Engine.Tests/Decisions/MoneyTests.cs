using UpbitHft.Engine.Decisions;
using UpbitHft.Gateway.Errors;
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

    [Fact]
    public void A_rest_krw_read_that_began_before_the_last_order_event_does_not_replace_free_krw()
    {
        var (h, _) = OpenBtcAt500k();
        var sell = Assert.Single(Orders(h.Trade(0, Minute(1) + 2_000, 495_000)));
        var refused = h.Update(sell.IntentId, OrderEventKind.Rejected, ms: Minute(1) + 2_050, error: UpbitErrorCode.InsufficientFunds);
        var first = Assert.Single(refused, a => a.Kind == ActionKind.RefreshBalances);
        var retry = Assert.Single(Orders(h.Trade(0, Minute(1) + 3_100, 495_000)));
        var closed = h.Update(retry.IntentId, OrderEventKind.Done, 1.0m, 495_000m, 247.5m, Minute(1) + 3_200);
        var second = Assert.Single(closed, a => a.Kind == ActionKind.RefreshBalances);
        Assert.Equal(499_750m + 494_752.5m, h.Core.FreeKrw);

        // The read asked for after the refusal began before the sale: its KRW is older than what the core counted since.
        h.Balance(-1, 499_750m, answersRequest: first.IntentId);
        Assert.Equal(499_750m + 494_752.5m, h.Core.FreeKrw);

        // The one asked for at the close began after it: the exchange's word.
        h.Balance(-1, 994_500m, answersRequest: second.IntentId);
        Assert.Equal(994_500m, h.Core.FreeKrw);

        // myAsset is current.
        h.Balance(-1, 994_502.5m);
        Assert.Equal(994_502.5m, h.Core.FreeKrw);
    }

    [Fact]
    public void A_rest_coin_read_that_began_before_the_markets_last_order_event_does_not_cap_the_exit()
    {
        var h = Seeded(new DecisionOptions { RestingTakeProfit = true });
        h.Trade(0, Minute(0) + 1_000, 500_000, 200);
        h.Trade(1, Minute(0) + 1_000, 500_000, 200);
        h.Book(1, Minute(1) + 500);
        var refusedBuy = Assert.Single(Orders(h.Trade(1, Minute(1) + 1_000, 500_000)));
        var asked = Assert.Single(h.Update(refusedBuy.IntentId, OrderEventKind.Rejected, ms: Minute(1) + 1_050, error: UpbitErrorCode.InsufficientFunds),
            a => a.Kind == ActionKind.RefreshBalances);
        h.Balance(-1, 1_000_000m, answersRequest: asked.IntentId);
        var buy = Assert.Single(Orders(h.Book(0, Minute(1) + 1_100))); // the minute is closed: a fresh book enters
        var limit = Assert.Single(Orders(h.Update(buy.IntentId, OrderEventKind.Done, 1.0m, 500_000m, 250m, Minute(1) + 1_300)));
        Assert.Equal(ActionKind.SubmitLimitSell, limit.Kind);

        // A read answering that request begins while the take-profit rests (its coin locked), the exchange then
        // cancels the take-profit, and the read arrives: it shows no free coin, but it predates the cancel.
        h.Update(limit.IntentId, OrderEventKind.Cancelled, ms: Minute(1) + 1_400);
        h.Balance(0, 0m, locked: 1.0m, answersRequest: asked.IntentId);
        var sell = Assert.Single(Orders(h.Trade(0, Minute(1) + 2_000, 501_500)));
        Assert.Equal((ActionKind.SubmitMarketSell, 1.0m), (sell.Kind, sell.Volume));
    }

    [Fact]
    public void An_exit_the_exchange_shows_locked_waits_for_its_coins_instead_of_closing_as_dust()
    {
        var (h, _) = OpenBtcAt500k();
        h.Balance(0, 0m, locked: 1.0m); // myAsset: the coin is there, locked by something not final at the exchange yet
        var stop = h.Trade(0, Minute(1) + 2_000, 495_000);
        Assert.Empty(Orders(stop));
        Assert.DoesNotContain(stop, a => a.Kind == ActionKind.TradeClosed);
        Assert.Single(stop, a => a.Kind == ActionKind.RefreshBalances);
        Assert.Equal(PositionState.Exiting, h.Core.Market(0).Position.State);

        // Free again: the retry after the pause sells all of it.
        h.Balance(0, 1.0m);
        Assert.Empty(Orders(h.Trade(0, Minute(1) + 2_500, 495_000)));
        var sell = Assert.Single(Orders(h.Trade(0, Minute(1) + 3_000, 495_000)));
        Assert.Equal((ExitReason.StopLoss, 1.0m), (sell.Exit, sell.Volume));
    }

    [Fact]
    public void A_buy_done_without_its_amount_is_booked_at_its_amount_not_at_the_price_it_was_decided_at()
    {
        var h = Seeded();
        var buy = Assert.Single(Orders(h.Surge())); // 500,000 KRW decided at 500,000

        // Filled at 500,050: 0.9999 coins; the final answer says `done` without its amount. A done buy by amount spent
        // exactly that amount (and its fee): free KRW is what the exchange has, not 50 KRW more.
        var thin = h.Update(buy.IntentId, OrderEventKind.Done, 0.9999m, 0m, 250m, Minute(1) + 1_100, fundsMissing: true);
        var opened = Assert.Single(thin, a => a.Kind == ActionKind.PositionOpened);
        Assert.Equal(((double)(500_000m / 0.9999m), true), (opened.EntryPrice, opened.Estimated));
        Assert.Single(thin, a => a.Kind == ActionKind.RefreshOrder && a.TargetIntentId == buy.IntentId);
        Assert.Equal(1_000_000m - 500_250m, h.Core.FreeKrw);
    }

    [Fact]
    public void A_buys_real_amount_after_a_krw_balance_that_holds_it_does_not_change_free_krw_again()
    {
        var h = Seeded();
        var buy = Assert.Single(Orders(h.Surge()));

        // Ended `cancel` without its amount: at most the amount spent, estimated at the price decided at (0.99 × 500,000).
        h.Update(buy.IntentId, OrderEventKind.Cancelled, 0.99m, 0m, 0m, Minute(1) + 1_100, fundsMissing: true);
        Assert.Equal(1_000_000m - 495_247.5m, h.Core.FreeKrw);

        // The exchange says what is free: it spent 499,998 and a fee of 249.999.
        h.Balance(-1, 499_752.001m);
        Assert.Equal(499_752.001m, h.Core.FreeKrw);

        // The real amount arrives: the exits are re-based on it, and free KRW, the exchange's already, stays.
        var real = h.Update(buy.IntentId, OrderEventKind.Cancelled, 0.99m, 499_998m, 249.999m, Minute(1) + 1_500);
        var rebased = Assert.Single(real, a => a.Kind == ActionKind.PositionOpened);
        Assert.Equal(((double)(499_998m / 0.99m), true), (rebased.EntryPrice, rebased.Rebased));
        Assert.Equal(499_752.001m, h.Core.FreeKrw);
    }

    [Fact]
    public void A_late_partial_fill_does_not_rebase_a_position_opened_on_its_buys_amount()
    {
        var h = Seeded();
        var buy = Assert.Single(Orders(h.Surge()));
        h.Update(buy.IntentId, OrderEventKind.Fill, 0.4m, 200_000m, 100m, Minute(1) + 1_100);
        h.Update(buy.IntentId, OrderEventKind.Done, 1.0m, 0m, 250m, Minute(1) + 1_200, fundsMissing: true);
        Assert.Equal(1_000_000m - 500_250m, h.Core.FreeKrw);

        // The partial fill arrives again, late (re-ordered): 200,000 KRW is part of the buy, not what its 1.0 coin cost.
        var late = h.Update(buy.IntentId, OrderEventKind.Fill, 0.4m, 200_000m, 100m, Minute(1) + 1_300);
        Assert.DoesNotContain(late, a => a.Kind == ActionKind.PositionOpened);
        Assert.Equal(1_000_000m - 500_250m, h.Core.FreeKrw);

        // The exits still stand on 500,000: the market there is neither a stop nor a take-profit.
        Assert.Empty(Orders(h.Trade(0, Minute(1) + 2_000, 500_000)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)] // the buy's first answer comes before the read: the read may predate it, so it settles nothing
    public void A_remainder_check_answered_while_the_market_is_entering_again_is_asked_again_when_that_buy_ends_with_nothing(bool acceptedFirst)
    {
        var (h, _) = OpenBtcAt500k(new DecisionOptions { CooldownMs = 0 });
        var sell = Assert.Single(Orders(h.Trade(0, Minute(1) + 2_000, 501_500)));
        var check = Assert.Single(h.Update(sell.IntentId, OrderEventKind.Done, 1.0m, 501_500m, 250.75m, Minute(1) + 2_100),
            a => a.Kind == ActionKind.RefreshBalances);
        var buy = Assert.Single(Orders(h.Book(0, Minute(1) + 2_200))); // the market is entered again
        Assert.Equal(ActionKind.SubmitMarketBuy, buy.Kind);
        if (acceptedFirst)
        {
            h.Update(buy.IntentId, OrderEventKind.Accepted, ms: Minute(1) + 2_250);
        }

        // The check's read shows 0.02 coins while the buy is out: not sold (whose are they?), and not forgotten either.
        Assert.Empty(Orders(h.Balance(0, 0.02m, answersRequest: check.IntentId, ms: Minute(1) + 2_300)));
        h.Collect(b => h.Core.OnBalanceSnapshotEnd(check.IntentId));
        Assert.Equal(check.IntentId, h.Core.Market(0).RemainderCheck);

        // The buy ends with nothing: the balances are read again, and the coins there are sold as a remainder.
        var ended = acceptedFirst
            ? h.Update(buy.IntentId, OrderEventKind.Cancelled, ms: Minute(1) + 2_400)
            : h.Update(buy.IntentId, OrderEventKind.Rejected, ms: Minute(1) + 2_400, error: UpbitErrorCode.MarketOffline);
        var again = Assert.Single(ended, a => a.Kind == ActionKind.RefreshBalances);
        var remainder = Assert.Single(Orders(h.Balance(0, 0.02m, answersRequest: again.IntentId, ms: Minute(1) + 2_500)));
        Assert.Equal((ActionKind.SubmitMarketSell, 0.02m, ExitReason.Remainder), (remainder.Kind, remainder.Volume, remainder.Exit));
    }

    [Fact]
    public void Dust_booked_at_a_close_and_sold_later_as_a_remainder_counts_only_its_gain_since()
    {
        var (h, _) = OpenBtcAt500k();
        var sell = Assert.Single(Orders(h.Trade(0, Minute(1) + 2_000, 495_000)));

        // The stop sells 0.99 of the coin: 0.01 is left, 4,950 KRW at 495,000, under the minimum: booked at that value.
        var closed = h.Update(sell.IntentId, OrderEventKind.Done, 0.99m, 490_050m, 245.025m, Minute(1) + 2_100);
        var trade = Assert.Single(closed, a => a.Kind == ActionKind.TradeClosed);
        Assert.Equal(490_050m + 4_950m - 500_000m - 250m - 245.025m, trade.PnlKrw);
        var check = Assert.Single(closed, a => a.Kind == ActionKind.RefreshBalances);

        // The price rises: the 0.01 is worth 5,001 when the check's read finds it, and is sold as a remainder. Its
        // P&L is what it fetched over the 4,950 already booked for it, not all 5,001 again.
        h.Trade(0, Minute(1) + 3_000, 500_100);
        var remainder = Assert.Single(Orders(h.Balance(0, 0.01m, answersRequest: check.IntentId, ms: Minute(1) + 3_100)));
        Assert.Equal((ExitReason.Remainder, 0.01m), (remainder.Exit, remainder.Volume));
        var done = h.Update(remainder.IntentId, OrderEventKind.Done, 0.01m, 5_001m, 2.5005m, Minute(1) + 3_200);
        Assert.Equal(5_001m - 4_950m - 2.5005m, Assert.Single(done, a => a.Kind == ActionKind.TradeClosed).PnlKrw);

        // Over both, the P&L is the KRW the exchange gained or lost: -500,250 + 489,804.975 + 4,998.4995.
        Assert.Equal(-5_446.5255m, h.Core.RealizedPnlKrw);
    }

    [Fact]
    public void Sale_proceeds_a_krw_balance_already_holds_are_not_added_again_when_the_trade_closes()
    {
        var (h, _) = OpenBtcAt500k();
        var sell = Assert.Single(Orders(h.Trade(0, Minute(1) + 2_000, 501_800)));
        h.Update(sell.IntentId, OrderEventKind.Done, 1.0m, 0m, 250.9m, Minute(1) + 2_100, fundsMissing: true); // sold; amount asked for

        // The exchange reports free KRW with the sale in it, then the sale's amount arrives and closes the trade.
        h.Balance(-1, 1_001_299.1m);
        var closed = h.Update(sell.IntentId, OrderEventKind.Done, 1.0m, 501_800m, 250.9m, Minute(1) + 2_200);
        Assert.Equal(501_800m - 500_000m - 250m - 250.9m, Assert.Single(closed, a => a.Kind == ActionKind.TradeClosed).PnlKrw);
        Assert.Equal(1_001_299.1m, h.Core.FreeKrw);
    }

    [Fact]
    public void After_a_krw_balance_during_an_exit_only_what_later_sells_fetched_is_added_until_the_exchange_says_more()
    {
        var (h, _) = OpenBtcAt500k();
        var first = Assert.Single(Orders(h.Trade(0, Minute(1) + 2_000, 495_000)));

        // A KRW balance while the stop's sell is out: it may or may not hold what that sell fetches.
        h.Balance(-1, 499_750m);
        h.Update(first.IntentId, OrderEventKind.Cancelled, 0.5m, 247_500m, 123.75m, Minute(1) + 2_100); // half sold
        var second = Assert.Single(Orders(h.Trade(0, Minute(1) + 3_100, 494_000)));
        Assert.Equal(0.5m, second.Volume);
        var closed = h.Update(second.IntentId, OrderEventKind.Done, 0.5m, 247_000m, 123.5m, Minute(1) + 3_200);

        // The second sell was placed after the report: its proceeds are added. The first one's may be in the report:
        // not added (free KRW errs low) until the exchange's figure, asked for at the close, arrives.
        Assert.Equal(499_750m + 246_876.5m, h.Core.FreeKrw);
        var read = Assert.Single(closed, a => a.Kind == ActionKind.RefreshBalances);
        h.Balance(-1, 994_002.75m, answersRequest: read.IntentId);
        Assert.Equal(994_002.75m, h.Core.FreeKrw);
    }
}
