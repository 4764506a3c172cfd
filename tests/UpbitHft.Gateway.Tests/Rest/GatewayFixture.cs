using System.Collections.Concurrent;
using UpbitHft.Gateway.Auth;
using UpbitHft.Gateway.Orders;
using UpbitHft.Gateway.RateLimits;
using UpbitHft.Gateway.Rest;
using UpbitHft.TestSupport;
using UpbitHft.TestSupport.FakeUpbit.Rest;

namespace UpbitHft.Gateway.Tests.Rest;

internal sealed class CollectingSink : IOrderEventSink
{
    public ConcurrentQueue<OrderEvent> Events { get; } = new();

    public void OnOrderEvent(in OrderEvent e) => Events.Enqueue(e);

    public async Task<OrderEvent> WaitForAsync(Func<OrderEvent, bool> match, int timeoutMs = 10_000)
    {
        OrderEvent found = default;
        await Eventually.TrueAsync(() => (found = Events.FirstOrDefault(match)) != default, TimeSpan.FromMilliseconds(timeoutMs), "a matching order event",
            () => "got: " + string.Join("; ", Events));
        return found;
    }
}

internal static class GatewayFixture
{
    public static UpbitRestClient Client(FakeUpbitRestServer server, RateLimitOptions? limits = null, TimeSpan? timeout = null, List<string>? log = null) =>
        new(new UpbitRestOptions { BaseUrl = server.BaseUrl, RateLimits = limits ?? new RateLimitOptions(), RequestTimeout = timeout ?? TimeSpan.FromSeconds(10), MaxRateLimitWait = TimeSpan.FromSeconds(30) },
            new JwtSigner(new UpbitCredentials(server.Options.AccessKey, server.Options.SecretKey)),
            log: line => { if (log is not null) { lock (log) { log.Add(line); } } });

    public static UpbitOrderGateway NewGateway(UpbitRestClient rest, IOrderEventSink sink, List<string>? log = null) =>
        new(rest, new OrderValidator(), new OrderIdentifiers(), sink, line => { if (log is not null) { lock (log) { log.Add(line); } } })
        {
            PollInterval = TimeSpan.FromMilliseconds(20),
        };
}
