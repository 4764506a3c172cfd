using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace UpbitHft.Gateway.Auth;

/// <summary>Which HMAC signs the token. Upbit recommends HS512; HS256 is accepted too (docs/upbit.md#authentication).</summary>
public enum JwtAlgorithm
{
    HS512,
    HS256,
}

/// <summary>
/// Upbit's JWT (docs/upbit.md#authentication): header <c>{"alg":…,"typ":"JWT"}</c>, payload <c>access_key</c>, <c>nonce</c> (a fresh UUID
/// each request) and, when the request has parameters, <c>query_hash</c> (lowercase hex SHA-512 of the query string
/// built as <see cref="QueryString"/> describes) and <c>query_hash_alg</c>. Compact JSON, claims in that order,
/// Base64url without padding, HMAC over the ASCII of <c>header.payload</c> with the secret's raw UTF-8 bytes.
/// </summary>
public sealed class JwtSigner
{
    private static readonly byte[] s_header512 = ToBase64Url("""{"alg":"HS512","typ":"JWT"}"""u8);
    private static readonly byte[] s_header256 = ToBase64Url("""{"alg":"HS256","typ":"JWT"}"""u8);

    private readonly UpbitCredentials _credentials;
    private readonly byte[] _key;
    private readonly JwtAlgorithm _algorithm;
    private readonly Func<Guid> _nonce;

    /// <summary>Creates a signer; <paramref name="nonce"/> is injectable for tests (default: a new random UUID).</summary>
    public JwtSigner(UpbitCredentials credentials, JwtAlgorithm algorithm = JwtAlgorithm.HS512, Func<Guid>? nonce = null)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        _credentials = credentials;
        _key = Encoding.UTF8.GetBytes(credentials.SecretKey);
        _algorithm = algorithm;
        _nonce = nonce ?? Guid.NewGuid;
    }

    /// <summary>The keys it signs with (for the order path's own signer).</summary>
    internal UpbitCredentials Credentials => _credentials;

    internal JwtAlgorithm Algorithm => _algorithm;

    /// <summary>The <c>Authorization</c> header value for a request whose hashed parameter string is <paramref name="queryToHash"/> (empty: no parameters).</summary>
    public string AuthorizationHeader(string queryToHash) => "Bearer " + Token(queryToHash);

    /// <summary>The JWT for a request whose hashed parameter string is <paramref name="queryToHash"/> (empty: no parameters).</summary>
    public string Token(string queryToHash)
    {
        ArgumentNullException.ThrowIfNull(queryToHash);
        var payload = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(payload))
        {
            json.WriteStartObject();
            json.WriteString("access_key", _credentials.AccessKey);
            json.WriteString("nonce", _nonce().ToString("D"));
            if (queryToHash.Length > 0)
            {
                json.WriteString("query_hash", QueryHash(queryToHash));
                json.WriteString("query_hash_alg", "SHA512");
            }

            json.WriteEndObject();
        }

        var header = _algorithm == JwtAlgorithm.HS512 ? s_header512 : s_header256;
        var body = ToBase64Url(payload.WrittenSpan);
        var signingInput = new byte[header.Length + 1 + body.Length];
        header.CopyTo(signingInput, 0);
        signingInput[header.Length] = (byte)'.';
        body.CopyTo(signingInput, header.Length + 1);
        var signature = _algorithm == JwtAlgorithm.HS512 ? HMACSHA512.HashData(_key, signingInput) : HMACSHA256.HashData(_key, signingInput);
        return Encoding.ASCII.GetString(signingInput) + "." + Encoding.ASCII.GetString(ToBase64Url(signature));
    }

    /// <summary>Lowercase hex SHA-512 of the UTF-8 of <paramref name="query"/>.</summary>
    public static string QueryHash(string query) => Convert.ToHexStringLower(SHA512.HashData(Encoding.UTF8.GetBytes(query)));

    private static byte[] ToBase64Url(ReadOnlySpan<byte> data)
    {
        var output = new byte[System.Buffers.Text.Base64Url.GetEncodedLength(data.Length)];
        System.Buffers.Text.Base64Url.EncodeToUtf8(data, output);
        return output;
    }
}
