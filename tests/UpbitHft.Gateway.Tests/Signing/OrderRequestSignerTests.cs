using System.Text;
using System.Text.Json;
using UpbitHft.Gateway.Auth;
using UpbitHft.Gateway.Orders;
using UpbitHft.Gateway.Rest;
using UpbitHft.Gateway.Signing;

namespace UpbitHft.Gateway.Tests.Signing;

/// <summary>The allocation-free signer produces exactly what the plain path (validator + JSON body + JwtSigner) produces.</summary>
public class OrderRequestSignerTests
{
    private static readonly UpbitCredentials s_keys = new("test-access-key", "test-secret-key-0123456789abcdefghijklmn");

    public static TheoryData<OrderCommandKind, decimal, decimal, decimal> Orders() => new()
    {
        { OrderCommandKind.MarketBuy, 500_000m, 0, 0 },
        { OrderCommandKind.MarketBuy, 5_000.99m, 0, 0 },
        { OrderCommandKind.MarketBuy, 1_000_000_000m, 0, 0 },
        { OrderCommandKind.MarketSell, 0, 1m, 0 },
        { OrderCommandKind.MarketSell, 0, 0.50000000m, 0 },
        { OrderCommandKind.MarketSell, 0, 30925891.298393691m, 0 }, // truncated to 8 decimals
        { OrderCommandKind.MarketSell, 0, 0.00000001m, 0 },
        { OrderCommandKind.LimitSell, 0, 0.5m, 501_499.99m }, // rounded up onto the 500-KRW grid
        { OrderCommandKind.LimitSell, 0, 30925891.29839369m, 0.0021m },
    };

    [Theory]
    [MemberData(nameof(Orders))]
    public void Signs_the_same_bytes_as_the_plain_path(OrderCommandKind kind, decimal amount, decimal volume, decimal price)
    {
        foreach (var algorithm in new[] { JwtAlgorithm.HS512, JwtAlgorithm.HS256 })
        {
            var validator = new OrderValidator();
            var signer = new OrderRequestSigner(s_keys, validator, algorithm);
            var cmd = new OrderCommand(kind, 42, 0, "KRW-BTC", AmountKrw: amount, Volume: volume, Price: price);
            const string id = "uh-mh1x2y3zabcdef-42-0";
            var request = new SignedOrderRequest();
            Assert.True(signer.TrySign(cmd, Encoding.ASCII.GetBytes(id), request, out var refused), refused?.ToString());

            Assert.True(validator.TryBuild(cmd, id, out var body, out _));
            Assert.Equal(UpbitRestClient.JsonBody(body), Encoding.UTF8.GetString(request.BodySpan));
            var authorization = Encoding.ASCII.GetString(request.AuthorizationSpan);
            var nonce = NonceOf(authorization);
            Assert.Equal(new JwtSigner(s_keys, algorithm, () => nonce).AuthorizationHeader(body.HashInput), authorization);
            Assert.Equal(id, Encoding.ASCII.GetString(request.IdentifierSpan));
        }
    }

    [Fact]
    public void Refuses_what_the_validator_refuses_and_every_nonce_is_new()
    {
        var signer = new OrderRequestSigner(s_keys, new OrderValidator());
        var request = new SignedOrderRequest();
        Assert.False(signer.TrySign(new OrderCommand(OrderCommandKind.MarketBuy, 1, 0, "KRW-BTC", AmountKrw: 4_999m), "uh-x-1-0"u8, request, out var refused));
        Assert.Equal("under_min_total_bid", refused!.Name);

        var nonces = new HashSet<Guid>();
        for (var i = 0; i < 600; i++) // more than a pool's batch: refills too
        {
            Assert.True(signer.TrySign(new OrderCommand(OrderCommandKind.MarketBuy, i, 0, "KRW-BTC", AmountKrw: 10_000m), "uh-x-1-0"u8, request, out _));
            var nonce = NonceOf(Encoding.ASCII.GetString(request.AuthorizationSpan));
            Assert.Equal(4, nonce.Version);
            Assert.True(nonces.Add(nonce));
        }
    }

    internal static Guid NonceOf(string authorization)
    {
        var payload = authorization["Bearer ".Length..].Split('.')[1];
        using var doc = JsonDocument.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(payload));
        return Guid.Parse(doc.RootElement.GetProperty("nonce").GetString()!);
    }
}
