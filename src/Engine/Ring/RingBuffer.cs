using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace UpbitHft.Engine.Ring;

/// <summary>
/// A power-of-two ring of preallocated struct events, accessed by <c>ref</c> by sequence. The array carries padding
/// slots at both ends so the first and last events never share a cache line with other objects; indexing goes
/// through <see cref="MemoryMarshal.GetArrayDataReference{T}(T[])"/> with a mask, so there is no bounds check.
/// </summary>
/// <typeparam name="T">The event struct; slots are reused and overwritten in place.</typeparam>
public sealed class RingBuffer<T>
    where T : struct
{
    private readonly T[] _entries;
    private readonly int _pad;
    private readonly long _mask;
    private readonly Sequencer _sequencer;

    private RingBuffer(Sequencer sequencer)
    {
        _sequencer = sequencer;
        var size = Unsafe.SizeOf<T>();
        _pad = Math.Max(1, (128 + size - 1) / size);
        _entries = new T[sequencer.BufferSize + (2 * _pad)];
        _mask = sequencer.BufferSize - 1;

        // A write to every page now: the runtime hands a large array over with its pages untouched, and the first lap
        // would otherwise take a page fault every few slots on the producer's and the consumer's threads — on the
        // first orders of a live run (the gateway ring) and inside a replay's measured time (the engine ring).
        _entries.AsSpan().Clear();
    }

    /// <summary>A ring that exactly one thread publishes into.</summary>
    public static RingBuffer<T> CreateSingleProducer(int bufferSize, IWaitStrategy waitStrategy)
    {
        Sequencer.ValidateBufferSize(bufferSize);
        return new RingBuffer<T>(new SingleProducerSequencer(bufferSize, waitStrategy));
    }

    /// <summary>A ring that several threads publish into.</summary>
    public static RingBuffer<T> CreateMultiProducer(int bufferSize, IWaitStrategy waitStrategy)
    {
        Sequencer.ValidateBufferSize(bufferSize);
        return new RingBuffer<T>(new MultiProducerSequencer(bufferSize, waitStrategy));
    }

    /// <summary>A ring built from validated options.</summary>
    public static RingBuffer<T> Create(RingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var wait = WaitStrategies.Create(options.WaitStrategy, options.Rehearsal);
        return options.MultiProducer ? CreateMultiProducer(options.Size, wait) : CreateSingleProducer(options.Size, wait);
    }

    /// <summary>Slots in the ring.</summary>
    public int BufferSize => _sequencer.BufferSize;

    /// <summary>The sequencer (cursor, gating, publication).</summary>
    public Sequencer Sequencer => _sequencer;

    /// <summary>The producer cursor.</summary>
    public long Cursor => _sequencer.Cursor.Value;

    /// <summary>The slot for <paramref name="sequence"/>.</summary>
    public ref T this[long sequence]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_entries), (nint)(_pad + (sequence & _mask)));
    }

    /// <summary>Claims the next slot (waiting while full). Write it, then <see cref="Publish(long)"/> it — or use <see cref="Claim"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long Next() => _sequencer.Next(1);

    /// <summary>Claims <paramref name="n"/> slots; returns the highest (the lowest is that − n + 1).</summary>
    public long Next(int n) => _sequencer.Next(n);

    /// <summary>Claims a slot without waiting; false when the ring is full.</summary>
    public bool TryNext(out long sequence) => _sequencer.TryNext(1, out sequence);

    /// <summary>Publishes a claimed slot.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Publish(long sequence) => _sequencer.Publish(sequence);

    /// <summary>Publishes claimed slots <paramref name="lo"/>..<paramref name="hi"/>.</summary>
    public void Publish(long lo, long hi) => _sequencer.Publish(lo, hi);

    /// <summary>Claims one slot inside a scope that publishes it on dispose: <c>using (var c = ring.Claim()) { c.Event.X = …; }</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ClaimScope Claim() => new(this, _sequencer.Next(1));

    /// <summary>Claims <paramref name="n"/> slots inside a scope that publishes them all on dispose.</summary>
    public BatchClaimScope ClaimBatch(int n)
    {
        var hi = _sequencer.Next(n);
        return new BatchClaimScope(this, hi - n + 1, hi);
    }

    /// <summary>A barrier for a consumer that waits for the producer and for <paramref name="dependsOn"/>.</summary>
    public SequenceBarrier NewBarrier(params Sequence[] dependsOn) => new(_sequencer, dependsOn);

    /// <summary>Makes the producer wait for these (last) consumers.</summary>
    public void AddGatingSequences(params Sequence[] sequences) => _sequencer.AddGatingSequences(sequences);

    /// <summary>One claimed slot; publishing happens in <see cref="Dispose"/>, so it cannot be forgotten.</summary>
    public readonly ref struct ClaimScope
    {
        private readonly RingBuffer<T> _ring;

        internal ClaimScope(RingBuffer<T> ring, long sequence)
        {
            _ring = ring;
            Sequence = sequence;
        }

        /// <summary>The claimed sequence.</summary>
        public long Sequence { get; }

        /// <summary>The claimed slot.</summary>
        public ref T Event => ref _ring[Sequence];

        /// <summary>Publishes the slot.</summary>
        public void Dispose() => _ring.Publish(Sequence);
    }

    /// <summary>Claimed slots <see cref="Lo"/>..<see cref="Hi"/>, all published on dispose.</summary>
    public readonly ref struct BatchClaimScope
    {
        private readonly RingBuffer<T> _ring;

        internal BatchClaimScope(RingBuffer<T> ring, long lo, long hi)
        {
            _ring = ring;
            Lo = lo;
            Hi = hi;
        }

        /// <summary>First claimed sequence.</summary>
        public long Lo { get; }

        /// <summary>Last claimed sequence.</summary>
        public long Hi { get; }

        /// <summary>The slot of claimed sequence <paramref name="sequence"/>.</summary>
        public ref T this[long sequence] => ref _ring[sequence];

        /// <summary>Publishes every claimed slot.</summary>
        public void Dispose() => _ring.Publish(Lo, Hi);
    }
}
