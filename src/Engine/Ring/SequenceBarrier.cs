namespace UpbitHft.Engine.Ring;

/// <summary>
/// What a consumer waits on: the producer's cursor and, for a consumer later in a pipeline, the sequences of the
/// consumers it depends on (it never passes them). Can be alerted to stop a waiting consumer (halt).
/// </summary>
public sealed class SequenceBarrier
{
    /// <summary>Returned by <see cref="WaitFor"/> when the barrier was alerted.</summary>
    public const long Alerted = long.MinValue;

    private readonly Sequencer _sequencer;
    private readonly Sequence[] _dependents;
    private volatile bool _alerted;

    internal SequenceBarrier(Sequencer sequencer, Sequence[] dependents)
    {
        _sequencer = sequencer;
        _dependents = dependents;
    }

    /// <summary>Whether <see cref="Alert"/> was called (and not cleared).</summary>
    public bool IsAlerted => _alerted;

    /// <summary>
    /// Waits for <paramref name="sequence"/>; returns the highest sequence that is published, contiguous and processed by
    /// every dependency — possibly more than asked (a batch) — or <see cref="Alerted"/>.
    /// </summary>
    public long WaitFor(long sequence)
    {
        if (_alerted)
        {
            return Alerted;
        }

        var available = _sequencer.WaitStrategy.WaitFor(sequence, _sequencer.Cursor, _dependents, this);
        if (available < sequence)
        {
            return available;
        }

        return _sequencer.GetHighestPublishedSequence(sequence, available);
    }

    /// <summary>Wakes the consumer waiting on this barrier and makes it return <see cref="Alerted"/>.</summary>
    public void Alert()
    {
        _alerted = true;
        _sequencer.WaitStrategy.SignalAllWhenBlocking();
    }

    /// <summary>Clears the alert (before a restart).</summary>
    public void ClearAlert() => _alerted = false;
}
