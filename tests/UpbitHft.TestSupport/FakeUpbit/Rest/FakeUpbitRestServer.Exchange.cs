using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace UpbitHft.TestSupport.FakeUpbit.Rest;

/// <summary>
/// The fake exchange's books and balances: market orders fill at the market's last traded price (fed by
/// <see cref="OnTrade"/>, else <see cref="FakeUpbitRestOptions.FillPrice"/>) or walk the last book level by level,
/// resting limit sells fill when a trade reaches their price, and every change is reported through
/// <see cref="OrderChanged"/> (the private WebSocket's myOrder and myAsset). Balances are derived from the orders,
/// like an exchange ledger, and orders the ledger cannot pay for are refused as Upbit refuses them.
/// </summary>
public sealed partial class FakeUpbitRestServer
{
    private const decimal Fee = 0.0005m;

    /// <summary>Upbit's minimum order amount in KRW markets.</summary>
    public const decimal MinTotalKrw = 5_000m;

    /// <summary>Upbit's maximum order amount in KRW markets.</summary>
    public const decimal MaxTotalKrw = 1_000_000_000m;

    private readonly ConcurrentDictionary<string, decimal> _prices = new(StringComparer.Ordinal);
    private readonly Lock _bookLock = new();
    private readonly Lock _pushLock = new();
    private readonly Dictionary<string, (int Trades, string? State)> _announced = new(StringComparer.Ordinal);
    private Dictionary<string, (decimal Balance, decimal Locked)>? _assetsPushed;

    /// <summary>Called when an order-create request reaches the handler, before it is read (latency harness).</summary>
    public Action? OrderRequestArrived { get; set; }

    /// <summary>A <c>POST /v1/orders</c> carrying this header creates nothing and is not stamped: it warms the endpoint.</summary>
    public const string WarmUpHeader = "X-Fake-Warm-Up";

    /// <summary>Called after an order was created, filled (in part or whole) or cancelled (on a server or test thread).</summary>
    public Action<FakeOrder>? OrderChanged { get; set; }

    private readonly ConcurrentDictionary<string, ((decimal Price, decimal Size)[] Asks, (decimal Price, decimal Size)[] Bids)> _books = new(StringComparer.Ordinal);

    /// <summary>The latest book of a market (snapshots, as Upbit sends them): market orders walk it.</summary>
    public void OnOrderbook(string market, (decimal Price, decimal Size)[] asks, (decimal Price, decimal Size)[] bids) => _books[market] = (asks, bids);

    /// <summary>
    /// A market buy of <paramref name="amountKrw"/>: walks the asks (volume truncated to 8 decimals per level), or
    /// fills at the last price without a book. Unspent KRW stays unspent (the order then ends in <c>cancel</c>).
    /// </summary>
    public (decimal Volume, decimal Funds) WalkBuy(string market, decimal amountKrw)
    {
        var fills = BuyFills(market, amountKrw);
        return (fills.Sum(f => f.Volume), fills.Sum(f => f.Price * f.Volume));
    }

    /// <summary>A market sell of <paramref name="volume"/>: walks the bids (the rest at the last bid), or fills at the last price.</summary>
    public decimal WalkSell(string market, decimal volume) => SellFills(market, volume).Sum(f => f.Price * f.Volume);

    /// <summary>The fills of a market buy, one per book level reached.</summary>
    private List<(decimal Price, decimal Volume)> BuyFills(string market, decimal amountKrw)
    {
        if (!_books.TryGetValue(market, out var book) || book.Asks.Length == 0)
        {
            var price = PriceOf(market);
            var v = Math.Round(amountKrw / price, 8, MidpointRounding.ToZero);
            return v > 0 ? [(price, v)] : [];
        }

        List<(decimal, decimal)> fills = [];
        decimal funds = 0;
        foreach (var (price, size) in book.Asks)
        {
            var take = Math.Min(size, Math.Round((amountKrw - funds) / price, 8, MidpointRounding.ToZero));
            if (take <= 0)
            {
                break;
            }

            fills.Add((price, take));
            funds += take * price;
        }

        return fills;
    }

    /// <summary>The fills of a market sell, one per book level reached; what the book cannot take fills at its last bid.</summary>
    private List<(decimal Price, decimal Volume)> SellFills(string market, decimal volume)
    {
        if (!_books.TryGetValue(market, out var book) || book.Bids.Length == 0)
        {
            return [(PriceOf(market), volume)];
        }

        List<(decimal Price, decimal Volume)> fills = [];
        var left = volume;
        foreach (var (price, size) in book.Bids)
        {
            var take = Math.Min(size, left);
            if (take > 0)
            {
                fills.Add((price, take));
                left -= take;
            }

            if (left <= 0)
            {
                break;
            }
        }

        if (left > 0)
        {
            var last = book.Bids[^1].Price;
            if (fills.Count > 0 && fills[^1].Price == last)
            {
                fills[^1] = (last, fills[^1].Volume + left);
            }
            else
            {
                fills.Add((last, left));
            }
        }

        return fills;
    }

    /// <summary>The price market orders of <paramref name="market"/> fill at now.</summary>
    public decimal PriceOf(string market) => _prices.TryGetValue(market, out var p) ? p : Options.FillPrice;

    /// <summary>
    /// A trade printed in <paramref name="market"/>: market orders fill there from now on, and resting sells at or below
    /// it fill at their own price, oldest first — each in full, or sharing <paramref name="volume"/> when given (a
    /// partial fill leaves the order <c>wait</c>).
    /// </summary>
    public void OnTrade(string market, decimal price, decimal? volume = null)
    {
        _prices[market] = price;
        List<FakeOrder> filled = [];
        lock (_bookLock)
        {
            var left = volume ?? decimal.MaxValue;
            foreach (var o in _orders.Values.OrderBy(o => o.CreatedAt).ThenBy(o => o.Uuid, StringComparer.Ordinal))
            {
                if (left <= 0)
                {
                    break;
                }

                if (o is { State: "wait", Side: "ask", OrdType: "limit", Price: { } limit, Volume: { } total } && o.Market == market && limit <= price)
                {
                    var take = Math.Min(total - o.ExecutedVolume, left);
                    if (take <= 0)
                    {
                        continue;
                    }

                    o.AddTrade(limit, take, Fee);
                    left -= take;
                    if (o.ExecutedVolume >= total)
                    {
                        o.State = "done";
                    }

                    filled.Add(o);
                }
            }
        }

        filled.ForEach(Changed);
    }

    /// <summary>Coins bought before the engine started (a previous run's position): a done market buy without identifier.</summary>
    public void SeedHolding(string market, decimal volume, decimal avgPrice) =>
        _orders[Guid.NewGuid().ToString()] = new FakeOrder
        {
            Uuid = Guid.NewGuid().ToString(), Market = market, Side = "bid", OrdType = "price", Price = volume * avgPrice,
            State = "done", ExecutedVolume = volume, ExecutedFunds = volume * avgPrice, PaidFee = volume * avgPrice * Fee,
            CreatedAt = DateTimeOffset.UtcNow.AddHours(-1),
        };

    /// <summary>A resting limit sell left by a previous run (its identifier says whose it is).</summary>
    public FakeOrder SeedRestingAsk(string market, decimal volume, decimal price, string identifier)
    {
        var o = new FakeOrder { Uuid = Guid.NewGuid().ToString(), Market = market, Side = "ask", OrdType = "limit", Price = price, Volume = volume, Identifier = identifier, CreatedAt = DateTimeOffset.UtcNow.AddMinutes(-30) };
        _identifiers.TryAdd(identifier, 0);
        _orders[o.Uuid] = o;
        return o;
    }

    /// <summary>
    /// The account owner's own resting limit sell, placed by hand on the website or app: <paramref name="volume"/>
    /// coins are seeded as held (bought at <paramref name="price"/>) and locked by the sell. Without identifier, or
    /// with one that is not the engine's (<c>manual-…</c>); the engine must never cancel it.
    /// </summary>
    public FakeOrder SeedForeignRestingAsk(string market, decimal volume, decimal price, string? identifier = null)
    {
        SeedHolding(market, volume, price);
        var o = new FakeOrder { Uuid = Guid.NewGuid().ToString(), Market = market, Side = "ask", OrdType = "limit", Price = price, Volume = volume, Identifier = identifier, CreatedAt = DateTimeOffset.UtcNow.AddMinutes(-20) };
        if (identifier is not null)
        {
            _identifiers.TryAdd(identifier, 0);
        }

        _orders[o.Uuid] = o;
        return o;
    }

    /// <summary>Open orders (wait) now.</summary>
    public IReadOnlyList<FakeOrder> OpenOrders => [.. Orders.Where(o => o.State == "wait")];

    /// <summary>The ledger: KRW and every coin held, free balance and what open sells lock.</summary>
    public IReadOnlyDictionary<string, (decimal Balance, decimal Locked, decimal AvgBuyPrice)> Balances()
    {
        lock (_bookLock)
        {
            return BalancesLocked();
        }
    }

    private Dictionary<string, (decimal Balance, decimal Locked, decimal AvgBuyPrice)> BalancesLocked()
    {
        var all = _orders.Values.ToList();
        var spent = all.Where(o => o.Side == "bid").Sum(o => o.ExecutedFunds + o.PaidFee);
        var received = all.Where(o => o.Side == "ask").Sum(o => o.ExecutedFunds - o.PaidFee);
        var result = new Dictionary<string, (decimal, decimal, decimal)>(StringComparer.Ordinal) { ["KRW"] = (Options.InitialKrw - spent + received, 0m, 0m) };
        foreach (var g in all.GroupBy(o => o.Market))
        {
            var currency = Currency(g.Key);
            var bought = g.Where(o => o.Side == "bid").Sum(o => o.ExecutedVolume);
            var funds = g.Where(o => o.Side == "bid").Sum(o => o.ExecutedFunds);
            var sold = g.Where(o => o.Side == "ask").Sum(o => o.ExecutedVolume);
            var locked = g.Where(o => o is { Side: "ask", State: "wait" }).Sum(o => (o.Volume ?? 0) - o.ExecutedVolume);
            var held = bought - sold;
            if (held > 0 || locked > 0)
            {
                result[currency] = (held - locked, locked, bought > 0 ? Math.Round(funds / bought, 8) : 0);
            }
        }

        return result;
    }

    private static string Currency(string market) => market.Split('-')[1];

    /// <summary>
    /// Upbit's refusal of a new order the ledger cannot take (nothing is created): the minimum order amount, then
    /// the free balance (KRW for a market buy's amount plus fee; coins not locked by open sells for a sell). Under
    /// <see cref="_bookLock"/>, so two orders never spend the same balance.
    /// </summary>
    private (string Name, string Message)? Refusal(string market, string side, string ordType, decimal? price, decimal? volume)
    {
        var balances = BalancesLocked();
        switch (ordType)
        {
            case "price" when side == "bid" && price is { } amount:
                if (amount < MinTotalKrw)
                {
                    return ("under_min_total_bid", "최소주문금액 이상으로 주문해주세요.");
                }

                if (amount > MaxTotalKrw)
                {
                    return ("over_krw_funds_bid", "최대주문금액 이하로 주문해주세요.");
                }

                return amount * (1 + Fee) > balances["KRW"].Balance ? ("insufficient_funds_bid", "주문 가능한 금액(KRW)이 부족합니다.") : null;
            case "market" or "limit" when side == "ask" && volume is { } v:
                var worth = v * (ordType == "market" ? PriceOf(market) : price ?? 0);
                if (worth < MinTotalKrw)
                {
                    return ("under_min_total_ask", "최소주문금액 이상으로 주문해주세요.");
                }

                var free = balances.TryGetValue(Currency(market), out var coin) ? coin.Balance : 0;
                return v > free ? ("insufficient_funds_ask", "매도 가능 잔고가 부족합니다.") : null;
            default:
                return null;
        }
    }

    private JsonArray AccountsJson() => new([.. Balances().Select(kv => (JsonNode)new JsonObject
    {
        ["currency"] = kv.Key,
        ["balance"] = Text(kv.Value.Balance),
        ["locked"] = Text(kv.Value.Locked),
        ["avg_buy_price"] = Text(kv.Value.AvgBuyPrice),
        ["avg_buy_price_modified"] = false,
        ["unit_currency"] = "KRW",
    })]);

    private void Changed(FakeOrder o) => OrderChanged?.Invoke(o);

    /// <summary>
    /// The myOrder messages (DEFAULT format, docs/upbit.md#numbers) an order's change produces, in Upbit's order: <c>wait</c> when
    /// it starts resting, one <c>trade</c> per fill not yet announced (the fill's own price and volume, cumulative
    /// amounts), then the final <c>done</c> or <c>cancel</c>. Each is produced once: a second call for the same change
    /// returns nothing. Thin events (<see cref="FakeUpbitRestOptions.ThinMyOrder"/>) leave out avg_price and executed_funds.
    /// </summary>
    public IReadOnlyList<byte[]> TakeMyOrderFrames(FakeOrder o)
    {
        string state;
        FakeTrade[] trades;
        lock (_bookLock)
        {
            state = o.State;
            trades = [.. o.Trades];
        }

        lock (_pushLock)
        {
            var (announcedTrades, announcedState) = _announced.GetValueOrDefault(o.Uuid);
            List<byte[]> frames = [];
            var open = state is "wait" or "watch";
            if (open && state != announcedState)
            {
                frames.Add(MyOrderJson(o, state, trades, trades.Length, null));
            }

            for (var i = announcedTrades; i < trades.Length; i++)
            {
                frames.Add(MyOrderJson(o, "trade", trades, i + 1, trades[i]));
            }

            if (!open && state != announcedState)
            {
                frames.Add(MyOrderJson(o, state, trades, trades.Length, null));
            }

            _announced[o.Uuid] = (trades.Length, state);
            return frames;
        }
    }

    /// <summary>
    /// The myAsset messages for the balances that changed since the last call, one per currency as Upbit sends them
    /// (docs/upbit.md#numbers), sharing one <c>asset_timestamp</c>; a currency no longer held is sent with balance and locked 0.
    /// </summary>
    public IReadOnlyList<byte[]> TakeChangedAssetFrames()
    {
        var now = Balances().ToDictionary(kv => kv.Key, kv => (kv.Value.Balance, kv.Value.Locked), StringComparer.Ordinal);
        lock (_pushLock)
        {
            var before = _assetsPushed ?? new(StringComparer.Ordinal) { ["KRW"] = (Options.InitialKrw, 0m) };
            var changed = now.Where(kv => !before.TryGetValue(kv.Key, out var b) || b != kv.Value).Select(kv => (kv.Key, kv.Value.Balance, kv.Value.Locked))
                .Concat(before.Keys.Where(k => !now.ContainsKey(k)).Select(k => (Key: k, Balance: 0m, Locked: 0m)))
                .OrderBy(c => c.Key == "KRW" ? 0 : 1).ThenBy(c => c.Key, StringComparer.Ordinal)
                .ToList();
            _assetsPushed = now;
            var assetTimestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            return [.. changed.Select(c => MyAssetJson(c.Key, c.Balance, c.Locked, assetTimestamp))];
        }
    }

    /// <summary>The myAsset messages of every currency held now, one per currency.</summary>
    public IReadOnlyList<byte[]> MyAssetFrames()
    {
        var assetTimestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        return [.. Balances().Select(kv => MyAssetJson(kv.Key, kv.Value.Balance, kv.Value.Locked, assetTimestamp))];
    }

    private static byte[] MyAssetJson(string currency, decimal balance, decimal locked, long assetTimestamp)
    {
        var json = new JsonObject
        {
            ["type"] = "myAsset",
            ["asset_uuid"] = Guid.NewGuid().ToString(),
            ["assets"] = new JsonArray(new JsonObject { ["currency"] = currency, ["balance"] = balance, ["locked"] = locked }),
            ["asset_timestamp"] = assetTimestamp,
            ["timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            ["stream_type"] = "REALTIME",
        };
        return System.Text.Encoding.UTF8.GetBytes(json.ToJsonString());
    }

    /// <summary>
    /// One myOrder message: <paramref name="state"/>, the amounts after the first <paramref name="upTo"/> fills, and
    /// on a <c>trade</c> event the fill's own price, volume, uuid and fee. Numbers are JSON numbers with every digit.
    /// </summary>
    private byte[] MyOrderJson(FakeOrder o, string state, FakeTrade[] trades, int upTo, FakeTrade? trade)
    {
        var seeded = trades.Length == 0; // filled before the fake knew it (a seed): no fills to add up
        var executed = seeded ? o.ExecutedVolume : trades.Take(upTo).Sum(t => t.Volume);
        var funds = seeded ? o.ExecutedFunds : trades.Take(upTo).Sum(t => t.Funds);
        var fee = seeded ? o.PaidFee : trades.Take(upTo).Sum(t => t.Fee);
        var count = seeded ? (o.ExecutedVolume > 0 ? 1 : 0) : upTo;
        var json = new JsonObject
        {
            ["type"] = "myOrder",
            ["code"] = o.Market,
            ["uuid"] = o.Uuid,
            ["ask_bid"] = o.Side == "bid" ? "BID" : "ASK",
            ["order_type"] = o.OrdType,
            ["state"] = state,
        };
        if (trade is not null)
        {
            json["trade_uuid"] = trade.Uuid;
        }

        json["price"] = trade?.Price ?? o.Price ?? 0;
        if (!Options.ThinMyOrder)
        {
            json["avg_price"] = executed > 0 ? funds / executed : 0;
        }

        json["volume"] = trade?.Volume ?? o.Volume ?? executed;
        json["remaining_volume"] = o.Volume is { } total ? total - executed : 0;
        json["executed_volume"] = executed;
        json["trades_count"] = count;
        json["paid_fee"] = fee;
        if (!Options.ThinMyOrder)
        {
            json["executed_funds"] = funds;
        }

        if (trade is not null)
        {
            json["trade_fee"] = trade.Fee;
            json["is_maker"] = o.OrdType == "limit";
        }

        json["identifier"] = o.Identifier;
        if (trade is not null)
        {
            json["trade_timestamp"] = trade.At.ToUnixTimeMilliseconds();
        }

        json["order_timestamp"] = o.CreatedAt.ToUnixTimeMilliseconds();
        json["timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        json["stream_type"] = "REALTIME";
        return System.Text.Encoding.UTF8.GetBytes(json.ToJsonString());
    }
}
