using System.Globalization;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.Channels;
using UpbitHft.Engine.Decisions;
using UpbitHft.Engine.Markets;
using UpbitHft.Gateway.Orders;

namespace UpbitHft.Benchmarks.Harnesses.Loopback;

/// <summary>
/// The common way from wire to order, as most trading bots are written: <c>ClientWebSocket</c> → UTF-8 <c>string</c>
/// → <c>JsonSerializer</c> (reflection) → <c>Channel&lt;T&gt;</c> → a consumer task that runs the same decision core and,
/// for each order, builds the body and a JWT the usual way (JSON payload, <c>new HMACSHA512</c>, Base64 with the URL
/// characters swapped) and sends it with <c>HttpClient.PostAsync</c>. The order's answer is applied as its fill, so the
/// core alternates buy and take-profit sell as the engine does. Same fake, same frames.
/// </summary>
internal static class CommonWay
{
    public sealed class Message
    {
        [JsonPropertyName("type")] public string? Type { get; set; }
        [JsonPropertyName("code")] public string? Code { get; set; }
        [JsonPropertyName("timestamp")] public long Timestamp { get; set; }
        [JsonPropertyName("trade_price")] public double TradePrice { get; set; }
        [JsonPropertyName("trade_volume")] public double TradeVolume { get; set; }
        [JsonPropertyName("trade_timestamp")] public long TradeTimestamp { get; set; }
        [JsonPropertyName("total_ask_size")] public double TotalAskSize { get; set; }
        [JsonPropertyName("total_bid_size")] public double TotalBidSize { get; set; }
        [JsonPropertyName("orderbook_units")] public List<Unit>? Units { get; set; }
    }

    public sealed class Unit
    {
        [JsonPropertyName("ask_price")] public double AskPrice { get; set; }
        [JsonPropertyName("bid_price")] public double BidPrice { get; set; }
    }

    public sealed class OrderAnswer
    {
        [JsonPropertyName("executed_volume")] public string? ExecutedVolume { get; set; }
        [JsonPropertyName("paid_fee")] public string? PaidFee { get; set; }
        [JsonPropertyName("trades")] public List<TradeAnswer>? Trades { get; set; }
    }

    public sealed class TradeAnswer
    {
        [JsonPropertyName("funds")] public string? Funds { get; set; }
    }

    public sealed class Candle
    {
        [JsonPropertyName("candle_date_time_utc")] public string? Utc { get; set; }
        [JsonPropertyName("opening_price")] public double Open { get; set; }
        [JsonPropertyName("high_price")] public double High { get; set; }
        [JsonPropertyName("low_price")] public double Low { get; set; }
        [JsonPropertyName("trade_price")] public double Close { get; set; }
        [JsonPropertyName("candle_acc_trade_volume")] public double Volume { get; set; }
        [JsonPropertyName("candle_acc_trade_price")] public double Value { get; set; }
    }

    /// <summary>Runs the common way against the fake process until it has played its script; the fake's stamps give wire → order.</summary>
    public static WireToOrder.Result Run(int cycles, bool tls)
    {
        var (frames, firstTrade) = WireToOrder.Script(cycles);
        var fx = FakeExchangeProcess.StartAsync(frames, tls: tls).GetAwaiter().GetResult();
        try
        {
            RunAsync(fx).GetAwaiter().GetResult();
            var stamps = fx.StopAsync().GetAwaiter().GetResult();
            var (steady, first) = WireToOrder.Pair(stamps, firstTrade);
            return new WireToOrder.Result(steady, first, stamps, null, firstTrade);
        }
        finally
        {
            fx.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private static async Task RunAsync(FakeExchangeProcess fx)
    {
        var keys = WireToOrder.FakeKeys;
        using var http = new HttpClient(new SocketsHttpHandler { SslOptions = { RemoteCertificateValidationCallback = fx.Validation } }) { BaseAddress = fx.Rest };
        var core = new DecisionCore(new DecisionOptions { CooldownMs = 0 }, 4);
        core.SetFreeKrw(1_000_000m);

        // Warm-up as the engine does (not measured): the last 40 one-minute candles.
        var candles = JsonSerializer.Deserialize<List<Candle>>(await http.GetStringAsync("/v1/candles/minutes/1?market=KRW-BTC&count=40"))!;
        core.SeedFromCandles(0, [.. candles.Select(c => new HistoricalCandle(DateTimeOffset.Parse(c.Utc! + "Z", CultureInfo.InvariantCulture).ToUnixTimeMilliseconds(), c.Open, c.High, c.Low, c.Close, c.Volume, c.Value))
            .OrderBy(c => c.StartMs)]);

        using var socket = new ClientWebSocket();
        socket.Options.RemoteCertificateValidationCallback = fx.Validation;
        await socket.ConnectAsync(fx.Ws, CancellationToken.None);
        await socket.SendAsync(Encoding.UTF8.GetBytes("""[{"ticket":"common-way"},{"type":"trade","codes":["KRW-BTC"]},{"type":"orderbook","codes":["KRW-BTC"]}]"""), WebSocketMessageType.Text, true, CancellationToken.None);
        var channel = Channel.CreateUnbounded<Message>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        using var stop = new CancellationTokenSource();
        var consumer = Task.Run(async () =>
        {
            var actions = new ActionBuffer();
            await foreach (var m in channel.Reader.ReadAllAsync())
            {
                if (m.Type == "trade")
                {
                    core.OnTrade(0, m.TradeTimestamp, m.TradePrice, m.TradeVolume, actions);
                }
                else if (m.Type == "orderbook" && m.Units is [var best, ..])
                {
                    core.OnOrderbook(0, m.Timestamp, m.TotalBidSize, m.TotalAskSize, best.BidPrice, best.AskPrice, actions);
                }

                var decided = actions.AsSpan().ToArray();
                actions.Clear();
                foreach (var a in decided.Where(a => a.Kind is ActionKind.SubmitMarketBuy or ActionKind.SubmitMarketSell))
                {
                    var fill = await PostOrderAsync(http, keys.AccessKey, keys.SecretKey, a);
                    core.OnOrderUpdate(fill, actions);
                    actions.Clear(); // the next decision waits for the next trade, as in the engine
                }
            }
        });
        var receiver = Task.Run(async () =>
        {
            var buffer = new byte[64 * 1024];
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    var text = await Harness.ReceiveTextAsync(socket, buffer, stop.Token);
                    if (JsonSerializer.Deserialize<Message>(text) is { Type: "trade" or "orderbook" } m)
                    {
                        channel.Writer.TryWrite(m);
                    }
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
            {
            }
        });

        await fx.Played.WaitAsync(TimeSpan.FromMinutes(5));
        await Task.Delay(1_000);
        await stop.CancelAsync();
        await receiver;
        channel.Writer.TryComplete();
        await consumer;
    }

    /// <summary>One order the usual way: a dictionary body, a query-string hash, a JWT built with JsonSerializer and HMACSHA512, HttpClient.PostAsync.</summary>
    private static async Task<OrderUpdate> PostOrderAsync(HttpClient http, string accessKey, string secretKey, DecisionAction a)
    {
        var buy = a.Kind == ActionKind.SubmitMarketBuy;
        var body = new Dictionary<string, string> { ["market"] = "KRW-BTC", ["side"] = buy ? "bid" : "ask" };
        if (buy)
        {
            body["price"] = Math.Floor(a.AmountKrw).ToString(CultureInfo.InvariantCulture);
        }
        else
        {
            body["volume"] = OrderValidator.Truncate8(a.Volume).ToString("0.########", CultureInfo.InvariantCulture);
        }

        body["ord_type"] = buy ? "price" : "market";
        body["identifier"] = Guid.NewGuid().ToString();
        var query = string.Join("&", body.Select(kv => $"{kv.Key}={kv.Value}"));
        var payload = new Dictionary<string, string>
        {
            ["access_key"] = accessKey,
            ["nonce"] = Guid.NewGuid().ToString(),
            ["query_hash"] = Convert.ToHexString(SHA512.HashData(Encoding.UTF8.GetBytes(query))).ToLowerInvariant(),
            ["query_hash_alg"] = "SHA512",
        };
        static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var unsigned = B64(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new Dictionary<string, string> { ["alg"] = "HS512", ["typ"] = "JWT" })))
            + "." + B64(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(payload)));
        using var hmac = new HMACSHA512(Encoding.UTF8.GetBytes(secretKey));
        var token = unsigned + "." + B64(hmac.ComputeHash(Encoding.UTF8.GetBytes(unsigned)));
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.PostAsync("/v1/orders", new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"));
        var answer = JsonSerializer.Deserialize<OrderAnswer>(await response.Content.ReadAsStringAsync());
        if (!response.IsSuccessStatusCode || answer is null)
        {
            return new OrderUpdate { IntentId = a.IntentId, Kind = OrderEventKind.Rejected };
        }

        var funds = answer.Trades?.Sum(t => decimal.Parse(t.Funds!, CultureInfo.InvariantCulture)) ?? 0;
        return new OrderUpdate
        {
            IntentId = a.IntentId,
            Kind = OrderEventKind.Done,
            ExecutedVolume = decimal.Parse(answer.ExecutedVolume ?? "0", CultureInfo.InvariantCulture),
            ExecutedFunds = funds,
            PaidFee = decimal.Parse(answer.PaidFee ?? "0", CultureInfo.InvariantCulture),
        };
    }
}
