using System.Runtime.CompilerServices;

namespace UpbitHft.Engine.Ring;

/// <summary>
/// A sequence number shared between threads, padded to its own cache line. Reads are acquire (Volatile.Read)
/// and <see cref="SetValue"/> is a release store: a consumer that sees sequence n also sees every write made to the
/// slots up to n before it was published. That is the whole contract of the ring; x86 would forgive a plain store,
/// ARM would not.
/// </summary>
public sealed class Sequence
{
    /// <summary>The value of a sequence before anything was published.</summary>
    public const long InitialValue = -1;

    private PaddedLong _value;

    /// <summary>Creates a sequence starting at <paramref name="initialValue"/>.</summary>
    public Sequence(long initialValue = InitialValue)
    {
        _value.Value = initialValue;
    }

    /// <summary>Acquire read.</summary>
    public long Value
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Volatile.Read(ref _value.Value);
    }

    /// <summary>Release store: everything written before it is visible to a thread that reads this value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void SetValue(long value) => Volatile.Write(ref _value.Value, value);

    /// <summary>Store followed by a full fence (store-load ordering), for the rare places that need it.</summary>
    public void SetValueVolatile(long value) => Interlocked.Exchange(ref _value.Value, value);

    /// <summary>Atomic compare-and-set.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool CompareAndSet(long expected, long value) => Interlocked.CompareExchange(ref _value.Value, value, expected) == expected;

    /// <summary>Atomic add, returning the new value.</summary>
    public long AddAndGet(long delta) => Interlocked.Add(ref _value.Value, delta);

    /// <inheritdoc/>
    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The smallest value of <paramref name="sequences"/>, or <paramref name="minimum"/> when that is smaller or the array is empty.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long Minimum(Sequence[] sequences, long minimum = long.MaxValue)
    {
        for (var i = 0; i < sequences.Length; i++)
        {
            var v = sequences[i].Value;
            if (v < minimum)
            {
                minimum = v;
            }
        }

        return minimum;
    }
}
