using System.Text.Json.Nodes;
using UpbitHft.Gateway.Auth;
using UpbitHft.Gateway.Errors;
using UpbitHft.TestSupport.FakeUpbit;
using UpbitHft.TestSupport.FakeUpbit.Rest;
using static UpbitHft.Gateway.Tests.Rest.GatewayFixture;

namespace UpbitHft.Gateway.Tests.Rest;

/// <summary>The fake exchange answers like Upbit where the gateway's safety depends on it: the ledger's refusals, the private frames, batch cancels.</summary>
public class FakeExchangeFidelityTests
{
    private const decimal TinyVolume = 30925891.29839369m; // 8 decimals in the 10^7 range (docs/upbit.md#numbers)

    private static QueryString Order(string market, string side, string ordType, string identifier, string? volume = null, string? price = null) =>
        new QueryString().Add("market", market).Add("side", side).Add("volume", volume).Add("price", price).Add("ord_type", ordType).Add("identifier", identifier);

    private static decimal D(JsonObject frame, string key) => frame[key]!.GetValue<decimal>();

    [Fact]
    public async Task Orders_the_ledger_cannot_pay_for_are_refused_like_Upbit_and_still_burn_their_identifier()
    {
        await using var server = await FakeUpbitRestServer.StartAsync(new FakeUpbitRestOptions { InitialKrw = 1_000_000m });
        using var rest = Client(server);

        var tooBig = await rest.CreateOrderAsync(Order("KRW-BTC", "bid", "price", "t-1", price: "1000000")); // + fee > 1,000,000 free
        Assert.Equal(("insufficient_funds_bid", UpbitErrorCode.InsufficientFunds, 400), (tooBig.Error!.Name, tooBig.Error.Code, tooBig.Error.HttpStatus));
        var again = await rest.CreateOrderAsync(Order("KRW-BTC", "bid", "price", "t-1", price: "10000"));
        Assert.Equal("duplicated_identifier", again.Error!.Name); // refused, yet the identifier is used
        Assert.Equal("under_min_total_bid", (await rest.CreateOrderAsync(Order("KRW-BTC", "bid", "price", "t-2", price: "4999"))).Error!.Name);
        Assert.Equal("insufficient_funds_ask", (await rest.CreateOrderAsync(Order("KRW-BTC", "ask", "market", "t-3", volume: "1"))).Error!.Name);
        Assert.Empty(server.Orders);

        server.SeedHolding("KRW-BTC", 1m, 500_000m);
        var resting = await rest.CreateOrderAsync(Order("KRW-BTC", "ask", "limit", "t-4", volume: "0.6", price: "600000"));
        Assert.True(resting.IsSuccess, resting.Error?.ToString());
        Assert.Equal((0.4m, 0.6m), (server.Balances()["BTC"].Balance, server.Balances()["BTC"].Locked));
        Assert.Equal("insufficient_funds_ask", (await rest.CreateOrderAsync(Order("KRW-BTC", "ask", "market", "t-5", volume: "0.5"))).Error!.Name); // 0.6 is locked
        Assert.Equal("insufficient_funds_ask", (await rest.CreateOrderAsync(Order("KRW-BTC", "ask", "limit", "t-6", volume: "0.5", price: "600000"))).Error!.Name);
        Assert.True((await rest.CreateOrderAsync(Order("KRW-BTC", "ask", "market", "t-7", volume: "0.4"))).IsSuccess);
        var dust = await rest.CreateOrderAsync(Order("KRW-BTC", "ask", "market", "t-8", volume: "0.001")); // 500 KRW at the current price
        Assert.Equal(("under_min_total_ask", UpbitErrorCode.UnderMinimum), (dust.Error!.Name, dust.Error.Code));
        Assert.Equal("under_min_total_ask", (await rest.CreateOrderAsync(Order("KRW-BTC", "ask", "limit", "t-9", volume: "0.001", price: "600000"))).Error!.Name);

        Assert.Equal(["t-4", "t-7"], server.Orders.Where(o => o.Identifier is not null).Select(o => o.Identifier));
        Assert.Equal((0m, 0.6m), (server.Balances()["BTC"].Balance, server.Balances()["BTC"].Locked));
    }

    [Fact]
    public async Task A_market_buy_walking_two_levels_is_one_trade_event_per_level_then_final_and_one_myAsset_per_currency()
    {
        await using var x = await FakeUpbitExchange.StartAsync([]);
        await using var listener = await PrivateListener.ConnectAsync(x);
        using var rest = Client(x.Rest);
        x.Rest.OnOrderbook("KRW-BTC", [(500_000m, 0.01m), (500_500m, 1m)], [(499_500m, 1m)]);

        var buy = await rest.CreateOrderAsync(Order("KRW-BTC", "bid", "price", "walk-1", price: "10000"));
        Assert.True(buy.IsSuccess, buy.Error?.ToString());
        await EventuallyAsync(() => listener.OfType("myAsset").Count >= 2, "the buy's private frames");

        var frames = listener.Frames;
        Assert.Equal(["myOrder:trade", "myOrder:trade", "myOrder:cancel", "myAsset:", "myAsset:"], frames.Select(f => $"{f["type"]}:{f["state"]}"));
        var (t1, t2, final) = (frames[0], frames[1], frames[2]);
        Assert.Equal((500_000m, 0.01m, 0.01m, 5_000m), (D(t1, "price"), D(t1, "volume"), D(t1, "executed_volume"), D(t1, "executed_funds")));
        Assert.Equal((500_500m, 0.00999m, 0.01999m, 9_999.995m), (D(t2, "price"), D(t2, "volume"), D(t2, "executed_volume"), D(t2, "executed_funds")));
        Assert.Equal((2, 9_999.995m * 0.0005m), ((int)D(t2, "trades_count"), D(t2, "paid_fee")));
        Assert.Equal(9_999.995m / 0.01999m, D(t2, "avg_price"));
        var order = Assert.Single(x.Rest.Orders);
        Assert.Equal(order.Trades.Select(t => t.Uuid), new[] { (string)t1["trade_uuid"]!, (string)t2["trade_uuid"]! });
        Assert.NotEqual((string?)t1["trade_uuid"], (string?)t2["trade_uuid"]);
        Assert.Equal((0.01999m, 9_999.995m, "walk-1"), (D(final, "executed_volume"), D(final, "executed_funds"), (string)final["identifier"]!));
        Assert.Null(final["trade_uuid"]);

        var assets = listener.OfType("myAsset");
        Assert.All(assets, a => Assert.Single(a["assets"]!.AsArray())); // one currency per frame, as Upbit sends them
        Assert.Equal(D(assets[0], "asset_timestamp"), D(assets[1], "asset_timestamp"));
        var krw = assets[0]["assets"]![0]!;
        var btc = assets[1]["assets"]![0]!;
        Assert.Equal(("KRW", 9_989_995.0050025m), ((string)krw["currency"]!, krw["balance"]!.GetValue<decimal>())); // 10,000,000 − 9,999.995 − fee
        Assert.Equal(("BTC", 0.01999m, 0m), ((string)btc["currency"]!, btc["balance"]!.GetValue<decimal>(), btc["locked"]!.GetValue<decimal>()));

        // Selling everything: the coin's frame says 0, so a client never keeps a stale balance.
        Assert.True((await rest.CreateOrderAsync(Order("KRW-BTC", "ask", "market", "walk-2", volume: "0.01999"))).IsSuccess);
        await EventuallyAsync(() => listener.OfType("myAsset").Count >= 4, "the sell's myAsset frames");
        var after = listener.Frames.Skip(5).ToList();
        Assert.Equal(["myOrder:trade", "myOrder:done", "myAsset:", "myAsset:"], after.Select(f => $"{f["type"]}:{f["state"]}"));
        Assert.Equal((499_500m, 0.01999m), (D(after[0], "price"), D(after[0], "volume")));
        var gone = after[3]["assets"]![0]!;
        Assert.Equal(("BTC", 0m, 0m), ((string)gone["currency"]!, gone["balance"]!.GetValue<decimal>(), gone["locked"]!.GetValue<decimal>()));
    }

    [Fact]
    public async Task A_resting_limit_fills_in_part_then_is_cancelled_with_its_executed_volume_and_thin_events_leave_out_the_amounts()
    {
        await using var x = await FakeUpbitExchange.StartAsync([]);
        x.Rest.SeedHolding("KRW-BTC", 1m, 500_000m);
        await using var listener = await PrivateListener.ConnectAsync(x);
        using var rest = Client(x.Rest);
        x.Rest.Options.ThinMyOrder = true;

        var limit = await rest.CreateOrderAsync(Order("KRW-BTC", "ask", "limit", "part-1", volume: "1", price: "501000"));
        Assert.True(limit.IsSuccess, limit.Error?.ToString());
        x.Rest.OnTrade("KRW-BTC", 501_000m, 0.3m);
        Assert.Equal(("wait", 0.3m), (x.Rest.Orders.Single(o => o.Identifier == "part-1").State, x.Rest.Orders.Single(o => o.Identifier == "part-1").ExecutedVolume));
        Assert.Equal((0m, 0.7m), (x.Rest.Balances()["BTC"].Balance, x.Rest.Balances()["BTC"].Locked));
        Assert.True((await rest.CancelOrderAsync(limit.Value!.Uuid, null)).IsSuccess);
        await EventuallyAsync(() => listener.OfType("myOrder").Any(f => (string?)f["state"] == "cancel"), "the cancel event");

        var orders = listener.OfType("myOrder");
        Assert.Equal(["wait", "trade", "cancel"], orders.Select(f => (string)f["state"]!));
        Assert.Equal((501_000m, 0.3m, 0.3m), (D(orders[1], "price"), D(orders[1], "volume"), D(orders[1], "executed_volume")));
        Assert.Equal((0.3m, 0.7m), (D(orders[2], "executed_volume"), D(orders[2], "remaining_volume")));
        Assert.All(orders, f => Assert.False(f.ContainsKey("avg_price") || f.ContainsKey("executed_funds"), f.ToJsonString()));
        Assert.Equal((0.7m, 0m), (x.Rest.Balances()["BTC"].Balance, x.Rest.Balances()["BTC"].Locked));
    }

    [Fact]
    public async Task A_tiny_priced_coin_keeps_every_digit_in_the_ledger_the_body_and_the_private_frames()
    {
        await using var x = await FakeUpbitExchange.StartAsync([]);
        x.Rest.SeedHolding("KRW-TINY", TinyVolume, 0.001m);
        x.Rest.OnTrade("KRW-TINY", 0.001m);
        await using var listener = await PrivateListener.ConnectAsync(x);
        using var rest = Client(x.Rest);

        var accounts = await rest.GetAccountsAsync();
        Assert.Equal(TinyVolume, accounts.Value!.Single(a => a.Currency == "TINY").Balance);
        var sell = await rest.CreateOrderAsync(Order("KRW-TINY", "ask", "limit", "tiny-1", volume: "30925891.29839369", price: "0.002"));
        Assert.True(sell.IsSuccess, sell.Error?.ToString());
        x.Rest.OnTrade("KRW-TINY", 0.002m);
        await EventuallyAsync(() => listener.OfType("myOrder").Any(f => (string?)f["state"] == "done") && listener.OfType("myAsset").Count >= 4, "the fill's frames");

        var trade = listener.Texts.Single(t => t.Contains("\"state\":\"trade\"", StringComparison.Ordinal));
        Assert.Contains("\"volume\":30925891.29839369,", trade, StringComparison.Ordinal); // a JSON number with all 16 digits
        Assert.Contains("\"executed_funds\":61851.78259678738,", trade, StringComparison.Ordinal);
        var krw = x.Rest.Options.InitialKrw - ((TinyVolume * 0.001m) * 1.0005m) + ((TinyVolume * 0.002m) * 0.9995m);
        Assert.Equal(krw, x.Rest.Balances()["KRW"].Balance);
        Assert.Equal(krw, (await rest.GetAccountsAsync()).Value!.Single(a => a.Currency == "KRW").Balance);
        var lastKrw = listener.OfType("myAsset").Last(f => (string?)f["assets"]![0]!["currency"] == "KRW");
        Assert.Equal(krw, lastKrw["assets"]![0]!["balance"]!.GetValue<decimal>());
        Assert.False(x.Rest.Balances().ContainsKey("TINY"));
    }

    [Fact]
    public async Task Private_sockets_dropped_lose_what_is_pushed_until_the_client_reconnects()
    {
        await using var x = await FakeUpbitExchange.StartAsync([]);
        using var rest = Client(x.Rest);
        await using var first = await PrivateListener.ConnectAsync(x);

        x.DropPrivateSockets();
        await EventuallyAsync(() => first.Closed && x.WebSocket.PrivateListeners == 0, "the drop");
        var lost = await rest.CreateOrderAsync(Order("KRW-BTC", "bid", "price", "drop-1", price: "10000"));
        Assert.True(lost.IsSuccess);

        await using var second = await PrivateListener.ConnectAsync(x);
        Assert.True((await rest.CreateOrderAsync(Order("KRW-BTC", "bid", "price", "drop-2", price: "10000"))).IsSuccess);
        await EventuallyAsync(() => second.OfType("myOrder").Any(f => (string?)f["state"] == "done"), "the second order's events");
        Assert.All(second.OfType("myOrder"), f => Assert.Equal("drop-2", (string?)f["identifier"]));
        Assert.DoesNotContain(first.Frames, f => (string?)f["identifier"] == "drop-1");
        Assert.Equal(2, x.WebSocket.PrivateConnections);
    }

    [Fact]
    public async Task Batch_cancel_by_identifier_answers_like_Upbit_and_open_orders_honour_states_and_market()
    {
        await using var server = await FakeUpbitRestServer.StartAsync();
        using var rest = Client(server);
        server.SeedHolding("KRW-BTC", 3m, 500_000m);
        server.SeedHolding("KRW-ETH", 1m, 5_000_000m);
        foreach (var (id, market) in new[] { ("uh-a-1-0", "KRW-BTC"), ("uh-a-2-0", "KRW-BTC"), ("manual-1", "KRW-BTC"), ("uh-a-4-0", "KRW-ETH") })
        {
            Assert.True((await rest.CreateOrderAsync(Order(market, "ask", "limit", id, volume: "0.5", price: "9000000"))).IsSuccess);
        }

        Assert.True((await rest.CreateOrderAsync(Order("KRW-BTC", "ask", "market", "uh-a-3-0", volume: "0.5"))).IsSuccess); // done at once

        var open = await rest.GetOpenOrdersAsync("KRW-BTC");
        Assert.Equal(["manual-1", "uh-a-1-0", "uh-a-2-0"], open.Value!.Select(o => o.Identifier!).Order(StringComparer.Ordinal));
        var r = await rest.CancelOrdersByIdentifiersAsync(["uh-a-1-0", "uh-a-3-0", "uh-nope-9-0"]);
        Assert.True(r.IsSuccess, r.Error?.ToString()); // the query hash of identifiers[]=…&identifiers[]=… verified
        Assert.Equal((1, "uh-a-1-0", "KRW-BTC"), (r.Value!.Success!.Count, r.Value.Success.Orders[0].Identifier, r.Value.Success.Orders[0].Market));
        Assert.Equal(2, r.Value.Failed!.Count); // the done one and the unknown one
        Assert.Equal(["manual-1", "uh-a-2-0"], (await rest.GetOpenOrdersAsync("KRW-BTC")).Value!.Select(o => o.Identifier!).Order(StringComparer.Ordinal));
        Assert.Equal("uh-a-4-0", Assert.Single((await rest.GetOpenOrdersAsync("KRW-ETH")).Value!).Identifier);
        Assert.Equal(1, server.RequestCount("DELETE /v1/orders/uuids"));
        Assert.Equal(5, server.RequestCount("POST /v1/orders"));
        Assert.Equal(0, server.RequestCount("DELETE /v1/orders/open"));
    }
}
