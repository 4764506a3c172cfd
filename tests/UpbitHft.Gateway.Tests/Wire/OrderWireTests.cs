using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using UpbitHft.Gateway.Auth;
using UpbitHft.Gateway.Errors;
using UpbitHft.Gateway.Orders;
using UpbitHft.Gateway.RateLimits;
using UpbitHft.Gateway.Rest;
using UpbitHft.Gateway.Signing;
using UpbitHft.TestSupport.FakeUpbit.Rest;

namespace UpbitHft.Gateway.Tests.Wire;

/// <summary>
/// Orders on the kept-open order connections (a minimal HTTP/1.1 writer and reader) against the fake exchange: what
/// HttpClient would do for them — keep-alive, chunked answers, Remaining-Req, 429, 418 with Retry-After, a connection
/// the server closed, an answer that comes too late, TLS — it must do as well.
/// </summary>
public class OrderWireTests
{
    private static readonly OrderValidator Validator = new();

    private static UpbitRestClient Client(FakeUpbitRestServer server, RateLimitOptions? limits = null, TimeSpan? timeout = null, RemoteCertificateValidationCallback? tls = null, List<string>? log = null) =>
        new(new UpbitRestOptions
        {
            BaseUrl = server.BaseUrl,
            RateLimits = limits ?? new RateLimitOptions(),
            RequestTimeout = timeout ?? TimeSpan.FromSeconds(10),
            MaxRateLimitWait = TimeSpan.FromSeconds(30),
            ServerCertificateValidation = tls,
        }, new JwtSigner(new UpbitCredentials(server.Options.AccessKey, server.Options.SecretKey)), log: line => { if (log is not null) { lock (log) { log.Add(line); } } });

    private static SignedOrderRequest Signed(FakeUpbitRestServer server, string identifier, decimal krw = 10_000m)
    {
        var signer = new OrderRequestSigner(new UpbitCredentials(server.Options.AccessKey, server.Options.SecretKey), Validator);
        var request = new SignedOrderRequest();
        Assert.True(signer.TrySign(new OrderCommand(OrderCommandKind.MarketBuy, 1, 0, "KRW-BTC", AmountKrw: krw), System.Text.Encoding.ASCII.GetBytes(identifier), request, out _));
        return request;
    }

    private static Task<RestResult<UpbitHft.Gateway.Rest.UpbitOrder>> Create(UpbitRestClient rest, FakeUpbitRestServer server, string identifier, WriteStamp? written = null) =>
        rest.CreateOrderAsync(Signed(server, identifier), written);

    [Fact]
    public async Task Orders_go_out_on_the_connections_opened_at_start_and_no_other()
    {
        await using var server = await FakeUpbitRestServer.StartAsync();
        using var rest = Client(server);
        await rest.OpenOrderConnectionsAsync();
        Assert.Equal(2, rest.OrderConnectionsOpen);
        await TestSupport.Eventually.TrueAsync(() => server.Connections.Count == 2, TimeSpan.FromSeconds(10), "the fake accepting both"); // its count runs on its own threads
        var accepted = server.Connections.Count;

        for (var i = 0; i < 20; i++)
        {
            var written = new WriteStamp();
            var r = await Create(rest, server, $"wire-{i}", written);
            Assert.True(r.IsSuccess, r.Error?.ToString());
            Assert.Equal($"wire-{i}", r.Value!.Identifier);
            Assert.True(written.Ns > 0); // stamped when the bytes left, on the writing thread
        }

        Assert.Equal(accepted, server.Connections.Count); // keep-alive: not one more connection
        Assert.Equal(2, rest.OrderConnectionsOpened);
        Assert.Equal(20, server.RequestCount("POST /v1/orders"));
        Assert.Equal(20, server.Orders.Count);
        Assert.All(server.OrderRequestConnections, r => Assert.NotNull(r.ConnectionId));
        Assert.True(server.OrderRequestConnections.Select(r => r.ConnectionId).Distinct().Count() <= 2);
    }

    [Fact]
    public async Task Remaining_req_is_applied_and_429_and_418_are_handled_as_over_http_client()
    {
        var limits = new Dictionary<string, int>(StringComparer.Ordinal) { ["order"] = 3, ["default"] = 30, ["order-test"] = 8 };
        await using var server = await FakeUpbitRestServer.StartAsync(new FakeUpbitRestOptions { Limits = limits, BlockSeconds = 1 });
        using var rest = Client(server, new RateLimitOptions { OrderPerSecond = 8 });
        await rest.OpenOrderConnectionsAsync();

        Assert.True((await Create(rest, server, "rr-1")).IsSuccess);
        var now = (long)TimeProvider.System.GetElapsedTime(0, TimeProvider.System.GetTimestamp()).TotalMilliseconds;
        Assert.True(rest.Limiter("order").Available(now) <= 2, "the exchange said 2 remain in this second: the client believes it over its own 7");

        server.Options.TooManyNextOrders = 1;
        var tooMany = await Create(rest, server, "rr-2");
        Assert.Equal(UpbitErrorCode.RateLimited, tooMany.Error!.Code);
        Assert.Equal(1, rest.TooManyRequestsAnswers);

        server.Options.TeapotNextOrders = 1;
        await Task.Delay(1_100); // past the 429's pause
        var blocked = await Create(rest, server, "rr-3");
        Assert.Equal(UpbitErrorCode.Blocked, blocked.Error!.Code);
        Assert.Equal(1, rest.BlockedAnswers);
        now = (long)TimeProvider.System.GetElapsedTime(0, TimeProvider.System.GetTimestamp()).TotalMilliseconds;
        Assert.InRange(rest.Limiter("order").BlockedUntilMs - now, 500, 1_100); // Retry-After: 1 s, read from the raw answer

        // The same connections carry on after error answers (they came back whole).
        await Task.Delay(1_200);
        Assert.True((await Create(rest, server, "rr-4")).IsSuccess);
        Assert.Equal(2, rest.OrderConnectionsOpened);
        Assert.Equal(0, server.Violations);
    }

    [Fact]
    public async Task A_connection_the_server_closed_while_idle_is_never_written_to_and_is_replaced()
    {
        await using var server = await FakeUpbitRestServer.StartAsync(new FakeUpbitRestOptions { KeepAliveTimeout = TimeSpan.FromSeconds(1) });
        using var rest = Client(server);
        await rest.OpenOrderConnectionsAsync();
        Assert.True((await Create(rest, server, "idle-1")).IsSuccess);

        await Task.Delay(TimeSpan.FromSeconds(3)); // the fake closes both (Kestrel checks idle connections once a second)
        var r = await Create(rest, server, "idle-2");

        Assert.True(r.IsSuccess, r.Error?.ToString()); // not an unknown outcome: the closed connection was seen before writing
        Assert.Equal(2, server.Orders.Count);
        await TestSupport.Eventually.TrueAsync(() => rest.OrderConnectionsOpen == 2, TimeSpan.FromSeconds(10), "both order connections open again");
        Assert.True(rest.OrderConnectionsOpened >= 3);
    }

    [Fact]
    public async Task A_late_answer_breaks_its_connection_and_is_never_read_as_the_next_orders_answer()
    {
        await using var server = await FakeUpbitRestServer.StartAsync(new FakeUpbitRestOptions { DelayNextCreates = 1, CreateDelayMs = 3_000 });
        using var rest = Client(server, timeout: TimeSpan.FromMilliseconds(1_000));
        await rest.OpenOrderConnectionsAsync();

        var late = await Create(rest, server, "late-1");
        Assert.Equal(UpbitErrorCode.Timeout, late.Error!.Code); // outcome unknown: the order lifecycle looks it up
        for (var i = 2; i <= 4; i++)
        {
            var next = await Create(rest, server, $"late-{i}");
            Assert.True(next.IsSuccess, next.Error?.ToString());
            Assert.Equal($"late-{i}", next.Value!.Identifier); // its own answer, never late-1's
        }

        Assert.Equal(4, server.Orders.Count); // late-1 was created before the fake held its answer
    }

    [Fact]
    public async Task A_cut_connection_is_an_unknown_outcome_and_the_next_order_goes_out_on_a_sound_one()
    {
        await using var server = await FakeUpbitRestServer.StartAsync(new FakeUpbitRestOptions { DropNextCreates = 1 });
        using var rest = Client(server);
        await rest.OpenOrderConnectionsAsync();

        var cut = await Create(rest, server, "cut-1");
        Assert.True(cut.Error!.OutcomeUnknown, cut.Error.ToString());
        Assert.Single(server.Orders); // created all the same: only a lookup can tell

        var next = await Create(rest, server, "cut-2");
        Assert.True(next.IsSuccess, next.Error?.ToString());
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var made = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(made.Export(X509ContentType.Pfx), null);
    }

    [Fact]
    public async Task Over_tls_orders_keep_to_the_connections_opened_at_start()
    {
        // A TLS 1.3 server sends its session tickets after the handshake: bytes that arrive on an idle connection and
        // are not an answer. They must not make the connection look closed (every order would then open a new one
        // and go out on the slower fallback).
        using var certificate = SelfSigned();
        await using var server = await FakeUpbitRestServer.StartAsync(new FakeUpbitRestOptions { Certificate = certificate });
        var hash = certificate.GetCertHashString(HashAlgorithmName.SHA256);
        using var rest = Client(server, tls: (_, c, _, _) => c is not null && c.GetCertHashString(HashAlgorithmName.SHA256) == hash);
        await rest.OpenOrderConnectionsAsync();
        await TestSupport.Eventually.TrueAsync(() => server.Connections.Count == 2, TimeSpan.FromSeconds(10), "the fake accepting both");
        await Task.Delay(200); // the tickets are on the client's socket by now

        for (var i = 0; i < 10; i++)
        {
            var written = new WriteStamp();
            var r = await Create(rest, server, $"tls-keep-{i}", written);
            Assert.True(r.IsSuccess, r.Error?.ToString());
            Assert.Equal($"tls-keep-{i}", r.Value!.Identifier);
            Assert.True(written.Ns > 0);
        }

        Assert.Equal(2, server.Connections.Count);
        Assert.Equal(2, rest.OrderConnectionsOpened);
        Assert.Equal(2, rest.OrderConnectionsOpen);
        Assert.True(server.OrderRequestConnections.Select(r => r.ConnectionId).Distinct().Count() <= 2);
    }

    [Fact]
    public async Task Over_tls_the_order_connections_check_the_certificate_and_carry_the_orders()
    {
        using var certificate = SelfSigned();
        await using var server = await FakeUpbitRestServer.StartAsync(new FakeUpbitRestOptions { Certificate = certificate });
        Assert.Equal("https", server.BaseUrl.Scheme);
        var hash = certificate.GetCertHashString(HashAlgorithmName.SHA256);

        using var trusting = Client(server, tls: (_, c, _, _) => c is not null && c.GetCertHashString(HashAlgorithmName.SHA256) == hash);
        await trusting.OpenOrderConnectionsAsync();
        Assert.Equal(2, trusting.OrderConnectionsOpen);
        Assert.True((await Create(trusting, server, "tls-1")).IsSuccess);

        var log = new List<string>();
        using var wary = Client(server, log: log); // the system's trust: a self-signed certificate is refused
        await wary.OpenOrderConnectionsAsync().WaitAsync(TimeSpan.FromSeconds(2)).ContinueWith(_ => { }, TaskScheduler.Default);
        Assert.Equal(0, wary.OrderConnectionsOpen);
        Assert.Contains(log, l => l.Contains("order connection 1", StringComparison.Ordinal));
    }
}
