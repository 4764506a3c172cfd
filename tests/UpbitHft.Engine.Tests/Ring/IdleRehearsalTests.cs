using UpbitHft.Engine.Ring;

namespace UpbitHft.Engine.Tests.Ring;

/// <summary>Every wait strategy repeats its rehearsal while it waits, on the waiting thread, and stops when the sequence is published.</summary>
public class IdleRehearsalTests
{
    public static TheoryData<WaitStrategyKind> Kinds => [.. Enum.GetValues<WaitStrategyKind>()];

    private static (Sequence Cursor, SequenceBarrier Barrier, IWaitStrategy Wait) Ring(WaitStrategyKind kind, IdleRehearsal rehearsal)
    {
        var ring = RingBuffer<EngineEvent>.Create(new RingOptions { Size = 8, WaitStrategy = kind, MultiProducer = false, Rehearsal = rehearsal });
        var barrier = ring.NewBarrier();
        return (ring.Sequencer.Cursor, barrier, ring.Sequencer.WaitStrategy);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task The_waiting_thread_rehearses_until_the_sequence_is_published(WaitStrategyKind kind)
    {
        Sequence? cursor = null;
        IWaitStrategy? wait = null;
        var threads = new List<int>();
        var rehearsal = new IdleRehearsal(() =>
        {
            threads.Add(Environment.CurrentManagedThreadId);
            if (threads.Count == 3)
            {
                cursor!.SetValue(0); // the third rehearsal publishes: the wait must end with it
                wait!.SignalAllWhenBlocking();
            }
        }, TimeSpan.Zero);
        var (c, barrier, w) = Ring(kind, rehearsal);
        (cursor, wait) = (c, w);

        var waiter = 0;
        var available = await Task.Run(() =>
        {
            waiter = Environment.CurrentManagedThreadId;
            return w.WaitFor(0, c, [], barrier);
        }).WaitAsync(TimeSpan.FromSeconds(10)); // a strategy that never rehearsed would wait for ever

        Assert.Equal(0, available);
        Assert.Equal(3, rehearsal.Runs);
        Assert.All(threads, t => Assert.Equal(waiter, t));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Nothing_is_rehearsed_when_the_sequence_is_already_there(WaitStrategyKind kind)
    {
        var rehearsal = new IdleRehearsal(() => { }, TimeSpan.Zero);
        var (cursor, barrier, wait) = Ring(kind, rehearsal);
        cursor.SetValue(0);
        Assert.Equal(0, wait.WaitFor(0, cursor, [], barrier));
        Assert.Equal(0, rehearsal.Runs);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_rehearsal_runs_at_most_once_per_period(WaitStrategyKind kind)
    {
        var rehearsal = new IdleRehearsal(() => { }, TimeSpan.FromHours(1));
        var (cursor, barrier, wait) = Ring(kind, rehearsal);
        var waiting = Task.Run(() => wait.WaitFor(0, cursor, [], barrier));
        await UpbitHft.TestSupport.Eventually.TrueAsync(() => rehearsal.Runs == 1, TimeSpan.FromSeconds(10), "the first rehearsal, due at once");
        cursor.SetValue(0);
        wait.SignalAllWhenBlocking();
        Assert.Equal(0, await waiting.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(1, rehearsal.Runs);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_rehearsal_that_throws_ends_rehearsing_and_the_wait_still_returns_the_sequence(WaitStrategyKind kind)
    {
        var reported = new List<string>();
        var rehearsal = new IdleRehearsal(() => throw new InvalidOperationException("broken"), TimeSpan.Zero, ex => reported.Add(ex.Message));
        var (cursor, barrier, wait) = Ring(kind, rehearsal);
        var waiting = Task.Run(() => wait.WaitFor(0, cursor, [], barrier));
        await UpbitHft.TestSupport.Eventually.TrueAsync(() => rehearsal.Failures == 1, TimeSpan.FromSeconds(10), "the failure");
        cursor.SetValue(0);
        wait.SignalAllWhenBlocking();
        Assert.Equal(0, await waiting.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(0, rehearsal.Runs);
        Assert.Equal(["broken"], reported); // said once, on the waiting thread
    }

    [Fact]
    public async Task A_blocked_waiter_rehearses_outside_its_lock_so_a_publisher_never_waits_behind_it()
    {
        object? gate = null;
        var lockFree = new List<bool>();
        var cursor = new Sequence();
        IWaitStrategy? strategy = null;
        var rehearsal = new IdleRehearsal(() =>
        {
            // Another thread takes the strategy's lock (as a producer's signal does) while the rehearsal runs: were the
            // rehearsal inside the lock, it could not.
            var taken = false;
            var other = new Thread(() => // a thread of its own: a task waited on here could run inline, on this thread
            {
                taken = Monitor.TryEnter(gate!, TimeSpan.FromSeconds(5));
                if (taken)
                {
                    Monitor.Exit(gate!);
                }
            });
            other.Start();
            other.Join();
            lockFree.Add(taken);
            if (lockFree.Count == 2)
            {
                cursor.SetValue(0);
                strategy!.SignalAllWhenBlocking();
            }
        }, TimeSpan.Zero);
        strategy = new BlockingWaitStrategy(rehearsal);
        gate = typeof(BlockingWaitStrategy).GetField("_gate", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(strategy)!;
        var ring = RingBuffer<EngineEvent>.Create(new RingOptions { Size = 8, WaitStrategy = WaitStrategyKind.Blocking, MultiProducer = false });
        Assert.Equal(0, await Task.Run(() => strategy.WaitFor(0, cursor, [], ring.NewBarrier())).WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal([true, true], lockFree);
    }

    [Fact]
    public void Urgent_work_runs_at_once_and_otherwise_the_interval_holds()
    {
        var runs = 0;
        var urgent = false;
        var rehearsal = new IdleRehearsal(() => runs++, TimeSpan.FromHours(1), urgent: () => urgent);
        rehearsal.RunIfDue(); // the first is due at once
        rehearsal.RunIfDue();
        Assert.Equal(1, runs); // then not for an hour
        urgent = true;
        rehearsal.RunIfDue();
        rehearsal.RunIfDue();
        Assert.Equal(3, runs); // while the work is urgent, every idle turn
        urgent = false;
        rehearsal.RunIfDue();
        Assert.Equal(3, runs);
    }
}
