using UpbitHft.Engine.Decisions;
using UpbitHft.Engine.Execution;
using UpbitHft.Engine.Ring;
using UpbitHft.Feed.Markets;
using UpbitHft.Gateway.Orders;
using UpbitHft.TestSupport;

namespace UpbitHft.Engine.Tests.Execution;

/// <summary>The engine → gateway hand-off (a ring and a gateway thread) and the answer ring that overtakes market data.</summary>
public class GatewayHandoffTests
{
    /// <summary>A gateway that records what reaches it, and can hold its thread on the first command until released.</summary>
    private sealed class HeldGateway : IOrderGateway
    {
        private readonly ManualResetEventSlim _release = new(false);
        private readonly Lock _lock = new();
        private readonly List<OrderCommand> _commands = [];
        private int _entered;

        public bool Hold { get; init; }

        public bool Entered => Volatile.Read(ref _entered) == 1;

        public List<OrderCommand> Commands
        {
            get
            {
                lock (_lock)
                {
                    return [.. _commands];
                }
            }
        }

        public void Release() => _release.Set();

        public bool TrySubmit(in OrderCommand command)
        {
            lock (_lock)
            {
                _commands.Add(command);
            }

            if (Hold && Interlocked.Exchange(ref _entered, 1) == 0)
            {
                _release.Wait(TimeSpan.FromSeconds(30));
            }

            return true;
        }
    }

    private static MarketTable Markets()
    {
        var markets = new MarketTable(8);
        markets.GetOrAdd("KRW-BTC");
        markets.GetOrAdd("KRW-ETH");
        return markets;
    }

    private static OrderCommand Buy(long intent, int market = 0) => new(OrderCommandKind.MarketBuy, intent, market, "", AmountKrw: 10_000m, OriginNs: 100 + intent, DecidedNs: 200 + intent);

    [Fact]
    public async Task A_full_ring_refuses_and_counts_and_nothing_refused_ever_reaches_the_gateway()
    {
        var gateway = new HeldGateway { Hold = true };
        var handoff = new GatewayHandoff(gateway, Markets(), size: 2);
        handoff.Start();

        // The gateway thread takes the first command and is held in the gateway (its slot is not free until it
        // returns); one more fills the ring.
        Assert.True(handoff.TrySubmit(Buy(1)));
        await Eventually.TrueAsync(() => gateway.Entered, TimeSpan.FromSeconds(10), "the gateway thread held in the gateway");
        Assert.True(handoff.TrySubmit(Buy(2, market: 1)));
        Assert.False(handoff.TrySubmit(Buy(3)));
        Assert.False(handoff.TrySubmit(Buy(4)));
        Assert.Equal(2, handoff.Refused);

        gateway.Release();
        await Eventually.TrueAsync(() => gateway.Commands.Count == 2, TimeSpan.FromSeconds(10), "the queued command dispatched");
        Assert.True(handoff.TrySubmit(Buy(5))); // room again
        Assert.True(handoff.DrainAndHalt(TimeSpan.FromSeconds(10)));
        var taken = gateway.Commands;
        Assert.Equal([1L, 2L, 5L], taken.Select(c => c.IntentId));
        Assert.Equal(["KRW-BTC", "KRW-ETH", "KRW-BTC"], taken.Select(c => c.Market)); // the market's code, resolved on the gateway thread
        Assert.All(taken, c =>
        {
            Assert.Equal(100 + c.IntentId, c.OriginNs);
            Assert.Equal(200 + c.IntentId, c.DecidedNs);
            Assert.True(c.HandedOffNs > 0 && c.PickedUpNs >= c.HandedOffNs, $"stamps {c.HandedOffNs} → {c.PickedUpNs}");
            Assert.Equal(10_000m, c.AmountKrw);
        });
    }

    [Fact]
    public async Task Handing_an_order_off_allocates_nothing_on_the_engine_thread()
    {
        var gateway = new HeldGateway();
        var handoff = new GatewayHandoff(gateway, Markets(), size: 4096);
        handoff.Start();
        for (var i = 0; i < 1_000; i++)
        {
            Assert.True(handoff.TrySubmit(Buy(i)));
        }

        await Eventually.TrueAsync(() => gateway.Commands.Count == 1_000, TimeSpan.FromSeconds(10), "the warm-up commands dispatched");
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 2_000; i++)
        {
            Assert.True(handoff.TrySubmit(Buy(i)));
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(handoff.DrainAndHalt(TimeSpan.FromSeconds(10)));
        Assert.Equal(0, allocated);
        Assert.Equal(3_000, gateway.Commands.Count);
    }

    [Fact]
    public async Task The_gateway_thread_rehearses_while_it_waits_and_still_takes_the_next_order()
    {
        var gateway = new HeldGateway();
        string? thread = null;
        var rehearsal = new IdleRehearsal(() => thread = Thread.CurrentThread.Name, TimeSpan.FromMilliseconds(1));
        var handoff = new GatewayHandoff(gateway, Markets(), rehearsal: rehearsal); // the default wait: spin, then park
        handoff.Start();
        await Eventually.TrueAsync(() => rehearsal.Runs >= 3, TimeSpan.FromSeconds(10), "rehearsals while parked");
        Assert.Equal("upbithft-gateway", thread);
        Assert.Empty(gateway.Commands); // a rehearsal is never a command

        Assert.True(handoff.TrySubmit(Buy(1)));
        await Eventually.TrueAsync(() => gateway.Commands.Count == 1, TimeSpan.FromSeconds(10), "the order dispatched");
        Assert.True(handoff.DrainAndHalt(TimeSpan.FromSeconds(10)));
        Assert.Equal(1, gateway.Commands[0].IntentId);
    }

    [Fact]
    public async Task A_rehearsal_that_throws_is_dropped_and_no_order_is_lost_or_skipped()
    {
        var gateway = new HeldGateway();
        var calls = 0;
        var rehearsal = new IdleRehearsal(() =>
        {
            calls++;
            throw new InvalidOperationException("rehearsal broke");
        }, TimeSpan.Zero);
        var handoff = new GatewayHandoff(gateway, Markets(), rehearsal: rehearsal);
        handoff.Start();
        await Eventually.TrueAsync(() => rehearsal.Failures == 1, TimeSpan.FromSeconds(10), "the rehearsal failing");

        for (var i = 1; i <= 3; i++)
        {
            Assert.True(handoff.TrySubmit(Buy(i)));
        }

        await Eventually.TrueAsync(() => gateway.Commands.Count == 3, TimeSpan.FromSeconds(10), "every order dispatched");
        Assert.True(handoff.DrainAndHalt(TimeSpan.FromSeconds(10)));
        Assert.Equal([1L, 2L, 3L], gateway.Commands.Select(c => c.IntentId)); // none skipped for the failure
        Assert.Equal(0, handoff.Faults);
        Assert.Equal(1, calls); // never rehearsed again
        Assert.Equal(0, rehearsal.Runs);
    }

    [Fact]
    public void An_answer_waiting_on_the_answer_ring_is_applied_before_the_market_event_in_hand()
    {
        // A position with its take-profit resting at the exchange; the exchange says it is done (answer ring), while a
        // trade below the stop is already in the main ring. The answer first: the trade closes at the take-profit and
        // no stop sell is sent. Market data first would have sold at the stop as well.
        var live = new LiveEngineEventTests.Live(new DecisionOptions { RestingTakeProfit = true });
        var answers = RingBuffer<EngineEvent>.CreateMultiProducer(64, new BusySpinWaitStrategy());
        live.Engine.AttachAnswerRing(answers);
        live.Engine.RestorePosition(live.Btc, 1m, 500_000, 500_000m, 250m);
        var tp = Assert.Single(live.Gateway.Commands, c => c.Kind == OrderCommandKind.LimitSell);

        var sink = new RingOrderEventSink(RingBuffer<EngineEvent>.CreateMultiProducer(64, new BusySpinWaitStrategy()), answers, live.Markets);
        sink.OnOrderEvent(new OrderEvent(OrderEventKind.Done, tp.IntentId, live.Btc, null, null, 1m, 501_500m, 250.75m, null));
        live.Trade(1_710_751_600_000, 490_000m); // −2 %: below the stop

        var trade = Assert.Single(live.Engine.ClosedTrades);
        Assert.Equal("take_profit", trade.ExitReason);
        Assert.DoesNotContain(live.Gateway.Commands, c => c.Kind == OrderCommandKind.MarketSell);
        Assert.Equal(1, live.Engine.AnswerToApplied.TotalCount);
    }
}

/// <summary>The engine's side of keeping the order path warm: test orders after a quiet spell, never in paper mode.</summary>
public class KeepWarmTests
{
    [Fact]
    public void After_the_keep_warm_time_without_an_order_one_test_order_per_connection_goes_down_the_path()
    {
        var live = new LiveEngineEventTests.Live(new DecisionOptions());
        live.Engine.KeepOrderPathWarm = TimeSpan.FromSeconds(10);
        live.Engine.OrderConnections = 2;
        var t0 = 1_793_580_000_000L;
        live.Trade(t0, 500_000m); // the first second: the clock starts
        live.Trade(t0 + 5_000, 500_000m);
        Assert.DoesNotContain(live.Gateway.Commands, c => c.Kind == OrderCommandKind.Test);

        live.Trade(t0 + 10_500, 500_000m);
        var tests = live.Gateway.Commands.Where(c => c.Kind == OrderCommandKind.Test).ToList();
        Assert.Equal(2, tests.Count);
        Assert.All(tests, c => Assert.Equal(new DecisionOptions().MinOrderKrw, c.AmountKrw)); // the smallest valid buy: validated, never placed
        Assert.Equal(2, live.Engine.WarmUpOrders);

        live.Trade(t0 + 15_000, 500_000m); // within 10 s of the last: nothing more
        Assert.Equal(2, live.Gateway.Commands.Count(c => c.Kind == OrderCommandKind.Test));
        live.Trade(t0 + 21_000, 500_000m);
        Assert.Equal(4, live.Gateway.Commands.Count(c => c.Kind == OrderCommandKind.Test));
    }

    [Fact]
    public void Without_keep_warm_no_test_order_is_ever_sent()
    {
        var live = new LiveEngineEventTests.Live(new DecisionOptions());
        var t0 = 1_793_580_000_000L;
        for (var s = 0; s < 120; s += 5)
        {
            live.Trade(t0 + (s * 1_000L), 500_000m);
        }

        Assert.DoesNotContain(live.Gateway.Commands, c => c.Kind == OrderCommandKind.Test);
    }
}
