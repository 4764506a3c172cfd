using System.Runtime.CompilerServices;

namespace UpbitHft.Engine.Ring;

/// <summary>The wait strategies the options can name.</summary>
public enum WaitStrategyKind
{
    /// <summary>Wakes on a signal: no core burnt while idle, but an OS wake-up per lull (≈ 40 µs round trip measured here). For shared boxes.</summary>
    Blocking,

    /// <summary>Spins briefly, then yields, then sleeps 1 ms: gentle on a shared machine, slow to wake after a lull.</summary>
    Sleeping,

    /// <summary>Spins briefly, then yields its time slice: sub-µs hand-off, never starves another runnable thread (it yields), shows one core busy while idle. The default.</summary>
    Yielding,

    /// <summary>Spins without yielding: lowest latency, one core pinned at 100 %. Only on a box with isolated cores.</summary>
    BusySpin,

    /// <summary>Spins 50 µs after the last event, then parks: spin-speed bursts, nothing burnt while idle. The gateway thread's default.</summary>
    SpinThenBlock,
}

/// <summary>Creates wait strategies by kind.</summary>
public static class WaitStrategies
{
    /// <summary>
    /// The default: yielding. On this project's 2-core machines it hands off in ~0.2 µs (ring-latency harness) and,
    /// unlike busy-spin, gives its slice to the feed or gateway thread whenever they are runnable, so nothing starves.
    /// Blocking costs an OS wake-up (~40 µs); busy-spin needs a core of its own.
    /// </summary>
    public const WaitStrategyKind Default = WaitStrategyKind.Yielding;

    /// <summary>A new strategy of <paramref name="kind"/>, repeating <paramref name="rehearsal"/> while it waits (when given).</summary>
    public static IWaitStrategy Create(WaitStrategyKind kind, IdleRehearsal? rehearsal = null) => kind switch
    {
        WaitStrategyKind.BusySpin => new BusySpinWaitStrategy(rehearsal),
        WaitStrategyKind.Yielding => new YieldingWaitStrategy(rehearsal),
        WaitStrategyKind.Sleeping => new SleepingWaitStrategy(rehearsal),
        WaitStrategyKind.Blocking => new BlockingWaitStrategy(rehearsal),
        WaitStrategyKind.SpinThenBlock => new SpinThenBlockWaitStrategy(SpinThenBlockWaitStrategy.DefaultSpin, rehearsal),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown wait strategy."),
    };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static long Available(Sequence cursor, Sequence[] dependents) =>
        dependents.Length == 0 ? cursor.Value : Sequence.Minimum(dependents);
}

/// <summary>Spins on the sequence with a CPU pause hint. Use only with a core to spare for each spinning consumer.</summary>
public sealed class BusySpinWaitStrategy(IdleRehearsal? rehearsal = null) : IWaitStrategy
{
    /// <inheritdoc/>
    public long WaitFor(long sequence, Sequence cursor, Sequence[] dependents, SequenceBarrier barrier)
    {
        long available;
        while ((available = WaitStrategies.Available(cursor, dependents)) < sequence)
        {
            if (barrier.IsAlerted)
            {
                return SequenceBarrier.Alerted;
            }

            rehearsal?.RunIfDue();
            Thread.SpinWait(1);
        }

        return available;
    }

    /// <inheritdoc/>
    public void SignalAllWhenBlocking()
    {
    }
}

/// <summary>Spins 100 times, then yields the time slice each round.</summary>
public sealed class YieldingWaitStrategy(IdleRehearsal? rehearsal = null) : IWaitStrategy
{
    private const int SpinTries = 100;

    /// <inheritdoc/>
    public long WaitFor(long sequence, Sequence cursor, Sequence[] dependents, SequenceBarrier barrier)
    {
        var counter = SpinTries;
        long available;
        while ((available = WaitStrategies.Available(cursor, dependents)) < sequence)
        {
            if (barrier.IsAlerted)
            {
                return SequenceBarrier.Alerted;
            }

            if (counter > 0)
            {
                counter--;
                Thread.SpinWait(1);
            }
            else
            {
                rehearsal?.RunIfDue();
                Thread.Yield();
            }
        }

        return available;
    }

    /// <inheritdoc/>
    public void SignalAllWhenBlocking()
    {
    }
}

/// <summary>Spins, then yields, then sleeps 1 ms per round.</summary>
public sealed class SleepingWaitStrategy(IdleRehearsal? rehearsal = null) : IWaitStrategy
{
    private const int Retries = 200;

    /// <inheritdoc/>
    public long WaitFor(long sequence, Sequence cursor, Sequence[] dependents, SequenceBarrier barrier)
    {
        var counter = Retries;
        long available;
        while ((available = WaitStrategies.Available(cursor, dependents)) < sequence)
        {
            if (barrier.IsAlerted)
            {
                return SequenceBarrier.Alerted;
            }

            if (counter > 100)
            {
                counter--;
                Thread.SpinWait(1);
            }
            else if (counter > 0)
            {
                counter--;
                Thread.Yield();
            }
            else
            {
                rehearsal?.RunIfDue();
                Thread.Sleep(1);
            }
        }

        return available;
    }

    /// <inheritdoc/>
    public void SignalAllWhenBlocking()
    {
    }
}
