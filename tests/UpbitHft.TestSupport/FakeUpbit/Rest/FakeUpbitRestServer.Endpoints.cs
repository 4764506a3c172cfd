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

        _app.MapGet("/v1/accounts", async (HttpContext c) =>
        {
            // A block body: an expression-bodied async lambda would bind to RequestDelegate and drop the answer.
            return await GuardAsync(c, "default", QueryHashInput(c.Request), true, async () =>
            {
                if (Options.AccountsDelayMs > 0)
                {
                    await Task.Delay(Options.AccountsDelayMs).ConfigureAwait(false); // a balance read held in flight
                }

                return Results.Json(AccountsJson());
            }).ConfigureAwait(false);
        });

        _app.MapGet("/v1/order", (HttpContext c) => Guard(c, "default", QueryHashInput(c.Request), true, () =>
        {
            var o = Find(c.Request);
            if (LookupFails(c.Request, o))
            {
                return Error(500, "internal_server_error", "fault switch: lookups failing");
            }

            return o is not null ? Results.Json(ToJson(o)) : Error(404, "order_not_found", "주문을 찾지 못했습니다.");
        }));

        _app.MapDelete("/v1/order", (HttpContext c) => Guard(c, "default", QueryHashInput(c.Request), true, () =>
        {
            if (TakeFault(() => Options.FailNextCancels, v => Options.FailNextCancels = v))
            {
                return Error(500, "internal_server_error", "fault switch: cancel refused, nothing cancelled");
            }

            if (Find(c.Request) is not { } o)
            {
                return Error(404, "order_not_found", "주문을 찾지 못했습니다.");
            }

            JsonObject answer;
            bool cancelled;
            lock (_bookLock)
            {
                answer = ToJson(o); // still "wait": Upbit cancels asynchronously
                cancelled = o.State == "wait";
                if (cancelled)
                {
                    o.State = "cancel";
                }
            }

            if (cancelled)
            {
                Changed(o);
            }

            return Results.Json(answer);
        }));

        _app.MapGet("/v1/orders/open", (HttpContext c) => Guard(c, "default", QueryHashInput(c.Request), true, () =>
        {
            // states[] (or state) as asked, only wait by default (docs/upbit.md#order-object); every market when none is named.
            string[] states = c.Request.Query["states[]"].Count > 0 ? [.. c.Request.Query["states[]"].Select(v => v ?? "")]
                : c.Request.Query["state"].Count > 0 ? [c.Request.Query["state"].ToString()] : ["wait"];
            var market = c.Request.Query["market"].ToString();
            lock (_bookLock)
            {
                return Results.Json(new JsonArray([.. Orders
                    .Where(o => states.Contains(o.State) && (market.Length == 0 || o.Market == market))
                    .OrderByDescending(o => o.CreatedAt)
                    .Select(o => (JsonNode)ToJson(o))]));
            }
        }));

        _app.MapGet("/v1/orders/closed", (HttpContext c) => Guard(c, "default", QueryHashInput(c.Request), true, () =>
        {
            var since = DateTimeOffset.TryParse(c.Request.Query["start_time"].ToString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : DateTimeOffset.MinValue;
            lock (_bookLock)
            {
                return Results.Json(new JsonArray(_orders.Values
                    .Where(o => o.State is "done" or "cancel" && o.Market == c.Request.Query["market"].ToString() && o.CreatedAt >= since)
                    .Select(o => (JsonNode)ToJson(o)).ToArray()));
            }
        }));

        _app.MapDelete("/v1/orders/open", (HttpContext c) => Guard(c, "order-cancel-all", QueryHashInput(c.Request), true, () =>
        {
            var pairs = c.Request.Query["pairs"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries);
            List<FakeOrder> cancelled;
            lock (_bookLock)
            {
                cancelled = [.. _orders.Values.Where(o => o.State == "wait" && pairs.Contains(o.Market))];
                cancelled.ForEach(o => o.State = "cancel");
            }

            cancelled.ForEach(Changed);
            return Results.Json(new JsonObject
            {
                ["success"] = CancelGroup(cancelled.Select(o => CancelEntry(o.Uuid, o.Market, o.Identifier))),
                ["failed"] = CancelGroup([]),
            });
        }));

        _app.MapDelete("/v1/orders/uuids", (HttpContext c) => Guard(c, "default", QueryHashInput(c.Request), true, () =>
        {
            var uuids = c.Request.Query["uuids[]"];
            var identifiers = c.Request.Query["identifiers[]"];
            if ((uuids.Count > 0) == (identifiers.Count > 0))
            {
                return Error(400, "validation_error", "uuids[] or identifiers[], exactly one of them");
            }

            var byIdentifier = identifiers.Count > 0;
            var asked = byIdentifier ? identifiers : uuids;
            if (asked.Count > 20)
            {
                return Error(400, "invalid_parameter", "at most 20 orders per request");
            }

            List<FakeOrder> cancelled = [];
            List<JsonObject> failed = [];
            lock (_bookLock)
            {
                foreach (var key in asked.Select(v => v ?? ""))
                {
                    var o = byIdentifier ? _orders.Values.FirstOrDefault(x => x.Identifier == key) : _orders.GetValueOrDefault(key);
                    if (o is { State: "wait" })
                    {
                        o.State = "cancel";
                        cancelled.Add(o);
                    }
                    else
                    {
                        failed.Add(CancelEntry(o?.Uuid ?? (byIdentifier ? null : key), o?.Market, o?.Identifier ?? (byIdentifier ? key : null)));
                    }
                }
            }

            cancelled.ForEach(Changed);
            return Results.Json(new JsonObject
            {
                ["success"] = CancelGroup(cancelled.Select(o => CancelEntry(o.Uuid, o.Market, o.Identifier))),
                ["failed"] = CancelGroup(failed),
            });
        }));

        _app.MapPost("/v1/orders", async (HttpContext c) =>
        {
            if (c.Request.Headers.ContainsKey(WarmUpHeader))
            {
                // The latency harness's own request at start: builds this endpoint's request delegate (ASP.NET does
                // that on its first request) so that the engine's first order is not stamped late by the fake.
                return Results.NoContent();
            }

            OrderRequestArrived?.Invoke(); // before anything else: where wire-to-wire tick-to-order ends
            _orderConnections.Enqueue(("POST /v1/orders", c.Connection.Id));
            using var reader = new StreamReader(c.Request.Body);
            var text = await reader.ReadToEndAsync().ConfigureAwait(false);
            _orderBodies.Enqueue(text);
            var body = JsonNode.Parse(text) as JsonObject;
            var hashInput = body is null ? "" : string.Join('&', body.Select(kv => kv.Key + "=" + (kv.Value is JsonValue v && v.TryGetValue<string>(out var s) ? s : kv.Value?.ToJsonString())));
            return await GuardAsync(c, "order", hashInput, true, () => CreateOrderAsync(c, body!)).ConfigureAwait(false);
        });

        // Validates like a create and answers like one, but creates nothing and spends nothing (docs/upbit.md: order-test).
        _app.MapPost("/v1/orders/test", async (HttpContext c) =>
        {
            _orderConnections.Enqueue(("POST /v1/orders/test", c.Connection.Id));
            using var reader = new StreamReader(c.Request.Body);
            var text = await reader.ReadToEndAsync().ConfigureAwait(false);
            var body = JsonNode.Parse(text) as JsonObject;
            var hashInput = body is null ? "" : string.Join('&', body.Select(kv => kv.Key + "=" + (kv.Value is JsonValue v && v.TryGetValue<string>(out var s) ? s : kv.Value?.ToJsonString())));
            return await GuardAsync(c, "order-test", hashInput, true, () => Task.FromResult(TestOrder(body!))).ConfigureAwait(false);
        });
    }

    private static JsonObject CancelGroup(IEnumerable<JsonObject> entries)
    {
        var list = entries.ToList();
        return new JsonObject { ["count"] = list.Count, ["orders"] = new JsonArray([.. list]) };
    }

    /// <summary>One order of a batch-cancel answer: uuid, market and identifier, each when known.</summary>
    private static JsonObject CancelEntry(string? uuid, string? market, string? identifier)
    {
        var entry = new JsonObject();
        if (uuid is not null)
        {
            entry["uuid"] = uuid;
        }

        if (market is not null)
        {
            entry["market"] = market;
        }

        if (identifier is not null)
        {
            entry["identifier"] = identifier;
        }

        return entry;
    }

    /// <summary>Whether a fault switch makes this <c>GET /v1/order</c> fail (by time, or for this order).</summary>
    private bool LookupFails(HttpRequest request, FakeOrder? found)
    {
        if (DateTimeOffset.UtcNow < Options.FailLookupsUntil)
        {
            return true;
        }

        var asked = found?.Identifier ?? (request.Query["identifier"].Count > 0 ? request.Query["identifier"].ToString() : request.Query["uuid"].ToString());
        return Options.FailLookupsOf is { } fails && fails(asked);
    }

    private IResult Guard(HttpContext c, string group, string? hashInput, bool signed, Func<IResult> handler) =>
        GuardAsync(c, group, hashInput, signed, () => Task.FromResult(handler())).GetAwaiter().GetResult();

    /// <summary>Counts the request (and then its answer's status), then the checks every Upbit request meets: down, rate limits, JWT.</summary>
    private async Task<IResult> GuardAsync(HttpContext c, string group, string? hashInput, bool signed, Func<Task<IResult>> handler)
    {
        var key = c.Request.Method + " " + c.Request.Path.Value;
        _requestCounts.AddOrUpdate(key, 1, (_, n) => n + 1);
        var result = await GuardedAsync(c, group, hashInput, signed, handler).ConfigureAwait(false);
        var status = result is IStatusCodeHttpResult { StatusCode: { } code } ? code : 200;
        _responseCounts.AddOrUpdate(string.Create(CultureInfo.InvariantCulture, $"{key} {status}"), 1, (_, n) => n + 1);
        return result;
    }

    private async Task<IResult> GuardedAsync(HttpContext c, string group, string? hashInput, bool signed, Func<Task<IResult>> handler)
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

        if (TakeFault(() => Options.CreateLateNext, v => Options.CreateLateNext = v))
        {
            await Task.Delay(Options.CreateLateMs).ConfigureAwait(false); // still "inside the exchange" while the client gives up
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
        var valid = ordType switch
        {
            "price" => side == "bid" && order.Price is > 0 && order.Volume is null,
            "market" => side == "ask" && order.Volume is > 0 && order.Price is null,
            "limit" => side == "ask" && order.Price is > 0 && order.Volume is > 0,
            _ => false,
        };
        if (!valid)
        {
            return Error(400, side == "bid" ? "create_bid_error" : "create_ask_error", "bad parameter combination");
        }

        lock (_bookLock)
        {
            // The identifier stays used even when the order is refused here (docs/upbit.md#order-states).
            if (Refusal(market, side, ordType, order.Price, order.Volume) is { } refusal)
            {
                return Error(400, refusal.Name, refusal.Message);
            }

            switch (ordType)
            {
                case "price":
                    BuyFills(market, order.Price!.Value).ForEach(f => order.AddTrade(f.Price, f.Volume, Fee));
                    order.State = order.ExecutedFunds < order.Price!.Value ? "cancel" : "done"; // unspent remainder → cancel (docs/upbit.md#order-states)
                    break;
                case "market":
                    SellFills(market, order.Volume!.Value).ForEach(f => order.AddTrade(f.Price, f.Volume, Fee));
                    order.State = "done";
                    break;
            }

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

    private IResult TestOrder(JsonObject body)
    {
        string? S(string key) => body[key]?.GetValue<string>();
        decimal? D(string key) => S(key) is { } s ? decimal.Parse(s, CultureInfo.InvariantCulture) : null;
        var order = new FakeOrder
        {
            Uuid = Guid.NewGuid().ToString(),
            Market = S("market") ?? "",
            Side = S("side") ?? "",
            OrdType = S("ord_type") ?? "",
            Identifier = S("identifier"),
            Price = D("price"),
            Volume = D("volume"),
            CreatedAt = DateTimeOffset.UtcNow,
        };
        lock (_bookLock)
        {
            if (Refusal(order.Market, order.Side, order.OrdType, order.Price, order.Volume) is { } refusal)
            {
                return Error(400, refusal.Name, refusal.Message);
            }
        }

        Interlocked.Increment(ref _testOrders);
        return Results.Json(ToJson(order), statusCode: 201);
    }

    private long _testOrders;
    private readonly System.Collections.Concurrent.ConcurrentQueue<(string Request, string ConnectionId)> _orderConnections = new();

    /// <summary>Each order and test-order request in arrival order, with the id of the TCP connection it came on.</summary>
    public IReadOnlyList<(string Request, string ConnectionId)> OrderRequestConnections => [.. _orderConnections];

    /// <summary><c>POST /v1/orders/test</c> requests answered 201 (nothing created).</summary>
    public long TestOrders => Interlocked.Read(ref _testOrders);

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

    /// <summary>An order as the REST API shows it (decimal strings), with its fills as <c>trades</c>.</summary>
    private JsonObject ToJson(FakeOrder o)
    {
        lock (_bookLock)
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
                ["locked"] = o is { Side: "ask", State: "wait" } ? Text((o.Volume ?? 0) - o.ExecutedVolume) : "0",
                ["trades_count"] = o.Trades.Count > 0 ? o.Trades.Count : o.ExecutedVolume > 0 ? 1 : 0,
            };
            if (o.Price is { } p)
            {
                json["price"] = Text(p);
            }

            if (o.Volume is { } v && o.OrdType != "price")
            {
                json["volume"] = Text(v); // market buys have no volume keys (docs/upbit.md#order-object)
                json["remaining_volume"] = Text(v - o.ExecutedVolume);
            }

            if (o.Identifier is not null)
            {
                json["identifier"] = o.Identifier;
            }

            if (o.Trades.Count > 0)
            {
                json["trades"] = new JsonArray([.. o.Trades.Select(t => (JsonNode)new JsonObject
                {
                    ["market"] = o.Market, ["uuid"] = t.Uuid, ["price"] = Text(t.Price), ["volume"] = Text(t.Volume), ["funds"] = Text(t.Funds), ["side"] = o.Side,
                    ["created_at"] = t.At.ToOffset(TimeSpan.FromHours(9)).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffffzzz", CultureInfo.InvariantCulture),
                })]);
            }
            else if (o.ExecutedVolume > 0)
            {
                // filled before the fake knew it (a seed): one trade for the whole
                json["trades"] = new JsonArray(new JsonObject { ["market"] = o.Market, ["uuid"] = Guid.NewGuid().ToString(), ["price"] = Text(o.ExecutedFunds / o.ExecutedVolume), ["volume"] = Text(o.ExecutedVolume), ["funds"] = Text(o.ExecutedFunds), ["side"] = o.Side });
            }

            return json;
        }
    }

    private static string Text(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}
