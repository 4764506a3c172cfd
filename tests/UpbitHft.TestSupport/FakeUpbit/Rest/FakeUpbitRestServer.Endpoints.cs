using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace UpbitHft.TestSupport.FakeUpbit.Rest;

public sealed partial class FakeUpbitRestServer
{
    private void MapEndpoints()
    {
        _app.MapGet("/v1/market/all", (HttpContext c) => Guard(c, "market", null, false, () => Results.Json(new JsonArray(
            new JsonObject { ["market"] = "KRW-BTC", ["korean_name"] = "비트코인", ["english_name"] = "Bitcoin", ["market_event"] = new JsonObject { ["warning"] = false } },
            new JsonObject { ["market"] = "KRW-ETH", ["korean_name"] = "이더리움", ["english_name"] = "Ethereum", ["market_event"] = new JsonObject { ["warning"] = true } },
            new JsonObject { ["market"] = "KRW-XRP", ["korean_name"] = "리플", ["english_name"] = "XRP", ["market_warning"] = "NONE" }))));

        _app.MapGet("/v1/candles/minutes/1", (HttpContext c) => Guard(c, "candle", null, false, () =>
        {
            var market = c.Request.Query["market"].ToString();
            if (market.Length == 0)
            {
                return Error(400, "400", "Missing request parameter error. Check the required parameters!");
            }

            var count = int.TryParse(c.Request.Query["count"], out var n) ? n : 1;
            var candles = new JsonArray();
            var start = new DateTime(2026, 11, 2, 0, 30, 0, DateTimeKind.Utc);
            for (var i = 0; i < count; i++)
            {
                var t = start.AddMinutes(-i);
                candles.Add(JsonNode.Parse(string.Create(CultureInfo.InvariantCulture,
                    $$"""{"market":"{{market}}","candle_date_time_utc":"{{t:yyyy-MM-ddTHH:mm:ss}}","candle_date_time_kst":"{{t.AddHours(9):yyyy-MM-ddTHH:mm:ss}}","opening_price":500000,"high_price":501000,"low_price":499000,"trade_price":{{500000 + (i % 3 * 500)}},"timestamp":{{new DateTimeOffset(t).ToUnixTimeMilliseconds() + 59000}},"candle_acc_trade_price":1.16539E8,"candle_acc_trade_volume":233.078,"unit":1}""")));
            }

            return Results.Json(candles);
        }));

        _app.MapGet("/v1/orderbook/instruments", (HttpContext c) => Guard(c, "orderbook", null, false, () =>
        {
            var list = new JsonArray();
            foreach (var m in c.Request.Query["markets"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                list.Add(new JsonObject { ["market"] = m, ["quote_currency"] = "KRW", ["tick_size"] = "500" }); // a string, as documented
            }

            return Results.Json(list);
        }));

        _app.MapGet("/v1/ticker", (HttpContext c) => Guard(c, "ticker", null, false, () =>
            Results.Json(new JsonArray(c.Request.Query["markets"].ToString().Split(',').Select(m => (JsonNode)new JsonObject { ["market"] = m, ["trade_price"] = Options.FillPrice, ["timestamp"] = 1790134742106 }).ToArray()))));

        _app.MapGet("/v1/accounts", (HttpContext c) => Guard(c, "default", QueryHashInput(c.Request), true, () => Results.Json(AccountsJson())));

        _app.MapGet("/v1/order", (HttpContext c) => Guard(c, "default", QueryHashInput(c.Request), true, () =>
            Find(c.Request) is { } o ? Results.Json(ToJson(o)) : Error(404, "order_not_found", "주문을 찾지 못했습니다.")));

        _app.MapDelete("/v1/order", (HttpContext c) => Guard(c, "default", QueryHashInput(c.Request), true, () =>
        {
            if (Find(c.Request) is not { } o)
            {
                return Error(404, "order_not_found", "주문을 찾지 못했습니다.");
            }

            var answer = ToJson(o); // still "wait": Upbit cancels asynchronously
            if (o.State == "wait")
            {
                lock (_bookLock)
                {
                    o.State = "cancel";
                }

                Changed(o);
            }

            return Results.Json(answer);
        }));

        _app.MapGet("/v1/orders/open", (HttpContext c) => Guard(c, "default", QueryHashInput(c.Request), true, () =>
            Results.Json(new JsonArray(_orders.Values.Where(o => o.State == "wait" && o.Market == c.Request.Query["market"].ToString()).Select(o => (JsonNode)ToJson(o)).ToArray()))));

        _app.MapGet("/v1/orders/closed", (HttpContext c) => Guard(c, "default", QueryHashInput(c.Request), true, () =>
        {
            var since = DateTimeOffset.TryParse(c.Request.Query["start_time"].ToString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : DateTimeOffset.MinValue;
            return Results.Json(new JsonArray(_orders.Values
                .Where(o => o.State is "done" or "cancel" && o.Market == c.Request.Query["market"].ToString() && o.CreatedAt >= since)
                .Select(o => (JsonNode)ToJson(o)).ToArray()));
        }));

        _app.MapDelete("/v1/orders/open", (HttpContext c) => Guard(c, "order-cancel-all", QueryHashInput(c.Request), true, () =>
        {
            var pairs = c.Request.Query["pairs"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries);
            var cancelled = _orders.Values.Where(o => o.State == "wait" && pairs.Contains(o.Market)).ToList();
            cancelled.ForEach(o => { o.State = "cancel"; Changed(o); });
            return Results.Json(new JsonObject
            {
                ["success"] = new JsonObject { ["count"] = cancelled.Count, ["orders"] = new JsonArray(cancelled.Select(o => (JsonNode)new JsonObject { ["uuid"] = o.Uuid, ["market"] = o.Market }).ToArray()) },
                ["failed"] = new JsonObject { ["count"] = 0, ["orders"] = new JsonArray() },
            });
        }));

        _app.MapPost("/v1/orders", async (HttpContext c) =>
        {
            OrderRequestArrived?.Invoke(); // before anything else: where wire-to-wire tick-to-order ends
            var body = await JsonNode.ParseAsync(c.Request.Body).ConfigureAwait(false) as JsonObject;
            var hashInput = body is null ? "" : string.Join('&', body.Select(kv => kv.Key + "=" + (kv.Value is JsonValue v && v.TryGetValue<string>(out var s) ? s : kv.Value?.ToJsonString())));
            return await GuardAsync(c, "order", hashInput, true, () => CreateOrderAsync(c, body!)).ConfigureAwait(false);
        });
    }

    private IResult Guard(HttpContext c, string group, string? hashInput, bool signed, Func<IResult> handler) =>
        GuardAsync(c, group, hashInput, signed, () => Task.FromResult(handler())).GetAwaiter().GetResult();

    private async Task<IResult> GuardAsync(HttpContext c, string group, string? hashInput, bool signed, Func<Task<IResult>> handler)
    {
        if (Environment.TickCount64 < Volatile.Read(ref _downUntilMs))
        {
            Interlocked.Increment(ref _whileDown);
            return Results.Text("Service Unavailable: restarting", statusCode: 503);
        }

        switch (CheckLimit(group, c))
        {
            case 429:
                return Results.Text("Too many API requests.", statusCode: 429);
            case 418:
                return Results.Text("I'm a teapot: blocked", statusCode: 418);
        }

        if (signed && VerifyJwt(c, hashInput) is { } authError)
        {
            return Error(401, authError, "Failed to verify the JWT.");
        }

        return await handler().ConfigureAwait(false);
    }

    private async Task<IResult> CreateOrderAsync(HttpContext c, JsonObject body)
    {
        string? S(string key) => body[key]?.GetValue<string>();
        decimal? D(string key) => S(key) is { } s ? decimal.Parse(s, CultureInfo.InvariantCulture) : null;

        if (TakeFault(() => Options.FailNextCreatesWith500, v => Options.FailNextCreatesWith500 = v))
        {
            return Error(500, "internal_server_error", "fault switch: 500 before creating");
        }

        var identifier = S("identifier");
        if (identifier is not null && !_identifiers.TryAdd(identifier, 0))
        {
            return Error(400, "duplicated_identifier", "identifier already used");
        }

        var market = S("market") ?? "";
        var side = S("side") ?? "";
        var ordType = S("ord_type") ?? "";
        var order = new FakeOrder
        {
            Uuid = Guid.NewGuid().ToString(),
            Market = market,
            Side = side,
            OrdType = ordType,
            Identifier = identifier,
            Price = D("price"),
            Volume = D("volume"),
            CreatedAt = DateTimeOffset.UtcNow,
        };
        var fee = Fee;
        switch (ordType)
        {
            case "price" when side == "bid" && order.Price is { } amount:
                (order.ExecutedVolume, order.ExecutedFunds) = WalkBuy(market, amount);
                order.PaidFee = order.ExecutedFunds * fee;
                order.State = order.ExecutedFunds < amount ? "cancel" : "done"; // unspent remainder → cancel (API.md §6)
                break;
            case "market" when side == "ask" && order.Volume is { } volume:
                order.ExecutedVolume = volume;
                order.ExecutedFunds = WalkSell(market, volume);
                order.PaidFee = order.ExecutedFunds * fee;
                order.State = "done";
                break;
            case "limit" when order.Price is > 0 && order.Volume is > 0:
                break; // rests
            default:
                return Error(400, side == "bid" ? "create_bid_error" : "create_ask_error", "bad parameter combination");
        }

        lock (_bookLock)
        {
            _orders[order.Uuid] = order;
        }

        var created = ToJson(order);
        Changed(order);
        created["state"] = "wait"; // the create answer is taken before execution, as at Upbit

        if (TakeFault(() => Options.DuplicatedIdentifierNext, v => Options.DuplicatedIdentifierNext = v))
        {
            return Error(400, "duplicated_identifier", "fault switch: created, then answered duplicated_identifier");
        }

        if (TakeFault(() => Options.DropNextCreates, v => Options.DropNextCreates = v))
        {
            c.Features.Get<IHttpRequestLifetimeFeature>()?.Abort(); // created, but the client never hears it
            return Results.Empty;
        }

        if (TakeFault(() => Options.DelayNextCreates, v => Options.DelayNextCreates = v))
        {
            await Task.Delay(Options.CreateDelayMs).ConfigureAwait(false);
        }

        return Results.Json(created, statusCode: 201);
    }

    private bool TakeFault(Func<int> get, Action<int> set)
    {
        lock (_limitLock)
        {
            var n = get();
            if (n <= 0)
            {
                return false;
            }

            set(n - 1);
            return true;
        }
    }

    private FakeOrder? Find(HttpRequest request)
    {
        var uuid = request.Query["uuid"].ToString();
        if (uuid.Length > 0)
        {
            return _orders.TryGetValue(uuid, out var o) ? o : null;
        }

        var identifier = request.Query["identifier"].ToString();
        return identifier.Length == 0 ? null : _orders.Values.FirstOrDefault(o => o.Identifier == identifier);
    }

    private static JsonObject ToJson(FakeOrder o)
    {
        var json = new JsonObject
        {
            ["uuid"] = o.Uuid,
            ["side"] = o.Side,
            ["ord_type"] = o.OrdType,
            ["state"] = o.State,
            ["market"] = o.Market,
            ["created_at"] = o.CreatedAt.ToOffset(TimeSpan.FromHours(9)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
            ["executed_volume"] = Text(o.ExecutedVolume),
            ["reserved_fee"] = "0",
            ["remaining_fee"] = "0",
            ["paid_fee"] = Text(o.PaidFee),
            ["locked"] = "0",
            ["trades_count"] = o.ExecutedVolume > 0 ? 1 : 0,
        };
        if (o.Price is { } p)
        {
            json["price"] = Text(p);
        }

        if (o.Volume is { } v && o.OrdType != "price")
        {
            json["volume"] = Text(v); // market buys have no volume keys (API.md §1.9)
            json["remaining_volume"] = Text(v - o.ExecutedVolume);
        }

        if (o.Identifier is not null)
        {
            json["identifier"] = o.Identifier;
        }

        if (o.ExecutedVolume > 0)
        {
            json["trades"] = new JsonArray(new JsonObject { ["market"] = o.Market, ["uuid"] = Guid.NewGuid().ToString(), ["price"] = Text(o.ExecutedFunds / o.ExecutedVolume), ["volume"] = Text(o.ExecutedVolume), ["funds"] = Text(o.ExecutedFunds), ["side"] = o.Side });
        }

        return json;
    }

    private static string Text(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}
