using UpbitHft.Engine.Ring;
using static UpbitHft.Engine.Tests.Ring.RingTestKit;

namespace UpbitHft.Engine.Tests.Ring;

public class RingOrderingTests
{
    private static BatchEventProcessor<TestEvent, CheckingHandler> Processor(RingBuffer<TestEvent> ring, SequenceBarrier barrier, CheckingHandler handler, string name) =>
        new(ring, barrier, handler, name);

    [Theory]
    [InlineData(1)]
    [InlineData(64)]
    public void One_to_one_two_million_events_in_order_exactly_once(int batch)
    {
        const long count = 2_000_000;
        var ring = RingBuffer<TestEvent>.CreateSingleProducer(1024, new YieldingWaitStrategy());
        var seen = new Observed();
        var p = Processor(ring, ring.NewBarrier(), CheckingHandler.For(seen), "c1");
        ring.AddGatingSequences(p.Sequence);
        p.Start();
        Publish(ring, count, batch: batch);
        Assert.True(p.DrainAndHalt(WaitLimit));
        AssertAllSeen(seen, count);
        Assert.Equal(count * (count - 1) / 2, seen.Sum);
    }

    [Fact]
    public void Pipeline_of_three_each_stage_after_the_previous()
    {
        const long count = 1_000_000;
        var ring = RingBuffer<TestEvent>.CreateSingleProducer(1024, new BlockingWaitStrategy());
        Observed a = new(), b = new(), c = new();
        var pa = Processor(ring, ring.NewBarrier(), CheckingHandler.For(a, 1), "a");
        var pb = Processor(ring, ring.NewBarrier(pa.Sequence), CheckingHandler.For(b, 2), "b");
        var pc = Processor(ring, ring.NewBarrier(pb.Sequence), CheckingHandler.For(c, 3), "c");
        ring.AddGatingSequences(pc.Sequence);
        pa.Start();
        pb.Start();
        pc.Start();
        Publish(ring, count);
        Assert.True(pc.DrainAndHalt(WaitLimit));
        pb.Halt();
        pa.Halt();
        AssertAllSeen(a, count);
        AssertAllSeen(b, count);
        AssertAllSeen(c, count);
    }

    [Fact]
    public void Two_parallel_consumers_both_see_everything()
    {
        const long count = 1_000_000;
        var ring = RingBuffer<TestEvent>.CreateSingleProducer(512, new BlockingWaitStrategy());
        Observed x = new(), y = new();
        var barrier = ring.NewBarrier();
        var px = Processor(ring, barrier, CheckingHandler.For(x), "x");
        var py = Processor(ring, ring.NewBarrier(), CheckingHandler.For(y), "y");
        ring.AddGatingSequences(px.Sequence, py.Sequence);
        px.Start();
        py.Start();
        Publish(ring, count);
        Assert.True(px.DrainAndHalt(WaitLimit));
        Assert.True(py.DrainAndHalt(WaitLimit));
        AssertAllSeen(x, count);
        AssertAllSeen(y, count);
    }

    [Fact]
    public void Three_producers_into_one_consumer_on_the_multi_producer_sequencer()
    {
        const long perProducer = 500_000;
        var ring = RingBuffer<TestEvent>.CreateMultiProducer(1024, new BlockingWaitStrategy());
        var seen = new Observed();
        var handler = CheckingHandler.For(seen);
        handler.PerProducer = true;
        var p = Processor(ring, ring.NewBarrier(), handler, "mp");
        ring.AddGatingSequences(p.Sequence);
        p.Start();
        var producers = Enumerable.Range(0, 3).Select(id => new Thread(() => Publish(ring, perProducer, id, batch: id == 2 ? 8 : 1))).ToArray();
        foreach (var t in producers)
        {
            t.Start();
        }

        foreach (var t in producers)
        {
            Assert.True(t.Join(WaitLimit));
        }

        Assert.True(p.DrainAndHalt(WaitLimit));
        AssertAllSeen(seen, 3 * perProducer);
        Assert.All(seen.PerProducerNext.Take(3), next => Assert.Equal(perProducer, next));
    }

    [Theory]
    [InlineData(2, false)]
    [InlineData(4, false)]
    [InlineData(2, true)]
    [InlineData(4, true)]
    public void Tiny_rings_wrap_many_times_without_overwriting(int size, bool multi)
    {
        const long count = 200_000;
        var wait = new YieldingWaitStrategy();
        var ring = multi ? RingBuffer<TestEvent>.CreateMultiProducer(size, wait) : RingBuffer<TestEvent>.CreateSingleProducer(size, wait);
        var seen = new Observed();
        var p = Processor(ring, ring.NewBarrier(), CheckingHandler.For(seen), "tiny");
        ring.AddGatingSequences(p.Sequence);
        p.Start();
        Publish(ring, count);
        Assert.True(p.DrainAndHalt(WaitLimit));
        AssertAllSeen(seen, count);
    }

    [Fact]
    public void A_slow_consumer_gates_a_fast_producer()
    {
        const long count = 50_000;
        var ring = RingBuffer<TestEvent>.CreateSingleProducer(8, new BlockingWaitStrategy());
        var seen = new Observed();
        var handler = CheckingHandler.For(seen);
        handler.SlowEvery = 3;
        var p = Processor(ring, ring.NewBarrier(), handler, "slow");
        ring.AddGatingSequences(p.Sequence);
        p.Start();
        Publish(ring, count);
        Assert.True(p.DrainAndHalt(WaitLimit));
        AssertAllSeen(seen, count); // a lapped slot would hold value sequence+8 and fail the check
    }

    [Fact]
    public void TryNext_refuses_when_the_ring_is_full()
    {
        var ring = RingBuffer<TestEvent>.CreateSingleProducer(4, new BlockingWaitStrategy());
        var gate = new Sequence();
        ring.AddGatingSequences(gate);
        for (var i = 0; i < 4; i++)
        {
            Assert.True(ring.TryNext(out var s));
            ring.Publish(s);
        }

        Assert.False(ring.TryNext(out _));
        gate.SetValue(0);
        Assert.True(ring.TryNext(out var next));
        Assert.Equal(4, next);

        var multi = RingBuffer<TestEvent>.CreateMultiProducer(2, new BlockingWaitStrategy());
        multi.AddGatingSequences(new Sequence());
        Assert.True(multi.TryNext(out _));
        Assert.True(multi.TryNext(out _));
        Assert.False(multi.TryNext(out _));
    }
}
