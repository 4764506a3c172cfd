using System.Globalization;
using UpbitHft.Gateway.Auth;

namespace UpbitHft.Gateway.Rest;

public sealed partial class UpbitRestClient
{
    private static readonly HttpMethod s_get = HttpMethod.Get;

    /// <summary>GET /v1/market/all?is_details=true (group <c>market</c>).</summary>
    public Task<RestResult<List<MarketInfo>>> GetMarketsAsync(CancellationToken cancel = default) =>
        SendAsync(s_get, "/v1/market/all", new QueryString().Add("is_details", "true"), UpbitJsonContext.Default.ListMarketInfo, "market", false, false, cancel);

    /// <summary>GET /v1/candles/minutes/1 (newest first, at most 200; group <c>candle</c>).</summary>
    public Task<RestResult<List<MinuteCandle>>> GetMinuteCandlesAsync(string market, int count, DateTimeOffset? to = null, CancellationToken cancel = default)
    {
        var q = new QueryString().Add("market", market).Add("count", Math.Clamp(count, 1, 200).ToString(CultureInfo.InvariantCulture))
            .Add("to", to?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        return SendAsync(s_get, "/v1/candles/minutes/1", q, UpbitJsonContext.Default.ListMinuteCandle, "candle", false, false, cancel);
    }

    /// <summary>GET /v1/ticker?markets=… (group <c>ticker</c>).</summary>
    public Task<RestResult<List<Ticker>>> GetTickersAsync(IEnumerable<string> markets, CancellationToken cancel = default) =>
        SendAsync(s_get, "/v1/ticker", new QueryString().Add("markets", string.Join(',', markets)), UpbitJsonContext.Default.ListTicker, "ticker", false, false, cancel);

    /// <summary>GET /v1/orderbook/instruments?markets=… for tick sizes (group <c>orderbook</c>).</summary>
    public Task<RestResult<List<Instrument>>> GetInstrumentsAsync(IEnumerable<string> markets, CancellationToken cancel = default) =>
        SendAsync(s_get, "/v1/orderbook/instruments", new QueryString().Add("markets", string.Join(',', markets)), UpbitJsonContext.Default.ListInstrument, "orderbook", false, false, cancel);

    /// <summary>GET /v1/accounts (signed, group <c>default</c>).</summary>
    public Task<RestResult<List<Account>>> GetAccountsAsync(CancellationToken cancel = default) =>
        SendAsync(s_get, "/v1/accounts", null, UpbitJsonContext.Default.ListAccount, "default", true, false, cancel);

    /// <summary>GET /v1/orders/chance?market=… (signed, group <c>default</c>).</summary>
    public Task<RestResult<OrderChance>> GetOrderChanceAsync(string market, CancellationToken cancel = default) =>
        SendAsync(s_get, "/v1/orders/chance", new QueryString().Add("market", market), UpbitJsonContext.Default.OrderChance, "default", true, false, cancel);

    /// <summary>POST /v1/orders (signed, group <c>order</c>). The body's keys follow the request's order.</summary>
    public Task<RestResult<UpbitOrder>> CreateOrderAsync(QueryString body, CancellationToken cancel = default) =>
        SendAsync(HttpMethod.Post, "/v1/orders", body, UpbitJsonContext.Default.UpbitOrder, "order", true, true, cancel);

    /// <summary>
    /// POST /v1/orders with a request built and signed by <see cref="Signing.OrderRequestSigner"/> (group <c>order</c>), on
    /// the order connections; <paramref name="written"/> receives when its bytes went to the socket.
    /// </summary>
    internal Task<RestResult<UpbitOrder>> CreateOrderAsync(Signing.SignedOrderRequest request, WriteStamp? written, CancellationToken cancel = default) =>
        SendSignedAsync("/v1/orders", request, UpbitJsonContext.Default.UpbitOrder, "order", written, cancel);

    /// <summary>POST /v1/orders/test: validates only (signed, group <c>order-test</c>).</summary>
    public Task<RestResult<UpbitOrder>> TestOrderAsync(QueryString body, CancellationToken cancel = default) =>
        SendAsync(HttpMethod.Post, "/v1/orders/test", body, UpbitJsonContext.Default.UpbitOrder, "order-test", true, true, cancel);

    /// <summary>POST /v1/orders/test with a pre-signed request, on the order connections (warms the order path; creates nothing).</summary>
    internal Task<RestResult<UpbitOrder>> TestOrderAsync(Signing.SignedOrderRequest request, CancellationToken cancel = default) =>
        SendSignedAsync("/v1/orders/test", request, UpbitJsonContext.Default.UpbitOrder, "order-test", null, cancel);

    /// <summary>GET /v1/order by uuid or identifier (signed, group <c>default</c>).</summary>
    public Task<RestResult<UpbitOrder>> GetOrderAsync(string? uuid, string? identifier, CancellationToken cancel = default) =>
        SendAsync(s_get, "/v1/order", new QueryString().Add("uuid", uuid).Add("identifier", uuid is null ? identifier : null), UpbitJsonContext.Default.UpbitOrder, "default", true, false, cancel);

    /// <summary>DELETE /v1/order by uuid or identifier (signed, group <c>default</c>). The answer still says <c>wait</c>: cancel is asynchronous.</summary>
    public Task<RestResult<UpbitOrder>> CancelOrderAsync(string? uuid, string? identifier, CancellationToken cancel = default) =>
        SendAsync(HttpMethod.Delete, "/v1/order", new QueryString().Add("uuid", uuid).Add("identifier", uuid is null ? identifier : null), UpbitJsonContext.Default.UpbitOrder, "default", true, false, cancel);

    /// <summary>GET /v1/orders/closed for a market, done and cancel, created since <paramref name="start"/> (≤ 7 days; signed, group <c>default</c>).</summary>
    public Task<RestResult<List<UpbitOrder>>> GetClosedOrdersAsync(string market, DateTimeOffset start, CancellationToken cancel = default) =>
        SendAsync(s_get, "/v1/orders/closed", new QueryString().Add("market", market).AddArray("states", ["done", "cancel"])
            .Add("start_time", start.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture)).Add("limit", "1000"),
            UpbitJsonContext.Default.ListUpbitOrder, "default", true, false, cancel);

    /// <summary>GET /v1/orders/open for a market, wait and watch (signed, group <c>default</c>).</summary>
    public Task<RestResult<List<UpbitOrder>>> GetOpenOrdersAsync(string market, CancellationToken cancel = default) =>
        SendAsync(s_get, "/v1/orders/open", new QueryString().Add("market", market).AddArray("states", ["wait", "watch"]).Add("limit", "100"), UpbitJsonContext.Default.ListUpbitOrder, "default", true, false, cancel);

    /// <summary>
    /// DELETE /v1/orders/uuids by client identifiers (at most 20 per request; signed, group <c>default</c>): only the
    /// orders named are touched, never a whole pair. The answer lists which were accepted for cancellation and which failed.
    /// </summary>
    public Task<RestResult<BatchCancelResult>> CancelOrdersByIdentifiersAsync(IReadOnlyList<string> identifiers, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(identifiers);
        if (identifiers.Count is 0 or > 20)
        {
            throw new ArgumentOutOfRangeException(nameof(identifiers), identifiers.Count, "Upbit cancels 1 to 20 orders by identifier per request.");
        }

        return SendAsync(HttpMethod.Delete, "/v1/orders/uuids", new QueryString().AddArray("identifiers", identifiers), UpbitJsonContext.Default.BatchCancelResult, "default", true, false, cancel);
    }

    /// <summary>DELETE /v1/orders/open for the given markets (signed, group <c>order-cancel-all</c>: 1 per 2 s).</summary>
    public Task<RestResult<BatchCancelResult>> CancelOpenOrdersAsync(IEnumerable<string> pairs, CancellationToken cancel = default) =>
        SendAsync(HttpMethod.Delete, "/v1/orders/open", new QueryString().Add("cancel_side", "all").Add("pairs", string.Join(',', pairs)), UpbitJsonContext.Default.BatchCancelResult, "order-cancel-all", true, false, cancel);
}
