using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using UpbitHft.Gateway.Auth;
using UpbitHft.Gateway.Errors;
using UpbitHft.Gateway.Orders;

namespace UpbitHft.Gateway.Signing;

/// <summary>
/// Builds and signs a create-order request without allocating: the JSON body (keys in Upbit's order, values as
/// strings), the SHA-512 query hash of the same pairs (docs/upbit.md#query-hash), and the JWT (HS512 or HS256) —
/// all into the request's own buffers, numbers formatted in place, hashes into stack buffers, Base64url in place, the
/// nonce from a pre-filled pool. The same bytes <see cref="JwtSigner"/> and <see cref="OrderValidator.TryBuild"/>
/// produce for the same order and nonce (tested). Not thread-safe: one signer per signing thread.
/// </summary>
public sealed class OrderRequestSigner
{
    private static readonly byte[] s_header512 = Base64UrlOf("""{"alg":"HS512","typ":"JWT"}"""u8);
    private static readonly byte[] s_header256 = Base64UrlOf("""{"alg":"HS256","typ":"JWT"}"""u8);

    private readonly OrderValidator _validator;
    private readonly byte[] _key;
    private readonly byte[] _payloadHead;
    private readonly JwtAlgorithm _algorithm;
    private readonly NoncePool _nonces;

    // Reused hash states: an HMAC keyed once (no key schedule per order) and a SHA-512 (no context per order).
    private readonly IncrementalHash _mac;
    private readonly IncrementalHash _sha512 = IncrementalHash.CreateHash(HashAlgorithmName.SHA512);

    public OrderRequestSigner(UpbitCredentials credentials, OrderValidator validator, JwtAlgorithm algorithm = JwtAlgorithm.HS512, NoncePool? nonces = null)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        _validator = validator;
        _key = Encoding.UTF8.GetBytes(credentials.SecretKey);
        _algorithm = algorithm;
        _nonces = nonces ?? new NoncePool();
        _payloadHead = Encoding.UTF8.GetBytes("{\"access_key\":\"" + credentials.AccessKey + "\",\"nonce\":\"");
        _mac = IncrementalHash.CreateHMAC(algorithm == JwtAlgorithm.HS512 ? HashAlgorithmName.SHA512 : HashAlgorithmName.SHA256, _key);
    }

    /// <summary>The nonce pool (refilled ahead of need when the signing thread is idle).</summary>
    public NoncePool Nonces => _nonces;

    /// <summary>
    /// Checks <paramref name="cmd"/> (as <see cref="OrderValidator.TryNormalize"/>) and writes its signed request into
    /// <paramref name="request"/>; false with the refusal when Upbit would refuse it.
    /// </summary>
    public bool TrySign(in OrderCommand cmd, ReadOnlySpan<byte> identifier, SignedOrderRequest request, out UpbitError? refused)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!_validator.TryNormalize(cmd, out var order, out refused))
        {
            return false;
        }

        identifier.CopyTo(request.Identifier);
        request.IdentifierLength = identifier.Length;

        // The pairs, twice: the hash input (k=v&…) and the JSON body ({"k":"v",…}), in the same order.
        Span<byte> query = stackalloc byte[256];
        var q = new PairWriter(query, json: false);
        var b = new PairWriter(request.Body, json: true);
        q.Add("market"u8, Ascii(cmd.Market));
        b.Add("market"u8, Ascii(cmd.Market));
        var side = order.IsBid ? "bid"u8 : "ask"u8;
        q.Add("side"u8, side);
        b.Add("side"u8, side);
        if (order.Kind == OrderCommandKind.LimitSell)
        {
            q.AddNumber("volume"u8, order.Volume);
            b.AddNumber("volume"u8, order.Volume);
            q.AddNumber("price"u8, order.Price);
            b.AddNumber("price"u8, order.Price);
        }
        else if (order.IsBid)
        {
            q.AddNumber("price"u8, order.Price);
            b.AddNumber("price"u8, order.Price);
        }
        else
        {
            q.AddNumber("volume"u8, order.Volume);
            b.AddNumber("volume"u8, order.Volume);
        }

        var type = order.Kind switch { OrderCommandKind.MarketBuy => "price"u8, OrderCommandKind.MarketSell => "market"u8, _ => "limit"u8 };
        q.Add("ord_type"u8, type);
        b.Add("ord_type"u8, type);
        q.Add("identifier"u8, identifier);
        b.Add("identifier"u8, identifier);
        request.BodyLength = b.Finish();
        WriteAuthorization(query[..q.Finish()], request);
        return true;
    }

    /// <summary>Bearer JWT: header.payload.signature, the payload holding access key, nonce and query hash.</summary>
    private void WriteAuthorization(ReadOnlySpan<byte> hashInput, SignedOrderRequest request)
    {
        Span<byte> digest = stackalloc byte[64];
        _sha512.AppendData(hashInput);
        _sha512.GetHashAndReset(digest);

        Span<byte> payload = stackalloc byte[_payloadHead.Length + 36 + 16 + 128 + 28];
        _payloadHead.CopyTo(payload);
        var n = _payloadHead.Length;
        _nonces.Write(payload.Slice(n, 36));
        n += 36;
        n += Copy("\",\"query_hash\":\""u8, payload[n..]);
        n += Hex(digest, payload[n..]);
        n += Copy("\",\"query_hash_alg\":\"SHA512\"}"u8, payload[n..]);

        var output = request.Authorization.AsSpan();
        var o = Copy("Bearer "u8, output);
        var header = _algorithm == JwtAlgorithm.HS512 ? s_header512 : s_header256;
        var signingStart = o;
        o += Copy(header, output[o..]);
        output[o++] = (byte)'.';
        Base64Url.EncodeToUtf8(payload[..n], output[o..], out _, out var written);
        o += written;
        var signingInput = output[signingStart..o];
        Span<byte> mac = stackalloc byte[64];
        _mac.AppendData(signingInput);
        var macLength = _mac.GetHashAndReset(mac);
        output[o++] = (byte)'.';
        Base64Url.EncodeToUtf8(mac[..macLength], output[o..], out _, out written);
        request.AuthorizationLength = o + written;
    }

    private static int Copy(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        source.CopyTo(destination);
        return source.Length;
    }

    private static int Hex(ReadOnlySpan<byte> bytes, Span<byte> output)
    {
        ReadOnlySpan<byte> digits = "0123456789abcdef"u8;
        for (var i = 0; i < bytes.Length; i++)
        {
            output[2 * i] = digits[bytes[i] >> 4];
            output[(2 * i) + 1] = digits[bytes[i] & 0xF];
        }

        return 2 * bytes.Length;
    }

    /// <summary>A market code's ASCII bytes (codes are <c>[A-Z0-9-]</c>), through a small cache so the hot path does not encode.</summary>
    private ReadOnlySpan<byte> Ascii(string market)
    {
        if (!_codes.TryGetValue(market, out var bytes))
        {
            _codes[market] = bytes = Encoding.ASCII.GetBytes(market);
        }

        return bytes;
    }

    private readonly Dictionary<string, byte[]> _codes = new(StringComparer.Ordinal);

    private static byte[] Base64UrlOf(ReadOnlySpan<byte> data)
    {
        var output = new byte[Base64Url.GetEncodedLength(data.Length)];
        Base64Url.EncodeToUtf8(data, output);
        return output;
    }
}
