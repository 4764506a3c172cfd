namespace UpbitHft.Engine.Metrics;

/// <summary>
/// Latency samples (ns) handed from one writer thread — the engine thread — to the metrics exporter, which turns them
/// into the Prometheus histograms' buckets, sum and count exactly. The writer stores the sample in a preallocated ring
/// and publishes its count with a release store: no allocation, no lock, no interlocked instruction. The reader keeps
/// its own position; samples the writer overwrote before they were read (more than <see cref="Capacity"/> between two
/// drains; the exporter drains every 250 ms) are counted in <see cref="Lost"/>.
/// </summary>
public sealed class LatencySamples
{
    private readonly long[] _samples;
    private readonly int _mask;
    private long _written;
    private long _read;

    /// <summary>A ring of <paramref name="capacity"/> samples (a power of two).</summary>
    public LatencySamples(int capacity = 65_536)
    {
        if (capacity < 2 || (capacity & (capacity - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "a power of two of at least 2");
        }

        _samples = new long[capacity];
        _mask = capacity - 1;
    }

    /// <summary>Samples the ring holds between two drains.</summary>
    public int Capacity => _samples.Length;

    /// <summary>Samples recorded so far (any thread).</summary>
    public long Written => Volatile.Read(ref _written);

    /// <summary>Samples overwritten before the reader got to them (reader's count).</summary>
    public long Lost { get; private set; }

    /// <summary>Records one sample. The one writer thread only.</summary>
    public void Record(long ns)
    {
        var n = _written;
        _samples[n & _mask] = ns;
        Volatile.Write(ref _written, n + 1);
    }

    /// <summary>
    /// Hands every sample recorded since the last drain to <paramref name="sink"/>, oldest first, and returns how many.
    /// The one reader only (callers serialise).
    /// </summary>
    public int Drain(Action<long> sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        var end = Volatile.Read(ref _written);
        var start = _read;
        if (end - start > _samples.Length)
        {
            Lost += end - start - _samples.Length;
            start = end - _samples.Length;
        }

        for (var i = start; i < end; i++)
        {
            sink(_samples[i & _mask]);
        }

        _read = end;
        return (int)(end - start);
    }
}
