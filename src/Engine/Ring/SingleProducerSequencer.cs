using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace UpbitHft.Engine.Ring;

/// <summary>
/// The sequencer for a ring with exactly one publishing thread. The claim fast path is two plain loads, a compare
/// and a plain store on fields only the producer touches: no atomic operation, no read of another thread's line.
/// Only when the cached view of the slowest consumer says the ring may be full does it read the gating sequences
/// (out of line).
/// </summary>
public sealed class SingleProducerSequencer : Sequencer
{
    // Producer-only state, padded so the consumers' lines never share it.
    private ProducerState _state;

    /// <summary>Creates the sequencer.</summary>
    public SingleProducerSequencer(int bufferSize, IWaitStrategy waitStrategy)
        : base(bufferSize, waitStrategy)
    {
        _state.NextValue = Sequence.InitialValue;
        _state.CachedGating = Sequence.InitialValue;
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public override long Next(int n)
    {
        var next = _state.NextValue + n;
        var wrapPoint = next - BufferSize;
        if (wrapPoint > _state.CachedGating || _state.CachedGating > _state.NextValue)
        {
            WaitForCapacity(wrapPoint, n);
        }

        _state.NextValue = next;
        return next;
    }

    /// <inheritdoc/>
    public override bool TryNext(int n, out long sequence)
    {
        var next = _state.NextValue + n;
        var wrapPoint = next - BufferSize;
        if (wrapPoint > _state.CachedGating || _state.CachedGating > _state.NextValue)
        {
            Interlocked.MemoryBarrier(); // store-load: our published cursor before we read the consumers
            var min = Sequence.Minimum(GatingSequences, _state.NextValue);
            _state.CachedGating = min;
            if (wrapPoint > min)
            {
                sequence = -1;
                return false;
            }
        }

        _state.NextValue = next;
        sequence = next;
        return true;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void WaitForCapacity(long wrapPoint, int n)
    {
        if (n < 1 || n > BufferSize)
        {
            throw new ArgumentOutOfRangeException(nameof(n), n, "A claim must be for 1..BufferSize slots.");
        }

        Interlocked.MemoryBarrier(); // store-load: our published cursor before we read the consumers
        var spinner = default(SpinWait);
        long min;
        while (wrapPoint > (min = Sequence.Minimum(GatingSequences, _state.NextValue)))
        {
            // The ring is full: the slowest consumer has not freed the slot. Back off without burning the consumer's core.
            spinner.SpinOnce(sleep1Threshold: -1);
        }

        _state.CachedGating = min;
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public override void Publish(long sequence)
    {
        Cursor.SetValue(sequence);
        WaitStrategy.SignalAllWhenBlocking();
    }

    /// <inheritdoc/>
    public override void Publish(long lo, long hi) => Publish(hi);

    /// <inheritdoc/>
    public override bool IsAvailable(long sequence) => sequence <= Cursor.Value;

    /// <inheritdoc/>
    public override long GetHighestPublishedSequence(long lowerBound, long availableSequence) => availableSequence;

    [StructLayout(LayoutKind.Explicit, Size = 192)]
    private struct ProducerState
    {
        [FieldOffset(64)]
        public long NextValue;

        [FieldOffset(72)]
        public long CachedGating;
    }
}
