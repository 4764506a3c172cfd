using UpbitHft.Gateway.Orders;

namespace UpbitHft.Gateway.Paper;

/// <summary>
/// A deterministic paper exchange with Upbit's face: market buys by KRW amount (<c>ord_type=price</c>) and market
/// sells by volume (<c>ord_type=market</c>) walk the latest book levels the engine has seen; resting limit sells fill
/// when trades reach their price; fees are charged in KRW; KRW and coin balances are kept; it refuses what Upbit
/// would refuse (below the minimum, above the maximum, insufficient balance).
/// </summary>
/// <remarks>
/// Synchronous and called on the engine thread, so a replay gives the same fills run after run. Book and trade
/// updates copy into preallocated arrays (no allocation per market event); order handling may allocate a little.
/// A market buy that cannot spend its whole amount (volume truncated to 8 decimals, or the book runs out) ends in
/// <see cref="OrderEventKind.Cancelled"/> with its fill, exactly like Upbit's <c>cancel</c> state (docs/upbit.md#order-states).
/// Fills do not consume the book: each order walks the latest snapshot.
/// </remarks>
public sealed class PaperExchange
{
    private readonly PaperExchangeOptions _options;
    private readonly Book[] _books;
    private readonly decimal[] _coins;
    private readonly decimal[] _lockedCoins;
    private readonly List<Resting> _resting = [];
    private decimal _krw;

    /// <summary>Creates an exchange for market ids 0..<paramref name="markets"/>-1.</summary>
    public PaperExchange(int markets, PaperExchangeOptions? options = null)
    {
        _options = options ?? new PaperExchangeOptions();
        _books = new Book[markets];
        for (var i = 0; i < markets; i++)
        {
            _books[i] = new Book(_options.Levels);
        }

        _coins = new decimal[markets];
        _lockedCoins = new decimal[markets];
        _krw = _options.InitialKrw;
    }

    /// <summary>Free KRW.</summary>
    public decimal Krw => _krw;

    /// <summary>Free coins of a market.</summary>
    public decimal Coins(int market) => _coins[market];

    /// <summary>Coins held by resting orders.</summary>
    public decimal LockedCoins(int market) => _lockedCoins[market];

    /// <summary>Resting orders.</summary>
    public int RestingCount => _resting.Count;

    /// <summary>Market ids this exchange holds (0..Markets-1).</summary>
    public int Markets => _coins.Length;

    /// <summary>Replaces a market's book (Upbit books are full snapshots). No allocation.</summary>
    public void OnOrderbook(int market, ReadOnlySpan<double> askPrices, ReadOnlySpan<double> askSizes, ReadOnlySpan<double> bidPrices, ReadOnlySpan<double> bidSizes)
    {
        var book = _books[market];
        var n = Math.Min(Math.Min(askPrices.Length, bidPrices.Length), book.AskPx.Length);
        askPrices[..n].CopyTo(book.AskPx);
        askSizes[..n].CopyTo(book.AskSz);
        bidPrices[..n].CopyTo(book.BidPx);
        bidSizes[..n].CopyTo(book.BidSz);
        book.Count = n;
    }

    /// <summary>A trade printed at <paramref name="price"/>: resting sells at or below it fill (up to the traded volume). Results go to <paramref name="results"/>.</summary>
    public void OnTrade(int market, double price, double volume, List<PaperResult> results)
    {
        if (_resting.Count == 0)
        {
            return;
        }

        var tradePrice = (decimal)price;
        var available = (decimal)volume;
        for (var i = 0; i < _resting.Count && available > 0; i++)
        {
            var r = _resting[i];
            if (r.Market != market || tradePrice < r.Price)
            {
                continue;
            }

            var take = Math.Min(r.Volume - r.Filled, available);
            available -= take;
            var funds = take * r.Price;
            var fee = funds * _options.FeeRate;
            r.Filled += take;
            r.Funds += funds;
            r.Fee += fee;
            _lockedCoins[market] -= take;
            _krw += funds - fee;
            if (r.Filled >= r.Volume)
            {
                _resting.RemoveAt(i--);
                results.Add(new PaperResult(r.IntentId, OrderEventKind.Done, r.Filled, r.Funds, r.Fee, null));
            }
            else
            {
                results.Add(new PaperResult(r.IntentId, OrderEventKind.Fill, r.Filled, r.Funds, r.Fee, null));
            }
        }
    }

    /// <summary>Market buy spending <paramref name="amountKrw"/> (fee on top), walking the asks.</summary>
    public PaperResult MarketBuy(long intentId, int market, decimal amountKrw)
    {
        if (amountKrw < _options.MinOrderKrw)
        {
            return PaperResult.Reject(intentId, "under_min_total_bid");
        }

        if (amountKrw > _options.MaxOrderKrw)
        {
            return PaperResult.Reject(intentId, "over_krw_funds_bid");
        }

        if (amountKrw * (1 + _options.FeeRate) > _krw)
        {
            return PaperResult.Reject(intentId, "insufficient_funds_bid");
        }

        var book = _books[market];
        if (book.Count == 0)
        {
            return PaperResult.Reject(intentId, "no_book");
        }

        decimal remaining = amountKrw, volume = 0, funds = 0;
        for (var i = 0; i < book.Count && remaining > 0; i++)
        {
            var px = (decimal)book.AskPx[i];
            if (px <= 0)
            {
                continue; // a padding slot (ask_price 0)
            }

            var levelVolume = (decimal)book.AskSz[i];
            var take = Math.Min(levelVolume, Truncate8(remaining / px));
            volume += take;
            funds += take * px;
            remaining -= take * px;
        }

        if (volume <= 0)
        {
            return PaperResult.Reject(intentId, "no_liquidity");
        }

        var fee = funds * _options.FeeRate;
        _krw -= funds + fee;
        _coins[market] += volume;
        // Upbit ends a market buy that left any of its amount unspent in `cancel` (docs/upbit.md#order-states).
        return new PaperResult(intentId, remaining > 0 ? OrderEventKind.Cancelled : OrderEventKind.Done, volume, funds, fee, null);
    }

    /// <summary>Market sell of <paramref name="volume"/>, walking the bids.</summary>
    public PaperResult MarketSell(long intentId, int market, decimal volume)
    {
        volume = Truncate8(volume);
        if (volume <= 0 || volume > _coins[market])
        {
            return PaperResult.Reject(intentId, "insufficient_funds_ask");
        }

        var book = _books[market];
        if (book.Count == 0)
        {
            return PaperResult.Reject(intentId, "no_book");
        }

        if (volume * (decimal)book.BidPx[0] < _options.MinOrderKrw)
        {
            return PaperResult.Reject(intentId, "under_min_total_ask");
        }

        decimal remaining = volume, funds = 0;
        for (var i = 0; i < book.Count && remaining > 0; i++)
        {
            var take = Math.Min(remaining, (decimal)book.BidSz[i]);
            funds += take * (decimal)book.BidPx[i];
            remaining -= take;
        }

        var sold = volume - remaining;
        var fee = funds * _options.FeeRate;
        _coins[market] -= sold;
        _krw += funds - fee;
        return new PaperResult(intentId, remaining > 0 ? OrderEventKind.Cancelled : OrderEventKind.Done, sold, funds, fee, null);
    }

    /// <summary>Limit sell of <paramref name="volume"/> at <paramref name="price"/>: rests until trades reach the price.</summary>
    public PaperResult LimitSell(long intentId, int market, decimal price, decimal volume)
    {
        volume = Truncate8(volume);
        if (volume <= 0 || volume > _coins[market])
        {
            return PaperResult.Reject(intentId, "insufficient_funds_ask");
        }

        if (price * volume < _options.MinOrderKrw)
        {
            return PaperResult.Reject(intentId, "under_min_total_ask");
        }

        _coins[market] -= volume;
        _lockedCoins[market] += volume;
        _resting.Add(new Resting { IntentId = intentId, Market = market, Price = price, Volume = volume });
        return new PaperResult(intentId, OrderEventKind.Accepted, 0, 0, 0, null);
    }

    /// <summary>Cancels a resting order; unfilled coins are unlocked.</summary>
    public PaperResult Cancel(long intentId)
    {
        var i = _resting.FindIndex(r => r.IntentId == intentId);
        if (i < 0)
        {
            return PaperResult.Reject(intentId, "order_not_found");
        }

        var r = _resting[i];
        _resting.RemoveAt(i);
        var unfilled = r.Volume - r.Filled;
        _lockedCoins[r.Market] -= unfilled;
        _coins[r.Market] += unfilled;
        return new PaperResult(intentId, OrderEventKind.Cancelled, r.Filled, r.Funds, r.Fee, null);
    }

    /// <summary>Cancels every resting order of a market (what the engine does after an exit).</summary>
    public void CancelAll(int market, List<PaperResult> results)
    {
        for (var i = _resting.Count - 1; i >= 0; i--)
        {
            if (_resting[i].Market == market)
            {
                results.Add(Cancel(_resting[i].IntentId));
            }
        }
    }

    /// <summary>Upbit volumes carry at most 8 decimals: truncate, never round up (the same rule the real gateway applies).</summary>
    public static decimal Truncate8(decimal value) => Orders.OrderValidator.Truncate8(value);

    private sealed class Book(int levels)
    {
        public readonly double[] AskPx = new double[levels];
        public readonly double[] AskSz = new double[levels];
        public readonly double[] BidPx = new double[levels];
        public readonly double[] BidSz = new double[levels];
        public int Count;
    }

    private sealed class Resting
    {
        public long IntentId;
        public int Market;
        public decimal Price;
        public decimal Volume;
        public decimal Filled;
        public decimal Funds;
        public decimal Fee;
    }
}
