using UpbitHft.Gateway.Orders;
using UpbitHft.TestSupport.FakeUpbit.Rest;
using static UpbitHft.Gateway.Tests.Rest.GatewayFixture;

namespace UpbitHft.Gateway.Tests.Rest;

/// <summary>The gateway signing the engine's next entry ahead (<see cref="UpbitOrderGateway.Presign"/>), against the fake exchange that checks every JWT.</summary>
public class PresignTests
{
    [Fact]
    public async Task A_foreseen_entry_goes_out_signed_ahead_and_the_exchange_accepts_it_while_signing_ahead_sends_and_reports_nothing()
    {
        await using var server = await FakeUpbitRestServer.StartAsync();
        using var rest = Client(server);
        var sink = new CollectingSink();
        await using var gateway = NewGateway(rest, sink);
        var requestsBefore = server.Requests;

        // This thread plays the gateway thread: it signs ahead, and the order's first attempt runs on it too.
        Assert.True(gateway.Presign(new OrderCommand(OrderCommandKind.MarketBuy, 1, 0, "KRW-BTC", AmountKrw: 10_000m)));
        Assert.Equal(requestsBefore, server.Requests); // signing ahead sends nothing
        Assert.Empty(sink.Events);
        Assert.Equal((1L, 0L, 0L), gateway.Presigned);

        Assert.True(gateway.TrySubmit(new OrderCommand(OrderCommandKind.MarketBuy, 1, 0, "KRW-BTC", AmountKrw: 10_000m, DecidedNs: 1)));
        var accepted = await sink.WaitForAsync(e => e.Kind == OrderEventKind.Accepted);
        Assert.Equal(1, accepted.IntentId);
        Assert.EndsWith("-1-0", accepted.Identifier, StringComparison.Ordinal);
        Assert.Equal((1L, 1L, 0L), gateway.Presigned); // it was the kept request that went out
        var order = Assert.Single(server.Orders); // signature, fresh nonce and query hash checked by the fake
        Assert.Equal(accepted.Identifier, order.Identifier);
        Assert.Equal(10_000m, order.Price);
    }

    [Fact]
    public async Task An_entry_unlike_its_hint_is_signed_as_it_goes_and_the_hint_is_dropped()
    {
        await using var server = await FakeUpbitRestServer.StartAsync();
        using var rest = Client(server);
        var sink = new CollectingSink();
        await using var gateway = NewGateway(rest, sink);

        Assert.True(gateway.Presign(new OrderCommand(OrderCommandKind.MarketBuy, 1, 0, "KRW-BTC", AmountKrw: 10_000m)));
        Assert.True(gateway.TrySubmit(new OrderCommand(OrderCommandKind.MarketBuy, 1, 0, "KRW-BTC", AmountKrw: 9_999m))); // the capital moved meanwhile
        await sink.WaitForAsync(e => e.Kind == OrderEventKind.Accepted);
        Assert.Equal(9_999m, Assert.Single(server.Orders).Price);
        Assert.Equal((1L, 0L, 1L), gateway.Presigned);
    }

    [Fact]
    public async Task Only_a_market_buy_of_a_real_intent_is_signed_ahead()
    {
        await using var server = await FakeUpbitRestServer.StartAsync();
        using var rest = Client(server);
        await using var gateway = NewGateway(rest, new CollectingSink());
        Assert.False(gateway.Presign(new OrderCommand(OrderCommandKind.MarketSell, 1, 0, "KRW-BTC", Volume: 1m)));
        Assert.False(gateway.Presign(new OrderCommand(OrderCommandKind.MarketBuy, 0, 0, "KRW-BTC", AmountKrw: 10_000m)));
        Assert.False(gateway.Presign(new OrderCommand(OrderCommandKind.MarketBuy, 1, 0, "KRW-BTC", AmountKrw: 4_000m))); // under the minimum
        Assert.Equal((0L, 0L, 0L), gateway.Presigned);
    }
}
