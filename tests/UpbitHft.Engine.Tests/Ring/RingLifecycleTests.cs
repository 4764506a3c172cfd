using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using UpbitHft.Engine.Ring;
using static UpbitHft.Engine.Tests.Ring.RingTestKit;

namespace UpbitHft.Engine.Tests.Ring;

public class RingLifecycleTests
{
    [Fact]
    public void Drain_on_shutdown_handles_every_event_in_flight()
    {
        const long count = 20_000;
        var ring = RingBuffer<TestEvent>.CreateSingleProducer(32_768, new BlockingWaitStrategy());
        var seen = new Observed();
        var handler = CheckingHandler.For(seen);
        handler.SlowEvery = 2;
        var p = new BatchEventProcessor<TestEvent, CheckingHandler>(ring, ring.NewBarrier(), handler, "drain");
        ring.AddGatingSequences(p.Sequence);
        p.Start();
        Publish(ring, count); // all in the ring at once, consumer still busy
        Assert.True(p.DrainAndHalt(WaitLimit));
        Assert.False(p.IsRunning);
        AssertAllSeen(seen, count);
    }

    [Fact]
    public void Halt_stops_a_waiting_processor_and_it_can_be_observed()
    {
        var ring = RingBuffer<TestEvent>.CreateSingleProducer(16, new BlockingWaitStrategy());
        var seen = new Observed();
        var p = new BatchEventProcessor<TestEvent, CheckingHandler>(ring, ring.NewBarrier(), CheckingHandler.For(seen), "idle");
        ring.AddGatingSequences(p.Sequence);
        p.Start();
        Publish(ring, 3);
        Assert.True(SpinWait.SpinUntil(() => p.Sequence.Value == 2, WaitLimit));
        p.Halt(); // blocked in WaitFor: the alert wakes it
        Assert.False(p.IsRunning);
        Assert.Equal(3, seen.Count);
        Assert.Throws<InvalidOperationException>(p.Start);
    }

    [Theory]
    [InlineData(HandlerExceptionPolicy.RecordAndContinue)]
    [InlineData(HandlerExceptionPolicy.RecordAndHalt)]
    public void A_throwing_handler_is_recorded_with_its_sequence(HandlerExceptionPolicy policy)
    {
        var ring = RingBuffer<TestEvent>.CreateSingleProducer(64, new BlockingWaitStrategy());
        var seen = new Observed();
        var handler = CheckingHandler.For(seen);
        handler.ThrowAtSequence = 10;
        var reports = new List<string>();
        var faults = new HandlerFaults { Report = line => { lock (reports) { reports.Add(line); } } };
        var p = new BatchEventProcessor<TestEvent, CheckingHandler>(ring, ring.NewBarrier(), handler, "thrower", policy, faults);
        ring.AddGatingSequences(p.Sequence);
        p.Start();
        Publish(ring, 50);
        if (policy == HandlerExceptionPolicy.RecordAndContinue)
        {
            Assert.True(p.DrainAndHalt(WaitLimit));
            Assert.Equal(49, seen.Count); // every event but the failing one
            Assert.Equal(49, p.Sequence.Value);
        }
        else
        {
            Assert.True(SpinWait.SpinUntil(() => !p.IsRunning, WaitLimit));
            Assert.Equal(10, seen.Count);
            Assert.True(p.Sequence.Value < 10); // progress stops before the failed event
        }

        Assert.Equal(1, faults.Count);
        Assert.Equal(10, faults.Last!.Value.Sequence);
        Assert.Contains("sequence 10", Assert.Single(reports), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(WaitStrategyKind.Blocking)]
    [InlineData(WaitStrategyKind.Sleeping)]
    [InlineData(WaitStrategyKind.Yielding)]
    [InlineData(WaitStrategyKind.BusySpin)]
    [InlineData(WaitStrategyKind.SpinThenBlock)]
    public void Every_wait_strategy_delivers_everything(WaitStrategyKind kind)
    {
        const long count = 100_000;
        var ring = RingBuffer<TestEvent>.Create(new RingOptions { Size = 256, WaitStrategy = kind, MultiProducer = false });
        var seen = new Observed();
        var p = new BatchEventProcessor<TestEvent, CheckingHandler>(ring, ring.NewBarrier(), CheckingHandler.For(seen), kind.ToString());
        ring.AddGatingSequences(p.Sequence);
        p.Start();
        Publish(ring, count, batch: 16);
        Assert.True(p.DrainAndHalt(WaitLimit));
        AssertAllSeen(seen, count);
    }

    [Fact]
    public void Spin_then_block_wakes_a_parked_consumer_for_each_lone_event()
    {
        // No spin at all: every wait parks on the monitor, so each lone publish must wake it (a lost wake-up would
        // show as a 50 ms stall per event, 200 events = 10 s, far past the limit below).
        var ring = RingBuffer<TestEvent>.CreateSingleProducer(64, new SpinThenBlockWaitStrategy(TimeSpan.Zero));
        var seen = new Observed();
        var p = new BatchEventProcessor<TestEvent, CheckingHandler>(ring, ring.NewBarrier(), CheckingHandler.For(seen), "lone");
        ring.AddGatingSequences(p.Sequence);
        p.Start();
        var started = Stopwatch.StartNew();
        for (var i = 0; i < 200; i++)
        {
            Publish(ring, 1, start: i);
            Assert.True(SpinWait.SpinUntil(() => Volatile.Read(ref seen.Count) == i + 1, WaitLimit));
        }

        Assert.True(p.DrainAndHalt(WaitLimit));
        AssertAllSeen(seen, 200);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(5), $"200 lone events took {started.Elapsed}");
    }

    [Fact]
    public void Publishing_and_handling_allocate_nothing_once_warm()
    {
        const long count = 300_000;
        var ring = RingBuffer<TestEvent>.CreateSingleProducer(1024, new YieldingWaitStrategy());
        var seen = new Observed();
        var handler = CheckingHandler.For(seen);
        handler.MeasureAllocationsFrom = 100_000;
        var p = new BatchEventProcessor<TestEvent, CheckingHandler>(ring, ring.NewBarrier(), handler, "alloc");
        ring.AddGatingSequences(p.Sequence);
        p.Start();
        Publish(ring, 100_000);
        var before = GC.GetAllocatedBytesForCurrentThread();
        Publish(ring, count - 100_000, start: 100_000);
        var producerAllocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(p.DrainAndHalt(WaitLimit));
        Assert.Equal(0, producerAllocated);
        AssertAllSeen(seen, count);
        Assert.True(seen.AllocatedAtWarm >= 0 && seen.AllocatedAtEnd >= 0);
        Assert.Equal(0, seen.AllocatedAtEnd - seen.AllocatedAtWarm); // consumer thread
    }

    [Fact]
    public void Padded_types_keep_their_padding()
    {
        Assert.Equal(128, Unsafe.SizeOf<PaddedLong>());
        Assert.Equal(64, (int)Marshal.OffsetOf<PaddedLong>(nameof(PaddedLong.Value)));
        var state = typeof(SingleProducerSequencer).GetNestedType("ProducerState", System.Reflection.BindingFlags.NonPublic)!;
        Assert.Equal(192, Marshal.SizeOf(state));
        Assert.Equal(64, (int)Marshal.OffsetOf(state, "NextValue"));
        Assert.Equal(72, (int)Marshal.OffsetOf(state, "CachedGating"));

        // The value inside a Sequence object sits 64 bytes past the start of its fields, with 56 more after it.
        var field = typeof(Sequence).GetField("_value", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!;
        Assert.Equal(typeof(PaddedLong), field.FieldType);
        Assert.Single(typeof(Sequence).GetFields(System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1000)]
    [InlineData(-4)]
    public void Invalid_ring_sizes_are_refused_clearly(int size)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new RingOptions { Size = size }.Validate());
        Assert.Contains("power of two", ex.Message, StringComparison.Ordinal);
    }
}
