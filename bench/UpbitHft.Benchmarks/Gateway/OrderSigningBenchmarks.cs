using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using UpbitHft.Gateway.Auth;
using UpbitHft.Gateway.Orders;
using UpbitHft.Gateway.Rest;
using UpbitHft.Gateway.Signing;

namespace UpbitHft.Benchmarks.Gateway;

/// <summary>
/// Building and signing one order request: validate + body (query-string form and JSON) + SHA-512 query hash + JWT
/// (HS512 and HS256). This is the order path's CPU cost before the bytes go on the wire. The plain path (string
/// builders, Utf8JsonWriter, JwtSigner) beside the allocation-free signer the gateway thread uses, same order.
/// </summary>
public class OrderSigningBenchmarks
{
    private readonly OrderValidator _validator = new();
    private readonly JwtSigner _hs512 = new(new UpbitCredentials("test-access-key", "test-secret-key-0123456789abcdefghijklmn"));
    private readonly JwtSigner _hs256 = new(new UpbitCredentials("test-access-key", "test-secret-key-0123456789abcdefghijklmn"), JwtAlgorithm.HS256);
    private readonly OrderCommand _buy = new(OrderCommandKind.MarketBuy, 42, 0, "KRW-BTC", AmountKrw: 500_000m);
    private readonly OrderRequestSigner _inPlace512;
    private readonly OrderRequestSigner _inPlace256;
    private readonly SignedOrderRequest _request = new();
    private readonly byte[] _identifier = "uh-mh1x2y3zabcdef-42-0"u8.ToArray();
    private readonly IncrementalHash _sha512 = IncrementalHash.CreateHash(HashAlgorithmName.SHA512);
    private readonly IncrementalHash _hmac512 = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA512, "test-secret-key-0123456789abcdefghijklmn"u8.ToArray());
    private readonly byte[] _query = new byte[100];
    private readonly byte[] _signingInput = new byte[390];
    private readonly byte[] _digest = new byte[64];

    public OrderSigningBenchmarks()
    {
        var keys = new UpbitCredentials("test-access-key", "test-secret-key-0123456789abcdefghijklmn");
        _inPlace512 = new OrderRequestSigner(keys, _validator, JwtAlgorithm.HS512);
        _inPlace256 = new OrderRequestSigner(keys, _validator, JwtAlgorithm.HS256);
    }

    [Benchmark(Baseline = true)]
    public string BuildSignHs512()
    {
        _validator.TryBuild(_buy, "uh-mh1x2y3zabcdef-42-0", out var body, out _);
        var json = UpbitRestClient.JsonBody(body);
        return _hs512.AuthorizationHeader(body.HashInput) + json;
    }

    [Benchmark]
    public string BuildSignHs256()
    {
        _validator.TryBuild(_buy, "uh-mh1x2y3zabcdef-42-0", out var body, out _);
        var json = UpbitRestClient.JsonBody(body);
        return _hs256.AuthorizationHeader(body.HashInput) + json;
    }

    [Benchmark]
    public int SignInPlaceHs512()
    {
        _inPlace512.TrySign(_buy, _identifier, _request, out _);
        return _request.AuthorizationLength;
    }

    [Benchmark]
    public int SignInPlaceHs256()
    {
        _inPlace256.TrySign(_buy, _identifier, _request, out _);
        return _request.AuthorizationLength;
    }

    /// <summary>The signer's first primitive alone: SHA-512 of a query's length through the reused hash state.</summary>
    [Benchmark]
    public int Sha512Of100Bytes()
    {
        _sha512.AppendData(_query);
        return _sha512.GetHashAndReset(_digest);
    }

    /// <summary>The signer's second primitive alone: HMAC-SHA512 (keyed once) of a JWT signing input's length.</summary>
    [Benchmark]
    public int HmacSha512Of390Bytes()
    {
        _hmac512.AppendData(_signingInput);
        return _hmac512.GetHashAndReset(_digest);
    }

    [Benchmark]
    public string QueryHashOnly() => JwtSigner.QueryHash("market=KRW-BTC&side=bid&price=500000&ord_type=price&identifier=uh-mh1x2y3zabcdef-42-0");
}
