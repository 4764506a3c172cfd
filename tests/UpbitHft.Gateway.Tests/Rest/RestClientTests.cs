using UpbitHft.Gateway.Auth;
using UpbitHft.Gateway.Errors;
using UpbitHft.Gateway.RateLimits;
using UpbitHft.Gateway.Rest;
using UpbitHft.TestSupport.FakeUpbit.Rest;
using static UpbitHft.Gateway.Tests.Rest.GatewayFixture;

namespace UpbitHft.Gateway.Tests.Rest;

public class RestClientTests
{
    [Fact]
    public async Task Quotation_and_signed_endpoints_over_real_http()
    {
        await using var server = await FakeUpbitRestServer.StartAsync();
        using var rest = Client(server);

        var markets = await rest.GetMarketsAsync();
        Assert.True(markets.IsSuccess, markets.Error?.ToString());
        Assert.Equal(["KRW-BTC", "KRW-ETH", "KRW-XRP"], markets.Value!.Select(m => m.Market));
        Assert.Equal([false, true, false], markets.Value!.Select(m => m.IsWarning));

        var candles = await rest.GetMinuteCandlesAsync("KRW-BTC", 5);
        Assert.Equal(5, candles.Value!.Count);
        Assert.Equal(116_539_000m, candles.Value![0].CandleAccTradePrice); // "1.16539E8" as a JSON number → decimal

        var instruments = await rest.GetInstrumentsAsync(["KRW-BTC"]);
        Assert.Equal(500m, instruments.Value!.Single().TickSize); // "500" as a string → decimal

        var accounts = await rest.GetAccountsAsync(); // signed, no parameters: no query_hash
        Assert.True(accounts.IsSuccess, accounts.Error?.ToString());
        Assert.Equal(10_000_000m, accounts.Value!.Single(a => a.Currency == "KRW").Balance);

        var open = await rest.GetOpenOrdersAsync("KRW-BTC"); // signed with states[] in the hash
        Assert.True(open.IsSuccess, open.Error?.ToString());
    }

    [Fact]
    public async Task A_wrong_secret_is_refused_by_the_jwt_check()
    {
        await using var server = await FakeUpbitRestServer.StartAsync();
        using var rest = new UpbitRestClient(new UpbitRestOptions { BaseUrl = server.BaseUrl },
            new JwtSigner(new UpbitCredentials(server.Options.AccessKey, "another-secret")));
        var r = await rest.GetAccountsAsync();
        Assert.Equal(UpbitErrorCode.AuthenticationFailed, r.Error!.Code);
        Assert.Equal("jwt_verification", r.Error.Name);
    }

    [Fact]
    public async Task A_burst_of_hundreds_never_exceeds_the_limit()
    {
        await using var server = await FakeUpbitRestServer.StartAsync(new FakeUpbitRestOptions { Limits = new(StringComparer.Ordinal) { ["default"] = 60, ["order"] = 60 } });
        using var rest = Client(server, new RateLimitOptions { DefaultPerSecond = 60, OrderPerSecond = 60 });
        var tasks = Enumerable.Range(0, 240).Select(i => i % 2 == 0
            ? (Task)rest.GetOrderAsync(null, "nope-" + i)
            : rest.CreateOrderAsync(new QueryString().Add("market", "KRW-BTC").Add("side", "bid").Add("price", "10000").Add("ord_type", "price").Add("identifier", "burst-" + i))).ToArray();
        await Task.WhenAll(tasks);
        Assert.Equal(0, server.Violations);
        Assert.Equal(240, server.Requests);
        Assert.Equal(120, server.Orders.Count);
    }

    [Fact]
    public async Task A_client_that_ignores_the_limit_gets_429_then_418_and_backs_off()
    {
        await using var server = await FakeUpbitRestServer.StartAsync(new FakeUpbitRestOptions { Limits = new(StringComparer.Ordinal) { ["market"] = 2 }, BlockSeconds = 1, TooManyBeforeTeapot = 2, SendRemainingReq = false });
        var log = new List<string>();
        // The client believes the limit is 20/s and gets no Remaining-Req to correct it: the server answers 429, then 418.
        using var rest = Client(server, new RateLimitOptions { QuotationPerSecond = 20 }, log: log);
        var codes = new List<UpbitErrorCode?>();
        for (var i = 0; i < 8; i++)
        {
            codes.Add((await rest.GetMarketsAsync()).Error?.Code);
        }

        Assert.Contains(UpbitErrorCode.RateLimited, codes);
        Assert.Contains(UpbitErrorCode.Blocked, codes);
        Assert.Contains(log, l => l.Contains("418 BLOCKED", StringComparison.Ordinal));
        Assert.True(rest.Limiter("market").BlockedUntilMs > 0);
        Assert.Equal(UpbitErrorCode.RateLimited, UpbitError.FromResponse(429, "Too many API requests.").Code);
    }

    [Fact]
    public async Task Remaining_req_keeps_a_client_with_a_wrong_belief_inside_the_limit()
    {
        await using var server = await FakeUpbitRestServer.StartAsync(new FakeUpbitRestOptions { Limits = new(StringComparer.Ordinal) { ["market"] = 3 } });
        using var rest = Client(server, new RateLimitOptions { QuotationPerSecond = 20 });
        for (var i = 0; i < 9; i++)
        {
            var answer = await rest.GetMarketsAsync();
            Assert.True(answer.IsSuccess, $"request {i}: {answer.Error}");
        }

        Assert.Equal(0, server.Violations); // each answer's sec=N corrected the client's bucket
    }
}
