using System.Runtime.CompilerServices;

namespace UpbitHft.Engine.Ring;

/// <summary>
/// The sequencer for rings several threads publish into (market feed, private feed, gateway responses, timers).
/// Claims are a CAS on the cursor; since slots can then be published out of order, each slot has an availability
/// flag (the lap number of its sequence) written with release semantics, and consumers only advance over a
/// contiguous run of published slots.
/// </summary>
public sealed class MultiProducerSequencer : Sequencer
{
    private readonly int[] _available;
    private readonly int _indexMask;
    private readonly int _indexShift;
    private readonly Sequence _gatingCache = new();

    /// <summary>Creates the sequencer.</summary>
    public MultiProducerSequencer(int bufferSize, IWaitStrategy waitStrategy)
        : base(bufferSize, waitStrategy)
    {
        _available = new int[bufferSize];
        _available.AsSpan().Fill(-1);
        _indexMask = bufferSize - 1;
        _indexShift = System.Numerics.BitOperations.Log2((uint)bufferSize);
    }

    /// <inheritdoc/>
    public override long Next(int n)
    {
        if (n < 1 || n > BufferSize)
        {
            throw new ArgumentOutOfRangeException(nameof(n), n, "A claim must be for 1..BufferSize slots.");
        }

        var spinner = default(SpinWait);
        while (true)
        {
            var current = Cursor.Value;
            var next = current + n;
            var wrapPoint = next - BufferSize;
            var cachedGating = _gatingCache.Value;
            if (wrapPoint > cachedGating || cachedGating > current)
            {
                var gating = Sequence.Minimum(GatingSequences, current);
                if (wrapPoint > gating)
                {
                    spinner.SpinOnce(sleep1Threshold: -1); // full: wait for the slowest consumer
                    continue;
                }

                _gatingCache.SetValue(gating);
            }
            else if (Cursor.CompareAndSet(current, next))
            {
                return next;
            }
        }
    }

    /// <inheritdoc/>
    public override bool TryNext(int n, out long sequence)
    {
        while (true)
        {
            var current = Cursor.Value;
            var next = current + n;
            if (next - BufferSize > Sequence.Minimum(GatingSequences, current))
            {
                sequence = -1;
                return false;
            }

            if (Cursor.CompareAndSet(current, next))
            {
                sequence = next;
                return true;
            }
        }
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public override void Publish(long sequence)
    {
        SetAvailable(sequence);
        WaitStrategy.SignalAllWhenBlocking();
    }

    /// <inheritdoc/>
    public override void Publish(long lo, long hi)
    {
        for (var s = lo; s <= hi; s++)
        {
            SetAvailable(s);
        }

        WaitStrategy.SignalAllWhenBlocking();
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public override bool IsAvailable(long sequence) =>
        Volatile.Read(ref _available[(int)sequence & _indexMask]) == (int)(sequence >>> _indexShift);

    /// <inheritdoc/>
    public override long GetHighestPublishedSequence(long lowerBound, long availableSequence)
    {
        for (var s = lowerBound; s <= availableSequence; s++)
        {
            if (!IsAvailable(s))
            {
                return s - 1;
            }
        }

        return availableSequence;
    }

    // Release store: the slot's contents are visible before its flag says "published for this lap".
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void SetAvailable(long sequence) =>
        Volatile.Write(ref _available[(int)sequence & _indexMask], (int)(sequence >>> _indexShift));
}
