using UpbitHft.Gateway.Errors;
using UpbitHft.Gateway.Orders;
using UpbitHft.TestSupport.FakeUpbit.Rest;
using static UpbitHft.Gateway.Tests.Rest.GatewayFixture;

namespace UpbitHft.Gateway.Tests.Rest;

/// <summary>
/// The order lifecycle against the fake exchange with faults switched on: lost answers while lookups fail, late
/// creations, refused cancels, polls that fail for long, clean-ups beside the owner's own orders, balances, a full queue.
/// Assertions are on what the gateway reported and what the exchange holds.
/// </summary>
public class OrderLifecycleFaultTests
{
    private const string Create = "POST /v1/orders";
    private const string Lookup = "GET /v1/order";
    private const string CancelOne = "DELETE /v1/order";
    private const decimal TinyVolume = 30925891.29839369m;

    private static OrderCommand Buy(long intent, decimal krw = 500_000m) => new(OrderCommandKind.MarketBuy, intent, 0, "KRW-BTC", AmountKrw: krw);

    private static OrderCommand Sell(long intent, decimal volume) => new(OrderCommandKind.MarketSell, intent, 0, "KRW-BTC", Volume: volume);

    private static OrderCommand Limit(long intent, decimal volume, decimal price, string market = "KRW-BTC") =>
        new(OrderCommandKind.LimitSell, intent, 0, market, Volume: volume, Price: price);

    private static OrderCommand Cancel(long target) => new(OrderCommandKind.Cancel, 1_000 + target, 0, "KRW-BTC", TargetIntentId: target);

    private static bool IsFinal(OrderEvent e) => e.Kind is OrderEventKind.Done or OrderEventKind.Cancelled or OrderEventKind.Rejected;

    private static List<OrderEventKind> Kinds(CollectingSink sink, long intent) => [.. sink.Of(intent).Select(e => e.Kind)];

    [Fact]
    public async Task A_lost_answer_while_lookups_fail_stays_unknown_until_the_exchange_answers_and_is_never_sent_again()
    {
        await using var server = await FakeUpbitRestServer.StartAsync(new FakeUpbitRestOptions { DropNextCreates = 1 });
        using var rest = Client(server);
        var sink = new CollectingSink();
        await using var gateway = NewGateway(rest, sink);
        server.Options.FailLookupsUntil = DateTimeOffset.UtcNow.AddSeconds(1.5);

        Assert.True(gateway.TrySubmit(Buy(1)));
        await sink.WaitForAsync(e => e.IntentId == 1 && e.Kind == OrderEventKind.Unknown);
        var final = await sink.WaitForAsync(e => e.IntentId == 1 && IsFinal(e));

        Assert.Equal([OrderEventKind.Unknown, OrderEventKind.Accepted, OrderEventKind.Done], Kinds(sink, 1));
        var order = Assert.Single(server.Orders);
        Assert.Equal((order.ExecutedVolume, order.ExecutedFunds, order.PaidFee), (final.ExecutedVolume, final.ExecutedFunds, final.PaidFee));
        Assert.Equal(1m, final.ExecutedVolume);
        Assert.Equal(1, server.RequestCount(Create)); // looked up, never sent again
        Assert.True(server.ResponseCount(Lookup, 500) >= 3, $"only {server.ResponseCount(Lookup, 500)} lookups met the failing exchange");
    }

    [Fact]
    public async Task Order_not_found_right_after_a_timeout_is_not_believed_before_the_settle_and_the_late_order_is_found()
    {
        // The create times out after 200 ms; the exchange creates the order only at 600 ms: lookups before then say
        // order_not_found, and only the settle rule (1.5 s from sending) keeps the gateway from sending it again.
        await using var server = await FakeUpbitRestServer.StartAsync(new FakeUpbitRestOptions { CreateLateNext = 1, CreateLateMs = 600 });
        using var rest = Client(server, timeout: TimeSpan.FromMilliseconds(200));
        var sink = new CollectingSink();
        await using var gateway = NewGateway(rest, sink, options: Fast with { NotPlacedSettle = TimeSpan.FromSeconds(1.5) });

        Assert.True(gateway.TrySubmit(Buy(2)));
        var final = await sink.WaitForAsync(e => e.IntentId == 2 && IsFinal(e));

        Assert.Equal([OrderEventKind.Unknown, OrderEventKind.Accepted, OrderEventKind.Done], Kinds(sink, 2));
        Assert.Equal(UpbitErrorCode.Timeout, sink.Of(2)[0].Error!.Code);
        Assert.True(server.ResponseCount(Lookup, 404) >= 1, "no lookup was answered order_not_found before the order existed");
        var order = Assert.Single(server.Orders);
        Assert.Equal(order.Identifier, final.Identifier);
        Assert.EndsWith("-2-0", order.Identifier, StringComparison.Ordinal);
        Assert.Equal(1, server.RequestCount(Create));
    }

    [Fact]
    public async Task With_the_default_proportions_a_timeout_as_long_as_the_settle_still_gives_exactly_one_order()
    {
        // The defaults scaled down by 10: RequestTimeout 3 s → 300 ms, NotPlacedSettle → 300 ms. The order is created
        // inside the exchange 450 ms after it was sent — 150 ms after the client gave up, well inside the settle time
        // that counts from the failure.
        await using var server = await FakeUpbitRestServer.StartAsync(new FakeUpbitRestOptions { CreateLateNext = 1, CreateLateMs = 450 });
        using var rest = Client(server, timeout: TimeSpan.FromMilliseconds(300));
        var sink = new CollectingSink();
        await using var gateway = NewGateway(rest, sink, options: Fast with { NotPlacedSettle = TimeSpan.FromMilliseconds(300) });

        Assert.True(gateway.TrySubmit(Buy(3)));
        await sink.WaitForAsync(e => e.IntentId == 3 && IsFinal(e));
        await EventuallyAsync(() => server.Orders.Count >= 1, "the late order");

        Assert.Single(server.Orders);
        Assert.Equal(1, server.RequestCount(Create));
    }

    [Fact]
    public async Task A_refused_cancel_is_sent_again_until_the_order_is_cancelled()
    {
        await using var server = await FakeUpbitRestServer.StartAsync();
        server.SeedHolding("KRW-BTC", 1m, 500_000m);
        using var rest = Client(server);
        var sink = new CollectingSink();
        await using var gateway = NewGateway(rest, sink);
        Assert.True(gateway.TrySubmit(Limit(20, 0.5m, 600_000m)));
        var accepted = await sink.WaitForAsync(e => e.IntentId == 20 && e.Kind == OrderEventKind.Accepted);

        server.Options.FailNextCancels = 2;
        Assert.True(gateway.TrySubmit(Cancel(20)));
        var cancelled = await sink.WaitForAsync(e => e.IntentId == 20 && IsFinal(e));

        Assert.Equal(OrderEventKind.Cancelled, cancelled.Kind);
        Assert.Equal(0m, cancelled.ExecutedVolume);
        Assert.Equal("cancel", server.Orders.Single(o => o.Identifier == accepted.Identifier).State);
        Assert.Equal(2, server.ResponseCount(CancelOne, 500));
        Assert.Equal(3, server.RequestCount(CancelOne));
        Assert.DoesNotContain(OrderEventKind.Rejected, Kinds(sink, 20));
    }

    [Fact]
    public async Task A_limit_that_fills_while_its_cancels_are_refused_is_reported_done_never_cancelled()
    {
        await using var server = await FakeUpbitRestServer.StartAsync();
        server.SeedHolding("KRW-BTC", 1m, 500_000m);
        using var rest = Client(server);
        var sink = new CollectingSink();
        await using var gateway = NewGateway(rest, sink);
        Assert.True(gateway.TrySubmit(Limit(21, 0.5m, 600_000m)));
        await sink.WaitForAsync(e => e.IntentId == 21 && e.Kind == OrderEventKind.Accepted);

        server.Options.FailNextCancels = 1_000_000;
        Assert.True(gateway.TrySubmit(Cancel(21)));
        await EventuallyAsync(() => server.ResponseCount(CancelOne, 500) >= 2, "two refused cancels");
        server.OnTrade("KRW-BTC", 600_000m); // the take-profit is reached while the cancel keeps failing
        var final = await sink.WaitForAsync(e => e.IntentId == 21 && IsFinal(e));

        Assert.Equal(OrderEventKind.Done, final.Kind);
        Assert.Equal((0.5m, 300_000m, 150m), (final.ExecutedVolume, final.ExecutedFunds, final.PaidFee));
        Assert.DoesNotContain(OrderEventKind.Cancelled, Kinds(sink, 21));
        Assert.Equal("done", server.Orders.Single(o => o.Identifier == final.Identifier).State);
    }

    [Fact]
    public async Task A_cancel_refused_again_and_again_is_resent_with_backoff_not_in_a_storm()
    {
        await using var server = await FakeUpbitRestServer.StartAsync();
        server.SeedHolding("KRW-BTC", 1m, 500_000m);
        using var rest = Client(server);
        var sink = new CollectingSink();
        await using var gateway = NewGateway(rest, sink);
        Assert.True(gateway.TrySubmit(Limit(22, 0.5m, 600_000m)));
        await sink.WaitForAsync(e => e.IntentId == 22 && e.Kind == OrderEventKind.Accepted);

        server.Options.FailNextCancels = 1_000_000;
        var start = Environment.TickCount64;
        Assert.True(gateway.TrySubmit(Cancel(22)));
        await EventuallyAsync(() => server.RequestCount(CancelOne) >= 8, "eight cancel attempts");
        var took = Environment.TickCount64 - start;

        // Doubling from 20 ms to the 200 ms cap, eight attempts take at least 20+40+80+160+200+200+200 ≈ 900 ms; without backoff ≈ 8 × 20 ms.
        Assert.True(took >= 700, $"eight refused cancels within {took} ms: no backoff between them");
    }

    [Fact]
    public async Task Polls_that_fail_for_longer_than_fifty_attempts_still_reach_the_final_state()
    {
        await using var server = await FakeUpbitRestServer.StartAsync();
        server.SeedHolding("KRW-BTC", 1m, 500_000m);
        using var rest = Client(server);
        var sink = new CollectingSink();
        var options = Fast with { PollMaxDelay = TimeSpan.FromMilliseconds(50), RestingPollInterval = TimeSpan.FromMilliseconds(50) };
        await using var gateway = NewGateway(rest, sink, options: options);
        Assert.True(gateway.TrySubmit(Limit(30, 0.5m, 600_000m)));
        await sink.WaitForAsync(e => e.IntentId == 30 && e.Kind == OrderEventKind.Accepted);

        var failUntil = DateTimeOffset.UtcNow.AddSeconds(5.5); // longer than the old 50 × 100 ms
        server.Options.FailLookupsUntil = failUntil;
        server.OnTrade("KRW-BTC", 600_000m);
        var final = await sink.WaitForAsync(e => e.IntentId == 30 && IsFinal(e), timeoutMs: 20_000);

        Assert.Equal(OrderEventKind.Done, final.Kind);
        Assert.Equal(0.5m, final.ExecutedVolume);
        Assert.True(DateTimeOffset.UtcNow >= failUntil);
        Assert.True(server.ResponseCount(Lookup, 500) > 50, $"{server.ResponseCount(Lookup, 500)} failed polls");
    }

    [Fact]
    public async Task An_order_stuck_in_lookups_does_not_delay_the_next_one()
    {
        await using var server = await FakeUpbitRestServer.StartAsync(new FakeUpbitRestOptions { DropNextCreates = 1 });
        server.Options.FailLookupsOf = identifier => identifier.EndsWith("-40-0", StringComparison.Ordinal);
        using var rest = Client(server);
        var sink = new CollectingSink();
        await using var gateway = NewGateway(rest, sink);
        Assert.True(gateway.TrySubmit(Buy(40)));
        await sink.WaitForAsync(e => e.IntentId == 40 && e.Kind == OrderEventKind.Unknown);
        await EventuallyAsync(() => server.ResponseCount(Lookup, 500) >= 2, "intent 40's failing lookups");

        var start = Environment.TickCount64;
        Assert.True(gateway.TrySubmit(Buy(41)));
        await sink.WaitForAsync(e => e.IntentId == 41 && e.Kind == OrderEventKind.Accepted);
        var waited = Environment.TickCount64 - start;

        Assert.True(waited < 500, $"the second order waited {waited} ms behind the first one's lookups");
        Assert.Equal([OrderEventKind.Unknown], Kinds(sink, 40)); // still unknown, still looked up
        server.Options.FailLookupsOf = null;
        await sink.WaitForAsync(e => e.IntentId == 40 && IsFinal(e));
        Assert.Equal(2, server.Orders.Count);
        Assert.Equal(2, server.RequestCount(Create));
    }

    [Fact]
    public async Task A_cancel_asked_while_the_order_is_unknown_is_sent_once_the_order_is_found()
    {
        await using var server = await FakeUpbitRestServer.StartAsync(new FakeUpbitRestOptions { DropNextCreates = 1 });
        server.SeedHolding("KRW-BTC", 1m, 500_000m);
        server.Options.FailLookupsUntil = DateTimeOffset.UtcNow.AddSeconds(1);
        using var rest = Client(server);
        var sink = new CollectingSink();
        await using var gateway = NewGateway(rest, sink);
        Assert.True(gateway.TrySubmit(Limit(45, 0.5m, 600_000m)));
        await sink.WaitForAsync(e => e.IntentId == 45 && e.Kind == OrderEventKind.Unknown);
        Assert.True(gateway.TrySubmit(Cancel(45)));
        var final = await sink.WaitForAsync(e => e.IntentId == 45 && IsFinal(e));

        Assert.Equal([OrderEventKind.Unknown, OrderEventKind.Accepted, OrderEventKind.Cancelled], Kinds(sink, 45));
        Assert.Equal("cancel", server.Orders.Single(o => o.Identifier == final.Identifier).State);
        Assert.Equal(1, server.RequestCount(Create));
    }

    [Fact]
    public async Task Clean_up_cancels_only_the_engines_orders_by_identifier_and_never_the_owners()
    {
        await using var server = await FakeUpbitRestServer.StartAsync();
        server.SeedHolding("KRW-BTC", 2m, 500_000m);
        var previousRun = server.SeedRestingAsk("KRW-BTC", 0.5m, 600_000m, "uh-oldrun-3-0");
        var byHand = server.SeedForeignRestingAsk("KRW-BTC", 0.2m, 650_000m);
        var manual = server.SeedForeignRestingAsk("KRW-BTC", 0.3m, 700_000m, "manual-7");
        using var rest = Client(server);
        var sink = new CollectingSink();
        await using var gateway = NewGateway(rest, sink);
        Assert.True(gateway.TrySubmit(Limit(50, 0.5m, 610_000m)));
        var mine = await sink.WaitForAsync(e => e.IntentId == 50 && e.Kind == OrderEventKind.Accepted);

        Assert.True(gateway.TrySubmit(new OrderCommand(OrderCommandKind.CleanUp, 51, 0, "KRW-BTC")));
        await sink.WaitForAsync(e => e.IntentId == 50 && e.Kind == OrderEventKind.Cancelled); // this run's own: followed to the end
        await EventuallyAsync(() => previousRun.State == "cancel", "the previous run's order cancelled");

        Assert.Equal("cancel", server.Orders.Single(o => o.Identifier == mine.Identifier).State);
        Assert.Equal(("wait", "wait"), (byHand.State, manual.State));
        Assert.Equal(2, server.OpenOrders.Count);
        Assert.True(server.RequestCount("DELETE /v1/orders/uuids") >= 1);
        Assert.Equal(0, server.RequestCount("DELETE /v1/orders/open"));
        Assert.Equal(0.5m, server.Balances()["BTC"].Locked); // the owner's coins stay locked by the owner's orders
    }

    [Fact]
    public async Task Balances_are_reported_per_currency_with_the_ledgers_exact_decimals_then_an_end_marker()
    {
        await using var server = await FakeUpbitRestServer.StartAsync();
        server.SeedHolding("KRW-TINY", TinyVolume, 0.001m);
        server.SeedHolding("KRW-BTC", 0.12345678m, 160_594_000m);
        server.SeedRestingAsk("KRW-BTC", 0.1m, 170_000_000m, "uh-oldrun-1-0");
        using var rest = Client(server);
        var sink = new CollectingSink();
        await using var gateway = NewGateway(rest, sink);

        Assert.True(gateway.TrySubmit(new OrderCommand(OrderCommandKind.RefreshBalances, 5, -1, "")));
        await EventuallyAsync(() => sink.Balances.Any(b => b.IsEndOfSnapshot), "the end of the snapshot");

        var reports = sink.Balances.ToList();
        Assert.True(reports[^1].IsEndOfSnapshot);
        Assert.All(reports, r => Assert.Equal(5, r.AnswersRequest));
        var ledger = server.Balances();
        Assert.Equal(ledger.Keys.Order(StringComparer.Ordinal), reports.SkipLast(1).Select(r => r.Currency).Order(StringComparer.Ordinal));
        foreach (var r in reports.SkipLast(1))
        {
            Assert.Equal((ledger[r.Currency].Balance, ledger[r.Currency].Locked), (r.Balance, r.Locked));
        }

        Assert.Equal(TinyVolume, reports.Single(r => r.Currency == "TINY").Balance);
        Assert.Equal((0.02345678m, 0.1m), (reports.Single(r => r.Currency == "BTC").Balance, reports.Single(r => r.Currency == "BTC").Locked));
    }

    [Fact]
    public async Task Balance_requests_made_while_a_read_is_in_flight_are_served_by_one_more_read_answering_the_newest()
    {
        await using var server = await FakeUpbitRestServer.StartAsync(new FakeUpbitRestOptions { AccountsDelayMs = 400 });
        server.SeedHolding("KRW-BTC", 1m, 500_000m);
        using var rest = Client(server);
        var sink = new CollectingSink();
        await using var gateway = NewGateway(rest, sink);

        Assert.True(gateway.TrySubmit(new OrderCommand(OrderCommandKind.RefreshBalances, 1, -1, "")));
        await EventuallyAsync(() => server.RequestCount("GET /v1/accounts") == 1, "the first read in flight");
        Assert.True(gateway.TrySubmit(new OrderCommand(OrderCommandKind.RefreshBalances, 2, -1, "")));
        Assert.True(gateway.TrySubmit(new OrderCommand(OrderCommandKind.RefreshBalances, 3, -1, "")));
        await EventuallyAsync(() => sink.Balances.Count(b => b.IsEndOfSnapshot) == 2, "two snapshots");

        Assert.Equal(2, server.RequestCount("GET /v1/accounts"));
        var reports = sink.Balances.ToList();
        var split = reports.FindIndex(b => b.IsEndOfSnapshot) + 1;
        Assert.All(reports.Take(split), r => Assert.Equal(1, r.AnswersRequest));
        Assert.All(reports.Skip(split), r => Assert.Equal(3, r.AnswersRequest));
        Assert.Equal(["", "BTC", "KRW"], reports.Skip(split).Select(r => r.Currency).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_submitted_order_goes_out_and_a_stopped_gateway_refuses_and_sends_nothing()
    {
        await using var server = await FakeUpbitRestServer.StartAsync();
        using var rest = Client(server);
        var sink = new CollectingSink();
        var gateway = NewGateway(rest, sink);
        var arrived = 0;
        server.OrderRequestArrived = () => Interlocked.Increment(ref arrived);

        Assert.True(gateway.TrySubmit(Buy(60, 10_000m)));
        await sink.WaitForAsync(e => e.IntentId == 60 && IsFinal(e));
        Assert.Equal(1, Volatile.Read(ref arrived));

        await gateway.DisposeAsync();
        Assert.False(gateway.TrySubmit(Buy(61, 10_000m)));
        Assert.Equal(1, server.RequestCount(Create));
        Assert.Empty(sink.Of(61));
    }

    [Fact]
    public async Task A_huge_unit_coin_is_sold_and_reported_with_every_digit()
    {
        await using var server = await FakeUpbitRestServer.StartAsync();
        server.SeedHolding("KRW-TINY", TinyVolume, 0.001m);
        using var rest = Client(server);
        var sink = new CollectingSink();
        await using var gateway = NewGateway(rest, sink);

        Assert.True(gateway.TrySubmit(Limit(70, TinyVolume, 0.002m, "KRW-TINY")));
        await sink.WaitForAsync(e => e.IntentId == 70 && e.Kind == OrderEventKind.Accepted);
        var body = Assert.Single(server.OrderBodies);
        Assert.Contains("\"volume\":\"30925891.29839369\"", body, StringComparison.Ordinal);
        Assert.Contains("\"price\":\"0.002\"", body, StringComparison.Ordinal);

        server.OnTrade("KRW-TINY", 0.002m);
        var done = await sink.WaitForAsync(e => e.IntentId == 70 && IsFinal(e));
        Assert.Equal(OrderEventKind.Done, done.Kind);
        Assert.Equal((TinyVolume, 61_851.78259678738m, 30.92589129839369m), (done.ExecutedVolume, done.ExecutedFunds, done.PaidFee));
        Assert.True(done.FundsKnown);
    }

    [Fact]
    public async Task The_exchanges_refusals_for_funds_and_minimum_are_reported_as_such_and_never_retried()
    {
        await using var server = await FakeUpbitRestServer.StartAsync(new FakeUpbitRestOptions { InitialKrw = 1_000_000m });
        server.SeedHolding("KRW-BTC", 1m, 500_000m); // leaves 499,750 KRW
        using var rest = Client(server);
        var sink = new CollectingSink();
        await using var gateway = NewGateway(rest, sink);

        Assert.True(gateway.TrySubmit(Buy(80, 600_000m)));
        Assert.True(gateway.TrySubmit(Sell(81, 0.001m))); // 500 KRW at 500,000: the validator sends it, the exchange refuses
        Assert.True(gateway.TrySubmit(Limit(82, 0.001m, 600_000m))); // refused locally
        Assert.True(gateway.TrySubmit(Sell(83, 5m)));
        var buy = await sink.WaitForAsync(e => e.IntentId == 80 && IsFinal(e));
        var dust = await sink.WaitForAsync(e => e.IntentId == 81 && IsFinal(e));
        var limit = await sink.WaitForAsync(e => e.IntentId == 82 && IsFinal(e));
        var oversell = await sink.WaitForAsync(e => e.IntentId == 83 && IsFinal(e));

        Assert.Equal((OrderEventKind.Rejected, UpbitErrorCode.InsufficientFunds, "insufficient_funds_bid"), (buy.Kind, buy.Error!.Code, buy.Error.Name));
        Assert.Equal((OrderEventKind.Rejected, UpbitErrorCode.UnderMinimum, "under_min_total_ask"), (dust.Kind, dust.Error!.Code, dust.Error.Name));
        Assert.Equal((OrderEventKind.Rejected, UpbitErrorCode.NotSent, "under_min_total_ask"), (limit.Kind, limit.Error!.Code, limit.Error.Name));
        Assert.Equal((OrderEventKind.Rejected, UpbitErrorCode.InsufficientFunds, "insufficient_funds_ask"), (oversell.Kind, oversell.Error!.Code, oversell.Error.Name));
        foreach (var intent in new long[] { 80, 81, 82, 83 })
        {
            Assert.Equal([OrderEventKind.Rejected], Kinds(sink, intent));
        }

        Assert.Equal(3, server.RequestCount(Create));
        Assert.Single(server.Orders); // the seed only
    }

    [Fact]
    public async Task A_refresh_or_cancel_of_a_rejected_order_is_answered_with_its_final_state()
    {
        await using var server = await FakeUpbitRestServer.StartAsync();
        using var rest = Client(server);
        var sink = new CollectingSink();
        await using var gateway = NewGateway(rest, sink);
        Assert.True(gateway.TrySubmit(Sell(90, 5m))); // nothing held: insufficient_funds_ask
        await sink.WaitForAsync(e => e.IntentId == 90 && e.Kind == OrderEventKind.Rejected);

        Assert.True(gateway.TrySubmit(new OrderCommand(OrderCommandKind.Refresh, 91, 0, "KRW-BTC", TargetIntentId: 90)));
        Assert.True(gateway.TrySubmit(Cancel(90)));
        await EventuallyAsync(() => sink.Of(90).Count >= 3, "answers to the refresh and the cancel", timeoutMs: 3_000);
        Assert.All(sink.Of(90), e => Assert.Equal(OrderEventKind.Rejected, e.Kind));
    }
}
