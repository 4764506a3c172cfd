using UpbitHft.Engine.Decisions;
using UpbitHft.Gateway.Errors;
using UpbitHft.Gateway.Orders;
using UpbitHft.Engine.Markets;

namespace UpbitHft.Engine.Tests.Decisions;

/// <summary>Drives a <see cref="DecisionCore"/> with explicit exchange times and collects its actions.</summary>
internal sealed class CoreHarness
{
    /// <summary>A minute boundary (Unix ms) where "now" starts in these tests.</summary>
    public const long T = 28_333_333L * 60_000;

    public CoreHarness(DecisionOptions? options = null, int markets = 3)
    {
        Core = new DecisionCore(options ?? new DecisionOptions(), markets);
    }

    public DecisionCore Core { get; }

    public ActionBuffer Buffer { get; } = new();

    public List<DecisionAction> All { get; } = [];

    public static long Minute(int m) => T + (m * 60_000L);

    /// <summary>25 minutes of history before T: closes that zig-zag upward (RSI ≈ 67), 10M KRW traded per minute.</summary>
    public void Seed(int market, double price = 500_000, bool falling = false, double valuePerMinute = 10_000_000) =>
        Core.SeedFromCandles(market, History(price, falling, valuePerMinute));

    /// <summary>The candles of <see cref="Seed"/>.</summary>
    public static HistoricalCandle[] History(double price = 500_000, bool falling = false, double valuePerMinute = 10_000_000)
    {
        var candles = new HistoricalCandle[25];
        for (var i = 0; i < 25; i++)
        {
            var dir = falling ? -1 : 1;
            var close = (price * (1 + (dir * 0.0004 * (i - 24)))) - (i % 3 == 2 ? dir * price * 0.0006 : 0);
            candles[i] = new HistoricalCandle(Minute(i - 25), close, close, close, close, valuePerMinute / close, valuePerMinute);
        }

        return candles;
    }

    public List<DecisionAction> Trade(int market, long ms, double price, double volume = 0.01) =>
        Collect(b => Core.OnTrade(market, ms, price, volume, b));

    public List<DecisionAction> Book(int market, long ms, double bid = 20, double ask = 10, double bestBid = 499_900, double bestAsk = 500_000) =>
        Collect(b => Core.OnOrderbook(market, ms, bid, ask, bestBid, bestAsk, b));

    public List<DecisionAction> Update(long intent, OrderEventKind kind, decimal volume = 0, decimal funds = 0, decimal fee = 0, long ms = 0, string? reason = null,
        UpbitErrorCode error = UpbitErrorCode.Unknown, bool fundsMissing = false)
    {
        var u = new OrderUpdate { IntentId = intent, Kind = kind, ExecutedVolume = volume, ExecutedFunds = funds, PaidFee = fee, TimestampMs = ms, RejectReason = reason, Error = error, FundsMissing = fundsMissing };
        return Collect(b => Core.OnOrderUpdate(u, b));
    }

    public List<DecisionAction> Balance(int market, decimal balance, decimal locked = 0, long answersRequest = 0, long ms = 0) =>
        Collect(b => Core.OnBalance(market, balance, locked, answersRequest, ms, b));

    public List<DecisionAction> FeedStatus(bool publicUp, bool privateUp, long ms) => Collect(b => Core.OnFeedStatus(publicUp, privateUp, ms, b));

    public List<DecisionAction> RestPrice(int market, long ms, double price) => Collect(b => Core.OnRestPrice(market, ms, price, b));

    public List<DecisionAction> Timer(long ms) => Collect(b => Core.OnTimer(ms, b));

    public List<DecisionAction> Collect(Action<ActionBuffer> step)
    {
        Buffer.Clear();
        step(Buffer);
        var list = Buffer.AsSpan().ToArray().ToList();
        All.AddRange(list);
        return list;
    }

    public static List<DecisionAction> Orders(List<DecisionAction> actions) =>
        actions.Where(a => a.Kind is ActionKind.SubmitMarketBuy or ActionKind.SubmitMarketSell or ActionKind.SubmitLimitSell or ActionKind.CancelOrder).ToList();

    /// <summary>
    /// Market 0 surges: 100M KRW traded in minute T (10× its 10M average); at T+1 a fresh book with bid &gt; ask and a
    /// trade at 500,000. Returns the actions of that last trade.
    /// </summary>
    public List<DecisionAction> Surge(int market = 0, double surgeValue = 100_000_000, double price = 500_000, double bid = 20, double ask = 10, long bookAt = -1)
    {
        Trade(market, Minute(0) + 1_000, price, surgeValue / price);
        Book(market, bookAt >= 0 ? bookAt : Minute(1) + 500, bid, ask);
        return Trade(market, Minute(1) + 1_000, price);
    }

    /// <summary>Seeds three markets, surges market 0, fills the buy at exactly 500,000 × 1.0: the position is open.</summary>
    public static (CoreHarness H, long EntryIntent) OpenBtcAt500k(DecisionOptions? options = null)
    {
        var h = new CoreHarness(options);
        for (var m = 0; m < 3; m++)
        {
            h.Seed(m);
        }

        var buy = Assert.Single(Orders(h.Surge()));
        Assert.Equal(ActionKind.SubmitMarketBuy, buy.Kind);
        Assert.Equal(500_000m, buy.AmountKrw);
        h.Update(buy.IntentId, OrderEventKind.Done, 1.0m, 500_000m, 250m, Minute(1) + 1_100);
        return (h, buy.IntentId);
    }
}
