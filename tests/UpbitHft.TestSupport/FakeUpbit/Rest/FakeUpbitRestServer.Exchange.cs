using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace UpbitHft.TestSupport.FakeUpbit.Rest;

/// <summary>
/// The fake exchange's books and balances: market orders fill at the market's last traded price (fed by
/// <see cref="OnTrade"/>, else <see cref="FakeUpbitRestOptions.FillPrice"/>), resting limit sells fill when a trade
/// reaches their price, and every change is reported through <see cref="OrderChanged"/> (the private WebSocket's
/// myOrder). Balances are derived from the orders, like an exchange ledger.
/// </summary>
public sealed partial class FakeUpbitRestServer
{
    private const decimal Fee = 0.0005m;
    private readonly ConcurrentDictionary<string, decimal> _prices = new(StringComparer.Ordinal);
    private readonly Lock _bookLock = new();

    /// <summary>Called when an order-create request reaches the handler, before it is read (latency harness).</summary>
    public Action? OrderRequestArrived { get; set; }

    /// <summary>Called after an order was created, filled or cancelled (on a server or test thread).</summary>
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
        if (!_books.TryGetValue(market, out var book) || book.Asks.Length == 0)
        {
            var v = Math.Round(amountKrw / PriceOf(market), 8, MidpointRounding.ToZero);
            return (v, v * PriceOf(market));
        }

        decimal volume = 0, funds = 0;
        foreach (var (price, size) in book.Asks)
        {
            var take = Math.Min(size, Math.Round((amountKrw - funds) / price, 8, MidpointRounding.ToZero));
            if (take <= 0)
            {
                break;
            }

            volume += take;
            funds += take * price;
        }

        return (volume, funds);
    }

    /// <summary>A market sell of <paramref name="volume"/>: walks the bids (the rest at the last bid), or fills at the last price.</summary>
    public decimal WalkSell(string market, decimal volume)
    {
        if (!_books.TryGetValue(market, out var book) || book.Bids.Length == 0)
        {
            return volume * PriceOf(market);
        }

        decimal left = volume, funds = 0;
        foreach (var (price, size) in book.Bids)
        {
            var take = Math.Min(size, left);
            funds += take * price;
            left -= take;
            if (left <= 0)
            {
                break;
            }
        }

        return funds + (left * book.Bids[^1].Price);
    }

    /// <summary>The price market orders of <paramref name="market"/> fill at now.</summary>
    public decimal PriceOf(string market) => _prices.TryGetValue(market, out var p) ? p : Options.FillPrice;

    /// <summary>A trade printed in <paramref name="market"/>: market orders fill there from now on, resting sells at or below it fill.</summary>
    public void OnTrade(string market, decimal price)
    {
        _prices[market] = price;
        List<FakeOrder> filled = [];
        lock (_bookLock)
        {
            foreach (var o in _orders.Values)
            {
                if (o is { State: "wait", Side: "ask", OrdType: "limit", Price: { } limit, Volume: { } volume } && o.Market == market && limit <= price)
                {
                    o.ExecutedVolume = volume;
                    o.ExecutedFunds = volume * limit;
                    o.PaidFee = o.ExecutedFunds * Fee;
                    o.State = "done";
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

    /// <summary>Open orders (wait) now.</summary>
    public IReadOnlyList<FakeOrder> OpenOrders => [.. Orders.Where(o => o.State == "wait")];

    /// <summary>The ledger: KRW and every coin, with what open sells lock.</summary>
    public IReadOnlyDictionary<string, (decimal Balance, decimal Locked, decimal AvgBuyPrice)> Balances()
    {
        lock (_bookLock)
        {
            var all = _orders.Values.ToList();
            var spent = all.Where(o => o.Side == "bid").Sum(o => o.ExecutedFunds + o.PaidFee);
            var received = all.Where(o => o.Side == "ask").Sum(o => o.ExecutedFunds - o.PaidFee);
            var result = new Dictionary<string, (decimal, decimal, decimal)>(StringComparer.Ordinal) { ["KRW"] = (Options.InitialKrw - spent + received, 0m, 0m) };
            foreach (var g in all.GroupBy(o => o.Market))
            {
                var currency = g.Key.Split('-')[1];
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

    /// <summary>The myAsset message (DEFAULT format, API.md §4) for the balances now: KRW and every coin held.</summary>
    public byte[] MyAssetFrame()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var json = new JsonObject
        {
            ["type"] = "myAsset",
            ["asset_uuid"] = Guid.NewGuid().ToString(),
            ["assets"] = new JsonArray([.. Balances().Select(kv => (JsonNode)new JsonObject { ["currency"] = kv.Key, ["balance"] = kv.Value.Balance, ["locked"] = kv.Value.Locked })]),
            ["asset_timestamp"] = now,
            ["timestamp"] = now,
            ["stream_type"] = "REALTIME",
        };
        return System.Text.Encoding.UTF8.GetBytes(json.ToJsonString());
    }

    /// <summary>The myOrder message (DEFAULT format, API.md §4) the private socket sends for an order's state.</summary>
    public static byte[] MyOrderFrame(FakeOrder o)
    {
        var json = new JsonObject
        {
            ["type"] = "myOrder",
            ["code"] = o.Market,
            ["uuid"] = o.Uuid,
            ["ask_bid"] = o.Side == "bid" ? "BID" : "ASK",
            ["order_type"] = o.OrdType,
            ["state"] = o.State == "done" && o.ExecutedVolume > 0 ? "done" : o.State,
            ["price"] = o.Price ?? 0,
            ["avg_price"] = o.ExecutedVolume > 0 ? o.ExecutedFunds / o.ExecutedVolume : 0,
            ["volume"] = o.Volume ?? o.ExecutedVolume,
            ["remaining_volume"] = (o.Volume ?? o.ExecutedVolume) - o.ExecutedVolume,
            ["executed_volume"] = o.ExecutedVolume,
            ["trades_count"] = o.ExecutedVolume > 0 ? 1 : 0,
            ["paid_fee"] = o.PaidFee,
            ["executed_funds"] = o.ExecutedFunds,
            ["identifier"] = o.Identifier,
            ["order_timestamp"] = o.CreatedAt.ToUnixTimeMilliseconds(),
            ["timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            ["stream_type"] = "REALTIME",
        };
        return System.Text.Encoding.UTF8.GetBytes(json.ToJsonString());
    }
}
