using UpbitHft.Feed.Events;

namespace UpbitHft.Engine.Ring;

/// <summary>
/// Spins for a short while after the last event, then parks on a monitor like <see cref="BlockingWaitStrategy"/>: a
/// burst is handed off at spin speed (sub-µs), and a consumer that is idle costs nothing (one OS wake-up after a
/// lull). Made for consumers of rare events next to a busy thread on few cores — the gateway thread.
/// </summary>
public sealed class SpinThenBlockWaitStrategy(TimeSpan spin, IdleRehearsal? rehearsal = null) : IWaitStrategy
{
    private readonly IdleRehearsal? _rehearsal = rehearsal;
    private readonly long _spinNs = (long)spin.TotalMicroseconds * 1_000;
    private readonly BlockingWaitStrategy _blocking = new(rehearsal);

    /// <summary>The default spin after the last event.</summary>
    public static readonly TimeSpan DefaultSpin = TimeSpan.FromMicroseconds(50);

    /// <summary>Spins <see cref="DefaultSpin"/>, then parks.</summary>
    public SpinThenBlockWaitStrategy()
        : this(DefaultSpin)
    {
    }

    /// <inheritdoc/>
    public long WaitFor(long sequence, Sequence cursor, Sequence[] dependents, SequenceBarrier barrier)
    {
        var until = 0L;
        long available;
        while ((available = WaitStrategies.Available(cursor, dependents)) < sequence)
        {
            if (barrier.IsAlerted)
            {
                return SequenceBarrier.Alerted;
            }

            var now = LatencyClock.NowNs();
            if (until == 0)
            {
                until = now + _spinNs;
            }
            else if (now > until)
            {
                return _blocking.WaitFor(sequence, cursor, dependents, barrier);
            }

            _rehearsal?.RunIfDue(); // idle work while spinning too: urgent work (a foreseen entry to sign) need not wait for a park slice
            Thread.SpinWait(4);
        }

        return available;
    }

    /// <inheritdoc/>
    public void SignalAllWhenBlocking() => _blocking.SignalAllWhenBlocking();
}
