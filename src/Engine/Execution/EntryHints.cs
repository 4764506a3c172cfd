using UpbitHft.Gateway.Signing;

namespace UpbitHft.Engine.Execution;

/// <summary>One entry the engine expects to send: a market buy of <see cref="AmountKrw"/> in <see cref="MarketId"/> under <see cref="IntentId"/>.</summary>
public readonly record struct EntryHint(int MarketId, string Market, long IntentId, decimal AmountKrw);

/// <summary>
/// The engine's foreseen entries, for the gateway thread to sign while it waits (<see cref="PresignedOrders"/>). A
/// mailbox, not a queue: the engine posts the whole current set, replacing the last, and the gateway thread reads the
/// newest set when it is idle. Nothing goes onto the order ring (a hint never stands in front of an order) and posting
/// wakes no one (no lock, no signal on the engine thread): a parked gateway thread reads it at its next idle slice.
/// </summary>
/// <remarks>
/// A sequence lock: the engine (the only writer) makes the version odd, writes, makes it even; the gateway thread (the
/// only reader) copies the set and keeps the copy only when the version was even and unchanged around it.
/// </remarks>
public sealed class EntryHints
{
    /// <summary>Most entries in a set (the gateway keeps twice as many signed requests, so a new set never pushes out a member of the last one).</summary>
    public const int MaxHints = PresignedOrders.Capacity / 2;

    private readonly EntryHint[] _hints = new EntryHint[MaxHints];
    private int _count;
    private long _version;

    /// <summary>Sets posted so far (any thread; racy).</summary>
    public long Posted => Volatile.Read(ref _version) / 2;

    /// <summary>Engine thread: replaces the set with <paramref name="hints"/> (at most <see cref="MaxHints"/> are kept).</summary>
    public void Post(ReadOnlySpan<EntryHint> hints)
    {
        Interlocked.Increment(ref _version); // odd: a reader that overlaps this write discards what it read
        var n = Math.Min(hints.Length, _hints.Length);
        hints[..n].CopyTo(_hints);
        _count = n;
        Volatile.Write(ref _version, _version + 1);
    }

    /// <summary>Gateway thread: whether a set newer than <paramref name="seen"/> was posted and is not being written (one read).</summary>
    public bool IsNewerThan(long seen)
    {
        var version = Volatile.Read(ref _version);
        return version != seen && (version & 1) == 0;
    }

    /// <summary>
    /// Gateway thread: copies the newest set into <paramref name="into"/> when it is newer than <paramref name="seen"/>
    /// and was not being written meanwhile; then <paramref name="seen"/> is its version. False otherwise (nothing new, or
    /// try again at the next idle moment) — and <paramref name="into"/> may then hold a torn copy: read into a scratch
    /// buffer.
    /// </summary>
    public bool TryRead(Span<EntryHint> into, ref long seen, out int count)
    {
        count = 0;
        var before = Volatile.Read(ref _version);
        if (before == seen || (before & 1) != 0)
        {
            return false;
        }

        var n = Math.Min(Volatile.Read(ref _count), Math.Min(into.Length, _hints.Length));
        _hints.AsSpan(0, n).CopyTo(into);
        Interlocked.MemoryBarrier(); // the copy is complete before the version is read again
        if (Volatile.Read(ref _version) != before)
        {
            return false;
        }

        seen = before;
        count = n;
        return true;
    }
}
