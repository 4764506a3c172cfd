namespace UpbitHft.Engine.Ring;

/// <summary>
/// Waits on a monitor until a producer signals. Producers only take the lock when a waiter said it is about to
/// sleep (<c>_signalNeeded</c>), so a publish with nobody waiting costs one interlocked exchange. Waiting on
/// dependencies (other consumers, not the producer) spins and yields, as those gaps are short.
/// </summary>
public sealed class BlockingWaitStrategy(IdleRehearsal? rehearsal = null) : IWaitStrategy
{
    // A plain object, not System.Threading.Lock: Monitor.Wait/PulseAll need a monitor.
    private readonly object _gate = new();
    private readonly int _parkMs = Math.Min(rehearsal?.ParkMs ?? 50, 50); // also the backstop for a missed wake-up
    private int _signalNeeded;

    /// <inheritdoc/>
    public long WaitFor(long sequence, Sequence cursor, Sequence[] dependents, SequenceBarrier barrier)
    {
        while (cursor.Value < sequence)
        {
            var parkedOut = false;
            lock (_gate)
            {
                while (cursor.Value < sequence)
                {
                    if (barrier.IsAlerted)
                    {
                        return SequenceBarrier.Alerted;
                    }

                    // Announce before re-checking: a producer that publishes after this store will see it and pulse.
                    Interlocked.Exchange(ref _signalNeeded, 1);
                    if (cursor.Value >= sequence)
                    {
                        break;
                    }

                    // The timeout bounds the cost of any missed wake-up (it cannot happen by construction, but a halt
                    // from another thread is also noticed within it); with a rehearsal, it is the rehearsal's period.
                    if (!Monitor.Wait(_gate, _parkMs) && rehearsal is not null)
                    {
                        // Not waiting while it rehearses: a producer need not take the lock to wake it (the flag is
                        // set again, and the cursor read again, before the next wait).
                        Interlocked.Exchange(ref _signalNeeded, 0);
                        parkedOut = true;
                        break;
                    }
                }
            }

            if (parkedOut && cursor.Value < sequence)
            {
                rehearsal!.RunIfDue(); // outside the lock: a producer's signal never waits behind a rehearsal
            }
        }

        long available;
        var spinner = default(SpinWait);
        while ((available = WaitStrategies.Available(cursor, dependents)) < sequence)
        {
            if (barrier.IsAlerted)
            {
                return SequenceBarrier.Alerted;
            }

            spinner.SpinOnce(sleep1Threshold: -1);
        }

        return available;
    }

    /// <inheritdoc/>
    public void SignalAllWhenBlocking()
    {
        // Store-load fence: the cursor store that precedes this call must be globally visible before the flag is
        // read, or a waiter that set the flag and then read the old cursor could sleep through the publish.
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref _signalNeeded) != 0 && Interlocked.Exchange(ref _signalNeeded, 0) != 0)
        {
            lock (_gate)
            {
                Monitor.PulseAll(_gate);
            }
        }
    }
}
