using System.Text;
using UpbitHft.Gateway.Auth;
using UpbitHft.Gateway.Orders;
using UpbitHft.Gateway.Rest;
using UpbitHft.Gateway.Signing;

namespace UpbitHft.Gateway.Tests.Signing;

/// <summary>Requests signed ahead: taken once, by exactly their order, on the thread that signed them; anything else is signed afresh.</summary>
public class PresignedOrdersTests
{
    private static readonly UpbitCredentials s_keys = new("test-access-key", "test-secret-key-0123456789abcdefghijklmn");
    private readonly OrderValidator _validator = new();
    private readonly OrderRequestSigner _signer;

    public PresignedOrdersTests() => _signer = new OrderRequestSigner(s_keys, _validator);

    private static OrderCommand Buy(long intent = 7, int market = 0, decimal amount = 500_000m) =>
        new(OrderCommandKind.MarketBuy, intent, market, market == 0 ? "KRW-BTC" : $"KRW-C{market}", AmountKrw: amount);

    private static byte[] Id(long intent, int attempt = 0) => Encoding.ASCII.GetBytes($"uh-mh1x2y3zabcdef-{intent}-{attempt}");

    [Fact]
    public void A_kept_request_is_taken_once_by_exactly_its_order_and_is_what_signing_it_gives()
    {
        var kept = new PresignedOrders();
        Assert.True(kept.Keep(_signer, Buy(), Id(7), out _));

        var request = new SignedOrderRequest();
        var order = Buy() with { OriginNs = 123, DecidedNs = 456, PickedUpNs = 789 }; // stamps are not part of the request
        Assert.True(kept.TryTake(order, Id(7), request));

        // The same body and identifier a fresh signing gives, and a JWT over them under its own nonce.
        Assert.True(_validator.TryBuild(order, "uh-mh1x2y3zabcdef-7-0", out var body, out _));
        Assert.Equal(UpbitRestClient.JsonBody(body), Encoding.UTF8.GetString(request.BodySpan));
        var authorization = Encoding.ASCII.GetString(request.AuthorizationSpan);
        var nonce = OrderRequestSignerTests.NonceOf(authorization);
        Assert.Equal(new JwtSigner(s_keys, JwtAlgorithm.HS512, () => nonce).AuthorizationHeader(body.HashInput), authorization);
        Assert.Equal("uh-mh1x2y3zabcdef-7-0", Encoding.ASCII.GetString(request.IdentifierSpan));

        Assert.False(kept.TryTake(order, Id(7), new SignedOrderRequest())); // once: its nonce is spent
        Assert.Equal((1L, 1L, 0L), kept.Counts);
    }

    public static TheoryData<string, OrderCommand, int> Others() => new()
    {
        { "another amount", Buy(amount: 500_001m), 0 },
        { "another market", Buy(market: 1), 0 },
        { "another intent", Buy(intent: 8), 0 },
        { "another kind", new OrderCommand(OrderCommandKind.MarketSell, 7, 0, "KRW-BTC", Volume: 1m), 0 },
        { "another attempt's identifier", Buy(), 1 },
    };

    [Theory]
    [MemberData(nameof(Others))]
    public void Any_other_order_is_not_given_the_kept_request(string what, OrderCommand order, int attempt)
    {
        var kept = new PresignedOrders();
        Assert.True(kept.Keep(_signer, Buy(), Id(7), out _));
        var request = new SignedOrderRequest();
        Assert.False(kept.TryTake(order, Id(order.IntentId, attempt), request), what);
        Assert.Equal(0, request.BodyLength);

        // The kept intent (7) was spent by the order of intent 7 or 8 either way: dropped, never taken later.
        Assert.False(kept.TryTake(Buy(), Id(7), request), what);
        Assert.Equal((1L, 0L, 1L), kept.Counts);
    }

    [Fact]
    public void An_order_of_an_earlier_intent_leaves_a_later_kept_request_in_place()
    {
        var kept = new PresignedOrders();
        Assert.True(kept.Keep(_signer, Buy(intent: 9), Id(9), out _));
        Assert.False(kept.TryTake(new OrderCommand(OrderCommandKind.LimitSell, 8, 0, "KRW-BTC", Volume: 1m, Price: 501_500m), Id(8), new SignedOrderRequest()));
        Assert.True(kept.TryTake(Buy(intent: 9), Id(9), new SignedOrderRequest()));
    }

    [Fact]
    public void Only_the_thread_that_keeps_requests_takes_them()
    {
        var kept = new PresignedOrders();
        Assert.True(kept.Keep(_signer, Buy(), Id(7), out _));

        // A retry on a pool thread never sees (or races on) the gateway thread's kept requests.
        (bool Take, bool Keep) elsewhere = default;
        var other = new Thread(() => elsewhere = (kept.TryTake(Buy(), Id(7), new SignedOrderRequest()), kept.Keep(new OrderRequestSigner(s_keys, _validator), Buy(market: 1), Id(7), out _)));
        other.Start();
        other.Join();
        Assert.Equal((false, false), elsewhere);

        Assert.True(kept.TryTake(Buy(), Id(7), new SignedOrderRequest()));
        Assert.Equal((1L, 1L, 0L), kept.Counts);
    }

    [Fact]
    public void An_order_the_validator_refuses_keeps_nothing()
    {
        var kept = new PresignedOrders();
        Assert.False(kept.Keep(_signer, Buy(amount: 4_999m), Id(7), out var refused));
        Assert.Equal("under_min_total_bid", refused!.Name);
        Assert.False(kept.TryTake(Buy(amount: 4_999m), Id(7), new SignedOrderRequest()));
        Assert.Equal((0L, 0L, 0L), kept.Counts);
    }

    [Fact]
    public void A_market_told_again_replaces_its_request_and_a_full_set_gives_up_the_least_recently_kept()
    {
        var kept = new PresignedOrders();
        Assert.True(kept.Keep(_signer, Buy(amount: 400_000m), Id(7), out _));
        Assert.True(kept.Keep(_signer, Buy(amount: 500_000m), Id(7), out _)); // same market: replaces
        for (var m = 1; m < PresignedOrders.Capacity; m++)
        {
            Assert.True(kept.Keep(_signer, Buy(market: m), Id(7), out _)); // now full
        }

        // Market 0 is told again, unchanged: not signed again, but it counts as recent; so market 1 goes for market 99.
        const long C = PresignedOrders.Capacity;
        Assert.True(kept.Keep(_signer, Buy(amount: 500_000m), Id(7), out _));
        Assert.Equal((C + 1, 0L, 1L), kept.Counts);
        Assert.True(kept.Keep(_signer, Buy(market: 99), Id(7), out _));
        Assert.Equal((C + 2, 0L, 2L), kept.Counts);

        // Market 0, kept longest but told again last, is still there (by insertion order alone it would have gone).
        Assert.True(kept.TryTake(Buy(amount: 500_000m), Id(7), new SignedOrderRequest()));
        Assert.Equal((C + 2, 1L, C + 1), kept.Counts); // the other kept requests of intent 7 were dropped with it
    }
}
