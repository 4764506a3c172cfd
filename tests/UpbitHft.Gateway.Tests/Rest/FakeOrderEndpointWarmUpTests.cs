using System.Net;
using UpbitHft.TestSupport.FakeUpbit.Rest;

namespace UpbitHft.Gateway.Tests.Rest;

/// <summary>
/// The latency harness's fake exchange warms its <c>POST /v1/orders</c> endpoint with one marked request before the
/// engine connects. That request must create nothing and must not be stamped as an order's arrival.
/// </summary>
public class FakeOrderEndpointWarmUpTests
{
    [Fact]
    public async Task A_marked_warm_up_request_creates_no_order_and_is_not_stamped()
    {
        await using var server = await FakeUpbitRestServer.StartAsync();
        var arrived = 0;
        server.OrderRequestArrived = () => Interlocked.Increment(ref arrived);

        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.BaseUrl, "/v1/orders")) { Content = new StringContent("{}") };
        request.Headers.Add(FakeUpbitRestServer.WarmUpHeader, "1");
        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(0, Volatile.Read(ref arrived));
        Assert.Empty(server.Orders);

        // Without the mark the same request is an order request: stamped (and refused, being unsigned).
        using var plain = new HttpRequestMessage(HttpMethod.Post, new Uri(server.BaseUrl, "/v1/orders")) { Content = new StringContent("{}") };
        using var refused = await http.SendAsync(plain);
        Assert.Equal(1, Volatile.Read(ref arrived));
        Assert.Empty(server.Orders);
    }
}
