using UpbitHft.Gateway.Errors;
using UpbitHft.Gateway.Orders;
using UpbitHft.TestSupport.FakeUpbit.Rest;
using static UpbitHft.Gateway.Tests.Rest.GatewayFixture;

namespace UpbitHft.Gateway.Tests.Rest;

public class OrderGatewayTests
{
    private static OrderCommand Buy(long intent, decimal krw = 500_000m) => new(OrderCommandKind.MarketBuy, intent, 0, "KRW-BTC", AmountKrw: krw);

    [Fact]
    public async Task A_market_buy_that_ends_in_cancel_is_reported_with_its_fill()
    {
        await using var server = await FakeUpbitRestServer.StartAsync(new FakeUpbitRestOptions { FillPrice = 160_594_000m });
        using var rest = Client(server);
        var sink = new CollectingSink();
        await using var gateway = NewGateway(rest, sink);
        Assert.True(gateway.TrySubmit(Buy(1, 6_000m)));
        var accepted = await sink.WaitForAsync(e => e.Kind == OrderEventKind.Accepted);
        var final = await sink.WaitForAsync(e => e.Kind is OrderEventKind.Done or OrderEventKind.Cancelled);
        // Upbit's documented example: 6,000 KRW at 160,594,000 buys 0.00003736 and ends `cancel` with 5,999.79 spent.
        Assert.Equal(OrderEventKind.Cancelled, final.Kind);
        Assert.Equal(0.00003736m, final.ExecutedVolume);
        Assert.Equal(5_999.79184m, final.ExecutedFunds);
        Assert.StartsWith("uh-", accepted.Identifier, StringComparison.Ordinal);
        Assert.True(accepted.Identifier!.Length <= 64);
    }

    [Fact]
    public async Task The_next_order_never_waits_behind_the_polling_of_the_previous_one()
    {
        await using var server = await FakeUpbitRestServer.StartAsync();
        using var rest = Client(server);
        var sink = new CollectingSink();
        // The first buy's final state is polled slowly.
        await using var gateway = NewGateway(rest, sink, options: Fast with { PollInitialDelay = TimeSpan.FromSeconds(3), PollMaxDelay = TimeSpan.FromSeconds(3) });
        Assert.True(gateway.TrySubmit(Buy(1)));
        await sink.WaitForAsync(e => e.IntentId == 1 && e.Kind == OrderEventKind.Accepted);
        var start = Environment.TickCount64;
        Assert.True(gateway.TrySubmit(Buy(2)));
        await sink.WaitForAsync(e => e.IntentId == 2 && e.Kind == OrderEventKind.Accepted);
        var waited = Environment.TickCount64 - start;
        Assert.True(waited < 2_000, $"the second order waited {waited} ms behind the first one's polling");
        Assert.Equal(2, server.Orders.Count);
        await sink.WaitForAsync(e => e.IntentId == 1 && e.Kind == OrderEventKind.Done); // and the poll still reports
    }

    [Fact]
    public async Task A_timeout_after_the_order_was_created_gives_exactly_one_order()
    {
        await using var server = await FakeUpbitRestServer.StartAsync(new FakeUpbitRestOptions { DelayNextCreates = 1, CreateDelayMs = 1_500 });
        var log = new List<string>();
        using var rest = Client(server, timeout: TimeSpan.FromMilliseconds(400));
        var sink = new CollectingSink();
        await using var gateway = NewGateway(rest, sink, log);
        gateway.TrySubmit(Buy(7));
        var final = await sink.WaitForAsync(e => e.Kind is OrderEventKind.Done or OrderEventKind.Cancelled or OrderEventKind.Rejected);
        Assert.NotEqual(OrderEventKind.Rejected, final.Kind);
        Assert.Single(server.Orders);
        Assert.True(log.Any(l => l.Contains("Timeout", StringComparison.Ordinal) && l.Contains("looking it up", StringComparison.Ordinal)), string.Join("\n", log));
    }

    [Fact]
    public async Task A_dropped_connection_after_creation_gives_exactly_one_order()
    {
        await using var server = await FakeUpbitRestServer.StartAsync(new FakeUpbitRestOptions { DropNextCreates = 1 });
        using var rest = Client(server);
        var sink = new CollectingSink();
        await using var gateway = NewGateway(rest, sink);
        gateway.TrySubmit(Buy(8));
        await sink.WaitForAsync(e => e.Kind is OrderEventKind.Done or OrderEventKind.Cancelled);
        Assert.Single(server.Orders);
    }

    [Fact]
    public async Task Duplicated_identifier_means_already_placed_and_is_looked_up()
    {
        await using var server = await FakeUpbitRestServer.StartAsync(new FakeUpbitRestOptions { DuplicatedIdentifierNext = 1 });
        using var rest = Client(server);
        var sink = new CollectingSink();
        await using var gateway = NewGateway(rest, sink);
        gateway.TrySubmit(Buy(9));
        await sink.WaitForAsync(e => e.Kind is OrderEventKind.Done or OrderEventKind.Cancelled);
        Assert.Single(server.Orders);
    }

    [Fact]
    public async Task A_500_before_creation_is_resent_once_under_a_new_identifier()
    {
        await using var server = await FakeUpbitRestServer.StartAsync(new FakeUpbitRestOptions { FailNextCreatesWith500 = 1 });
        using var rest = Client(server);
        var sink = new CollectingSink();
        await using var gateway = NewGateway(rest, sink);
        gateway.TrySubmit(Buy(10));
        var accepted = await sink.WaitForAsync(e => e.Kind == OrderEventKind.Accepted);
        var order = Assert.Single(server.Orders);
        Assert.EndsWith("-10-1", order.Identifier, StringComparison.Ordinal); // attempt 1: attempt 0 was confirmed not placed
        Assert.Equal(order.Identifier, accepted.Identifier);
    }

    [Fact]
    public async Task Definitive_rejections_and_local_checks_never_resend()
    {
        await using var server = await FakeUpbitRestServer.StartAsync();
        using var rest = Client(server);
        var sink = new CollectingSink();
        await using var gateway = NewGateway(rest, sink);
        gateway.TrySubmit(Buy(11, 4_999m)); // below Upbit's minimum: refused locally
        gateway.TrySubmit(new OrderCommand(OrderCommandKind.MarketSell, 12, 0, "KRW-BTC", Volume: 0.000000001m));
        var under = await sink.WaitForAsync(e => e.IntentId == 11);
        var dust = await sink.WaitForAsync(e => e.IntentId == 12);
        Assert.Equal(OrderEventKind.Rejected, under.Kind);
        Assert.Equal(UpbitErrorCode.NotSent, under.Error!.Code);
        Assert.Equal(OrderEventKind.Rejected, dust.Kind);
        Assert.Empty(server.Orders);
    }

    [Fact]
    public async Task A_resting_limit_is_tick_aligned_and_its_cancel_is_confirmed()
    {
        await using var server = await FakeUpbitRestServer.StartAsync();
        server.SeedHolding("KRW-BTC", 0.5m, 500_000m); // the coins it sells (the fake refuses a sell of coins not held, like Upbit)
        using var rest = Client(server);
        var sink = new CollectingSink();
        await using var gateway = NewGateway(rest, sink);
        gateway.TrySubmit(new OrderCommand(OrderCommandKind.LimitSell, 20, 0, "KRW-BTC", Volume: 0.5m, Price: 501_499.99m));
        await sink.WaitForAsync(e => e.IntentId == 20 && e.Kind == OrderEventKind.Accepted);
        Assert.Equal(501_500m, Assert.Single(server.Orders, o => o.Side == "ask").Price); // 500-KRW ticks at this price, rounded up

        gateway.TrySubmit(new OrderCommand(OrderCommandKind.Cancel, 21, 0, "KRW-BTC", TargetIntentId: 20));
        var cancelled = await sink.WaitForAsync(e => e.IntentId == 20 && e.Kind == OrderEventKind.Cancelled);
        Assert.Equal(0m, cancelled.ExecutedVolume);
        Assert.Equal("cancel", server.Orders.Single(o => o.Side == "ask").State);
    }

    [Fact]
    public void Identifiers_are_unique_per_run_and_safe()
    {
        var a = new OrderIdentifiers();
        var b = new OrderIdentifiers();
        Assert.NotEqual(a.RunId, b.RunId);
        var id = a.For(long.MaxValue, 99);
        Assert.True(id.Length <= 64);
        Assert.Matches("^[A-Za-z0-9-]+$", id);
        Assert.NotEqual(a.For(1, 0), a.For(1, 1));
    }
}
