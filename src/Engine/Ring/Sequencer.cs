namespace UpbitHft.Engine.Ring;

/// <summary>
/// Hands out slots to producers and tracks what is published. Producers never overwrite a slot that the slowest
/// gating consumer has not processed: <see cref="Next(int)"/> waits (or <see cref="TryNext(int, out long)"/> fails)
/// when the ring is full.
/// </summary>
public abstract class Sequencer
{
    private Sequence[] _gatingSequences = [];

    /// <summary>Creates a sequencer for a ring of <paramref name="bufferSize"/> slots.</summary>
    protected Sequencer(int bufferSize, IWaitStrategy waitStrategy)
    {
        BufferSize = bufferSize;
        WaitStrategy = waitStrategy;
    }

    /// <summary>Slots in the ring (a power of two).</summary>
    public int BufferSize { get; }

    /// <summary>How consumers wait for this sequencer's producers.</summary>
    public IWaitStrategy WaitStrategy { get; }

    /// <summary>The producer cursor: for a single producer the last published sequence, for several the last claimed.</summary>
    public Sequence Cursor { get; } = new();

    /// <summary>The sequences of the last consumers; the producer never laps the smallest.</summary>
    protected Sequence[] GatingSequences => Volatile.Read(ref _gatingSequences);

    /// <summary>Adds consumers the producer must not lap. Call before publishing starts.</summary>
    public void AddGatingSequences(params Sequence[] sequences)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        var cursor = Cursor.Value;
        foreach (var s in sequences)
        {
            s.SetValue(cursor);
        }

        Volatile.Write(ref _gatingSequences, [.. _gatingSequences, .. sequences]);
    }

    /// <summary>The smallest gating sequence (or the cursor when there is no consumer).</summary>
    public long MinimumGatingSequence() => Sequence.Minimum(GatingSequences, Cursor.Value);

    /// <summary>Claims the next slot, waiting while the ring is full.</summary>
    public long Next() => Next(1);

    /// <summary>Claims the next <paramref name="n"/> slots; returns the highest.</summary>
    public abstract long Next(int n);

    /// <summary>Claims <paramref name="n"/> slots without waiting; false when the ring has no room.</summary>
    public abstract bool TryNext(int n, out long sequence);

    /// <summary>Publishes one slot.</summary>
    public abstract void Publish(long sequence);

    /// <summary>Publishes slots <paramref name="lo"/>..<paramref name="hi"/>.</summary>
    public abstract void Publish(long lo, long hi);

    /// <summary>Whether <paramref name="sequence"/> is published.</summary>
    public abstract bool IsAvailable(long sequence);

    /// <summary>The highest sequence from <paramref name="lowerBound"/> up to <paramref name="availableSequence"/> that is contiguous and published.</summary>
    public abstract long GetHighestPublishedSequence(long lowerBound, long availableSequence);

    /// <summary>Free slots right now (a racy estimate for monitoring).</summary>
    public long RemainingCapacity() => BufferSize - (Cursor.Value - MinimumGatingSequence());

    /// <summary>Validates a buffer size: a power of two, 1..2^30.</summary>
    public static void ValidateBufferSize(int bufferSize)
    {
        if (bufferSize < 1 || bufferSize > (1 << 30) || (bufferSize & (bufferSize - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(bufferSize), bufferSize, "The ring size must be a power of two between 1 and 2^30 (e.g. 1024, 65536).");
        }
    }
}
