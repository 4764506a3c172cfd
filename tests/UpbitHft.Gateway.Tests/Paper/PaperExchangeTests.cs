using UpbitHft.Gateway.Orders;
using UpbitHft.Gateway.Paper;

namespace UpbitHft.Gateway.Tests.Paper;

public class PaperExchangeTests
{
    // Three levels of a real KRW-IQ SIMPLE book (2021-04-05 capture): ask 41.4/41.5/41.6, bid 41.2/41.1/41.0.
    private static readonly double[] s_askPx = [41.4, 41.5, 41.6];
    private static readonly double[] s_askSz = [9354.4915888, 166549.32477005, 215587.54516761];
    private static readonly double[] s_bidPx = [41.2, 41.1, 41.0];
    private static readonly double[] s_bidSz = [24347.90399112, 209448.79353972, 224496.89309439];

    private static PaperExchange WithBook(decimal krw = 10_000_000m)
    {
        var x = new PaperExchange(2, new PaperExchangeOptions { InitialKrw = krw });
        x.OnOrderbook(0, s_askPx, s_askSz, s_bidPx, s_bidSz);
        return x;
    }

    [Fact]
    public void A_market_buy_walks_several_ask_levels_and_charges_the_fee()
    {
        var x = WithBook();
        // Level 1 holds 9354.49 × 41.4 ≈ 387,276 KRW; 1,000,000 KRW reaches level 2.
        var r = x.MarketBuy(1, 0, 1_000_000m);
        var level1 = 9354.4915888m;
        var level2 = PaperExchange.Truncate8((1_000_000m - (level1 * 41.4m)) / 41.5m);
        Assert.Equal(level1 + level2, r.ExecutedVolume);
        Assert.Equal((level1 * 41.4m) + (level2 * 41.5m), r.ExecutedFunds);
        Assert.Equal(r.ExecutedFunds * 0.0005m, r.PaidFee);
        // Truncating the volume to 8 decimals leaves a sliver unspent: Upbit ends such a market buy in `cancel`.
        Assert.Equal(OrderEventKind.Cancelled, r.State);
        Assert.True(1_000_000m - r.ExecutedFunds < 41.5m * 0.00000001m);
        Assert.Equal(10_000_000m - r.ExecutedFunds - r.PaidFee, x.Krw);
        Assert.Equal(r.ExecutedVolume, x.Coins(0));
    }

    [Fact]
    public void A_market_sell_walks_the_bids_and_credits_krw_after_fees()
    {
        var x = WithBook();
        var bought = x.MarketBuy(1, 0, 5_000_000m);
        var before = x.Krw;
        var r = x.MarketSell(2, 0, 30_000m);
        Assert.Equal(OrderEventKind.Done, r.State);
        Assert.Equal(30_000m, r.ExecutedVolume);
        Assert.Equal((24347.90399112m * 41.2m) + ((30_000m - 24347.90399112m) * 41.1m), r.ExecutedFunds);
        Assert.Equal(before + r.ExecutedFunds - r.PaidFee, x.Krw);
        Assert.Equal(bought.ExecutedVolume - 30_000m, x.Coins(0));
    }

    [Fact]
    public void Rejections_like_upbit()
    {
        var x = WithBook(krw: 100_000m);
        Assert.Equal("under_min_total_bid", x.MarketBuy(1, 0, 4_999m).RejectReason);
        Assert.Equal("insufficient_funds_bid", x.MarketBuy(2, 0, 100_000m).RejectReason); // the fee comes on top
        Assert.Equal("over_krw_funds_bid", WithBook(2_000_000_000m).MarketBuy(3, 0, 1_000_000_001m).RejectReason);
        Assert.Equal("insufficient_funds_ask", x.MarketSell(4, 0, 1m).RejectReason);
        Assert.Equal("no_book", x.MarketBuy(5, 1, 10_000m).RejectReason);
        x.MarketBuy(6, 0, 50_000m);
        Assert.Equal("under_min_total_ask", x.MarketSell(7, 0, 100m).RejectReason); // 100 × 41.2 < 5,000 KRW
        Assert.Equal("order_not_found", x.Cancel(99).RejectReason);
    }

    [Fact]
    public void A_resting_limit_sell_fills_when_trades_reach_it_and_cancel_returns_the_rest()
    {
        var x = WithBook();
        var bought = x.MarketBuy(1, 0, 1_000_000m).ExecutedVolume;
        Assert.Equal(OrderEventKind.Accepted, x.LimitSell(2, 0, 41.8m, 10_000m).State);
        Assert.Equal(bought - 10_000m, x.Coins(0));
        Assert.Equal(10_000m, x.LockedCoins(0));

        var results = new List<PaperResult>();
        x.OnTrade(0, 41.7, 5_000, results);
        Assert.Empty(results); // below the limit
        x.OnTrade(0, 41.8, 4_000, results);
        var partial = Assert.Single(results);
        Assert.Equal(OrderEventKind.Fill, partial.State);
        Assert.Equal(4_000m, partial.ExecutedVolume);

        var cancelled = x.Cancel(2);
        Assert.Equal(OrderEventKind.Cancelled, cancelled.State);
        Assert.Equal(4_000m, cancelled.ExecutedVolume);
        Assert.Equal(0m, x.LockedCoins(0));
        Assert.Equal(bought - 4_000m, x.Coins(0));

        Assert.Equal(OrderEventKind.Accepted, x.LimitSell(3, 0, 41.8m, 1_000m).State);
        results.Clear();
        x.OnTrade(0, 42.0, 5_000, results);
        var done = Assert.Single(results);
        Assert.Equal(OrderEventKind.Done, done.State);
        Assert.Equal(1_000m * 41.8m, done.ExecutedFunds);
        Assert.Equal(0, x.RestingCount);
    }

    [Fact]
    public void The_same_inputs_give_the_same_fills()
    {
        PaperResult Run()
        {
            var x = WithBook();
            x.MarketBuy(1, 0, 777_777m);
            return x.MarketSell(2, 0, 12_345.678m);
        }

        Assert.Equal(Run(), Run());
    }
}
