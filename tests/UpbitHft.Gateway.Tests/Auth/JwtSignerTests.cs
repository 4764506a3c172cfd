using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using UpbitHft.Gateway.Auth;

namespace UpbitHft.Gateway.Tests.Auth;

public class JwtSignerTests
{
    // Vectors from docs/upbit.md#query-hash (computed for this project, not by Upbit).
    private const string StatesQuery = "market=KRW-BTC&states[]=wait&states[]=watch";
    private const string StatesHash = "c01bbcb80094d2225c90eda65128baf7ef800471fbdeb76579856d1532cd263060e41ede9c52bfc926a0b46c4b7797a61e4327cda59d236f829cde4c875dfe77";
    private const string BodyQuery = "market=KRW-BTC&side=bid&volume=0.01&price=100.0&ord_type=limit";
    private const string BodyHash = "1db802a392c559d55c99662a20c6911ba9ea31a9f58bf92156af243ca1462b004c6e6b27c934afefbde5ca15d28deb67e90cd619b466c9a3c2fe020ad2bbdd24";
    private const string ExpectedJwt = "eyJhbGciOiJIUzUxMiIsInR5cCI6IkpXVCJ9.eyJhY2Nlc3Nfa2V5IjoidGVzdC1hY2Nlc3Mta2V5Iiwibm9uY2UiOiIwMDAwMDAwMC0wMDAwLTAwMDAtMDAwMC0wMDAwMDAwMDAwMDAiLCJxdWVyeV9oYXNoIjoiYzAxYmJjYjgwMDk0ZDIyMjVjOTBlZGE2NTEyOGJhZjdlZjgwMDQ3MWZiZGViNzY1Nzk4NTZkMTUzMmNkMjYzMDYwZTQxZWRlOWM1MmJmYzkyNmEwYjQ2YzRiNzc5N2E2MWU0MzI3Y2RhNTlkMjM2ZjgyOWNkZTRjODc1ZGZlNzciLCJxdWVyeV9oYXNoX2FsZyI6IlNIQTUxMiJ9.FLU17YyHQZx1JLeN58DzB4sOOK9C77X3w_VgpYKnpSx5HuUTLBuep3Cj72vYCIVGXO12FkAyblUablnPq6Xjrw";

    private static readonly UpbitCredentials s_keys = new("test-access-key", "test-secret-key-0123456789abcdefghijklmn");

    [Fact]
    public void Query_hashes_match_the_vectors()
    {
        Assert.Equal(StatesHash, JwtSigner.QueryHash(StatesQuery));
        Assert.Equal(BodyHash, JwtSigner.QueryHash(BodyQuery));
    }

    [Fact]
    public void The_hs512_token_matches_the_vector_byte_for_byte()
    {
        var signer = new JwtSigner(s_keys, JwtAlgorithm.HS512, () => Guid.Empty);
        Assert.Equal(ExpectedJwt, signer.Token(StatesQuery));
        Assert.Equal("Bearer " + ExpectedJwt, signer.AuthorizationHeader(StatesQuery));
    }

    [Fact]
    public void Without_parameters_there_is_no_query_hash_and_every_nonce_is_fresh()
    {
        var signer = new JwtSigner(s_keys, JwtAlgorithm.HS256);
        var a = Payload(signer.Token(""));
        var b = Payload(signer.Token(""));
        Assert.False(a.TryGetProperty("query_hash", out _));
        Assert.False(a.TryGetProperty("query_hash_alg", out _));
        Assert.NotEqual(a.GetProperty("nonce").GetString(), b.GetProperty("nonce").GetString());

        var token = signer.Token("");
        var parts = token.Split('.');
        Assert.Equal("""{"alg":"HS256","typ":"JWT"}""", Encoding.UTF8.GetString(Base64UrlDecode(parts[0])));
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes("test-secret-key-0123456789abcdefghijklmn"), Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]));
        Assert.Equal(expected, Base64UrlDecode(parts[2]));
    }

    [Fact]
    public void The_hash_input_is_unencoded_in_order_and_the_url_is_encoded()
    {
        var q = new QueryString().Add("market", "KRW-BTC").AddArray("states", ["wait", "watch"]);
        Assert.Equal(StatesQuery, q.HashInput);
        Assert.Equal(StatesQuery, q.Encoded); // nothing to escape; [] stays literal

        var closed = new QueryString().Add("market", "KRW-BTC").Add("start_time", "2024-12-09T13:56:53+09:00").Add("skip", null);
        Assert.Equal("market=KRW-BTC&start_time=2024-12-09T13:56:53+09:00", closed.HashInput); // hash keeps the literal +
        Assert.Equal("market=KRW-BTC&start_time=2024-12-09T13%3A56%3A53%2B09%3A00", closed.Encoded); // the URL carries %2B
        Assert.Equal(2, closed.Pairs.Count);
    }

    [Fact]
    public void Credentials_never_show_the_secret()
    {
        var text = s_keys.ToString();
        Assert.DoesNotContain("secret-key", text, StringComparison.Ordinal);
        Assert.DoesNotContain("0123456789", text, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new UpbitCredentials("", "x"));
    }

    private static JsonElement Payload(string token) => JsonDocument.Parse(Base64UrlDecode(token.Split('.')[1])).RootElement;

    private static byte[] Base64UrlDecode(string s)
    {
        var b = s.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(b.PadRight(b.Length + ((4 - (b.Length % 4)) % 4), '='));
    }
}
