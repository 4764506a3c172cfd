namespace UpbitHft.Engine.Ring;

/// <summary>How a consumer waits for a sequence to be published (and for the consumers it depends on).</summary>
public interface IWaitStrategy
{
    /// <summary>
    /// Waits until <paramref name="sequence"/> is published and every dependency has processed it; returns the highest
    /// sequence available (≥ <paramref name="sequence"/>), or <see cref="SequenceBarrier.Alerted"/> when the barrier
    /// was alerted (halt). Never throws for an alert: halting is not an exceptional path.
    /// </summary>
    long WaitFor(long sequence, Sequence cursor, Sequence[] dependents, SequenceBarrier barrier);

    /// <summary>Wakes blocked waiters after a publish (a no-op for strategies that never block).</summary>
    void SignalAllWhenBlocking();
}
