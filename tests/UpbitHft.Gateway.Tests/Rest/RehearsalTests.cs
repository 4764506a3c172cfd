using UpbitHft.Gateway.Orders;
using UpbitHft.TestSupport.FakeUpbit.Rest;
using static UpbitHft.Gateway.Tests.Rest.GatewayFixture;

namespace UpbitHft.Gateway.Tests.Rest;

/// <summary>The gateway's rehearsal: an order signed and thrown away while the gateway thread waits, so the next real order is signed by hot code.</summary>
public class RehearsalTests
{
    [Fact]
    public async Task A_rehearsal_signs_and_sends_nothing_allocates_nothing_and_the_next_real_order_goes_out_as_usual()
    {
        await using var server = await FakeUpbitRestServer.StartAsync();
        using var rest = Client(server);
        var sink = new CollectingSink();
        await using var gateway = NewGateway(rest, sink);
        var requestsBefore = server.Requests;

        gateway.Rehearse("KRW-BTC"); // first call: pools and signers are created
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 200; i++)
        {
            gateway.Rehearse("KRW-BTC");
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.Equal((201L, 0L), gateway.Rehearsals); // every one signed: none refused by the validator
        Assert.Equal(requestsBefore, server.Requests); // nothing reached the exchange
        Assert.Empty(server.Orders);
        Assert.Empty(sink.Events); // and nothing was reported to the engine

        Assert.True(gateway.TrySubmit(new OrderCommand(OrderCommandKind.MarketBuy, 1, 0, "KRW-BTC", AmountKrw: 10_000m)));
        var accepted = await sink.WaitForAsync(e => e.Kind == OrderEventKind.Accepted);
        Assert.Equal(1, accepted.IntentId);
        Assert.StartsWith("uh-", accepted.Identifier, StringComparison.Ordinal); // a real identifier, not the rehearsal's
        Assert.Single(server.Orders);
    }

    [Fact]
    public async Task A_rehearsal_the_validator_refuses_is_counted_and_sends_nothing()
    {
        await using var server = await FakeUpbitRestServer.StartAsync();
        using var rest = Client(server);
        var validator = new OrderValidator { MinTotalKrw = 5_000m, MaxTotalKrw = 1_000m }; // no amount can pass
        await using var gateway = new UpbitOrderGateway(rest, validator, new OrderIdentifiers(), new CollectingSink(), _ => { }, Fast);
        gateway.Rehearse("KRW-BTC");
        Assert.Equal((1L, 1L), gateway.Rehearsals);
        Assert.Empty(server.Orders);
    }
}
