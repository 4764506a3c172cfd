using System.Net.WebSockets;
using UpbitHft.Gateway.Auth;
using UpbitHft.TestSupport.FakeUpbit;

namespace UpbitHft.Gateway.Tests.Rest;

/// <summary>The fake exchange's private socket checks the JWT the way its REST side does (signature, key, nonce).</summary>
public class PrivateSocketAuthTests
{
    [Fact]
    public async Task The_fake_exchange_refuses_a_private_socket_without_a_valid_jwt()
    {
        await using var x = await FakeUpbitExchange.StartAsync([]);
        using var bogus = new ClientWebSocket();
        bogus.Options.SetRequestHeader("Authorization", "Bearer not.a.jwt");
        await Assert.ThrowsAsync<WebSocketException>(() => bogus.ConnectAsync(x.PrivateUrl, CancellationToken.None));

        var signer = new JwtSigner(new UpbitCredentials(x.Rest.Options.AccessKey, "wrong-secret"));
        using var wrongKey = new ClientWebSocket();
        wrongKey.Options.SetRequestHeader("Authorization", signer.AuthorizationHeader(""));
        await Assert.ThrowsAsync<WebSocketException>(() => wrongKey.ConnectAsync(x.PrivateUrl, CancellationToken.None));
        Assert.Equal(2, x.WebSocket.PrivateRefused);

        var good = new JwtSigner(new UpbitCredentials(x.Rest.Options.AccessKey, x.Rest.Options.SecretKey));
        using var ok = new ClientWebSocket();
        ok.Options.SetRequestHeader("Authorization", good.AuthorizationHeader(""));
        await ok.ConnectAsync(x.PrivateUrl, CancellationToken.None);
        Assert.Equal(WebSocketState.Open, ok.State);
    }
}
