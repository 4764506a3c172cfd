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

    public ConcurrentQueue<BalanceReport> Balances { get; } = new();

    public void OnOrderEvent(in OrderEvent e) => Events.Enqueue(e);

    public void OnBalance(in BalanceReport balance) => Balances.Enqueue(balance);

    public async Task<OrderEvent> WaitForAsync(Func<OrderEvent, bool> match, int timeoutMs = 10_000)
    {
        OrderEvent found = default;
        await Eventually.TrueAsync(() => (found = Events.FirstOrDefault(match)) != default, TimeSpan.FromMilliseconds(timeoutMs), "a matching order event",
            () => "got: " + string.Join("; ", Events));
        return found;
    }

    /// <summary>The events of one intent so far, in order.</summary>
    public List<OrderEvent> Of(long intentId) => [.. Events.Where(e => e.IntentId == intentId)];
}

internal static class GatewayFixture
{
    /// <summary>A client of the fake with its order connections open (orders go out on them, as in a live run).</summary>
    public static UpbitRestClient Client(FakeUpbitRestServer server, RateLimitOptions? limits = null, TimeSpan? timeout = null, List<string>? log = null)
    {
        var client = new UpbitRestClient(new UpbitRestOptions { BaseUrl = server.BaseUrl, RateLimits = limits ?? new RateLimitOptions(), RequestTimeout = timeout ?? TimeSpan.FromSeconds(10), MaxRateLimitWait = TimeSpan.FromSeconds(30) },
            new JwtSigner(new UpbitCredentials(server.Options.AccessKey, server.Options.SecretKey)),
            log: line => { if (log is not null) { lock (log) { log.Add(line); } } });
        client.OpenOrderConnectionsAsync().GetAwaiter().GetResult();
        return client;
    }

    /// <summary>The gateway's timings scaled down for tests (lookups, polls and settles in tens of ms).</summary>
    public static readonly OrderGatewayOptions Fast = new()
    {
        LookupInitialDelay = TimeSpan.FromMilliseconds(20),
        LookupMaxDelay = TimeSpan.FromMilliseconds(200),
        PollInitialDelay = TimeSpan.FromMilliseconds(20),
        PollMaxDelay = TimeSpan.FromMilliseconds(200),
        RestingPollInterval = TimeSpan.FromMilliseconds(200),
        NotPlacedSettle = TimeSpan.FromMilliseconds(300),
        CancelResendAfter = TimeSpan.FromMilliseconds(300),
        ShutdownGrace = TimeSpan.FromSeconds(2),
    };

    /// <summary>Polls <paramref name="condition"/> until it holds (no fixed waits in tests).</summary>
    public static async Task EventuallyAsync(Func<bool> condition, string what, int timeoutMs = 10_000)
    {
        var deadline = Environment.TickCount64 + timeoutMs;
        while (!condition())
        {
            if (Environment.TickCount64 > deadline)
            {
                throw new TimeoutException($"{what}: not reached within {timeoutMs} ms");
            }

            await Task.Delay(10);
        }
    }

    public static UpbitOrderGateway NewGateway(UpbitRestClient rest, IOrderEventSink sink, List<string>? log = null, OrderGatewayOptions? options = null) =>
        new(rest, new OrderValidator(), new OrderIdentifiers(), sink, line => { if (log is not null) { lock (log) { log.Add(line); } } }, options ?? Fast);
}
