using UpbitHft.Gateway.Errors;
using UpbitHft.Gateway.Orders;

namespace UpbitHft.Gateway.Signing;

/// <summary>
/// Create requests signed before they are needed. The engine knows its next entry before the tick that triggers it:
/// the market (a candidate), the amount (its share of capital) and the intent id (the next one). It posts that to the
/// gateway thread, which signs the request while it waits for orders (<see cref="UpbitOrderGateway.Presign"/>); when
/// the order comes, exactly as foreseen, its signed bytes are copied instead of signed again (≈ 3 µs of hashing off
/// the order's path, perf-reports/latency.md §3).
/// </summary>
/// <remarks>
/// <para>
/// Safe because Upbit's JWT carries no time (access key, nonce, query hash): a request signed a minute ago is as good
/// as one signed now. Each kept request has its own random nonce and is taken at most once; one that is never taken
/// is simply dropped — an unsent nonce commits to nothing. A command that differs in anything the request carries
/// (kind, intent, market, amount, volume, price) or under another identifier is signed afresh as before.
/// </para>
/// <para>
/// One thread owns the kept requests: the first to <see cref="Keep"/> one (the gateway thread). <see cref="TryTake"/> on
/// any other thread (a retry on a pool thread) finds nothing, so no lock is needed. (A managed thread id can be reused
/// once its thread has ended; such a thread could only take a request whose identifier it asks for exactly.)
/// </para>
/// </remarks>
public sealed class PresignedOrders
{
    /// <summary>
    /// Requests kept at most: twice the foreseen entries the engine posts at once (4), so signing a new set never pushes
    /// out a member of the set before it (the least recently kept go first).
    /// </summary>
    public const int Capacity = 8;

    private readonly Entry[] _entries = [new(), new(), new(), new(), new(), new(), new(), new()];
    private int _owner;
    private long _stamps;
    private long _kept;
    private long _taken;
    private long _dropped;

    /// <summary>Requests signed ahead, taken by an order, and dropped unused (any thread; racy reads for reports).</summary>
    public (long Kept, long Taken, long Dropped) Counts => (Volatile.Read(ref _kept), Volatile.Read(ref _taken), Volatile.Read(ref _dropped));

    /// <summary>
    /// Signs <paramref name="command"/> (a create) under <paramref name="identifier"/> with <paramref name="signer"/> and
    /// keeps it, in place of a kept request of the same market, else in a free place, else in place of the least recently
    /// kept one. A request already kept exactly so is not signed again. False when the signer refused it (nothing kept)
    /// or when called on a thread other than the owner's.
    /// </summary>
    public bool Keep(OrderRequestSigner signer, in OrderCommand command, ReadOnlySpan<byte> identifier, out UpbitError? refused)
    {
        ArgumentNullException.ThrowIfNull(signer);
        refused = null;
        var me = Environment.CurrentManagedThreadId;
        if (_owner == 0)
        {
            _owner = me;
        }
        else if (_owner != me)
        {
            return false;
        }

        var slot = Slot(command);
        if (slot.Full && Same(slot.Command, command) && identifier.SequenceEqual(slot.Request.IdentifierSpan))
        {
            slot.Stamp = ++_stamps; // already kept as asked: it only counts as recent again
            return true;
        }

        if (slot.Full)
        {
            slot.Full = false;
            _dropped++;
        }

        if (!signer.TrySign(command, identifier, slot.Request, out refused))
        {
            return false;
        }

        slot.Command = command;
        slot.Stamp = ++_stamps;
        slot.Full = true;
        _kept++;
        return true;
    }

    /// <summary>
    /// On the owner's thread: when a kept request is exactly <paramref name="command"/> under <paramref name="identifier"/>,
    /// copies it into <paramref name="into"/>, forgets it, and returns true. Kept requests of an intent at or below
    /// <paramref name="command"/>'s are dropped either way: an intent is sent once, so they can never be taken.
    /// </summary>
    public bool TryTake(in OrderCommand command, ReadOnlySpan<byte> identifier, SignedOrderRequest into)
    {
        ArgumentNullException.ThrowIfNull(into);
        if (_owner != Environment.CurrentManagedThreadId || _kept == _taken + _dropped)
        {
            return false;
        }

        var found = false;
        foreach (var e in _entries)
        {
            if (!e.Full || e.Command.IntentId > command.IntentId)
            {
                continue;
            }

            e.Full = false;
            if (!found && Same(e.Command, command) && identifier.SequenceEqual(e.Request.IdentifierSpan))
            {
                found = true;
                Copy(e.Request, into);
                Volatile.Write(ref _taken, _taken + 1);
            }
            else
            {
                Volatile.Write(ref _dropped, _dropped + 1);
            }
        }

        return found;
    }

    /// <summary>Where a request for <paramref name="command"/> goes: its market's, else a free one, else the least recently kept.</summary>
    private Entry Slot(in OrderCommand command)
    {
        Entry? free = null;
        Entry? oldest = null;
        foreach (var e in _entries)
        {
            if (e.Full && e.Command.MarketId == command.MarketId)
            {
                return e;
            }

            if (!e.Full)
            {
                free ??= e;
            }
            else if (oldest is null || e.Stamp < oldest.Stamp)
            {
                oldest = e;
            }
        }

        return free ?? oldest!;
    }

    private static bool Same(in OrderCommand kept, in OrderCommand asked) =>
        kept.Kind == asked.Kind && kept.IntentId == asked.IntentId && kept.MarketId == asked.MarketId && string.Equals(kept.Market, asked.Market, StringComparison.Ordinal)
        && kept.AmountKrw == asked.AmountKrw && kept.Volume == asked.Volume && kept.Price == asked.Price;

    private static void Copy(SignedOrderRequest from, SignedOrderRequest to)
    {
        from.BodySpan.CopyTo(to.Body);
        to.BodyLength = from.BodyLength;
        from.AuthorizationSpan.CopyTo(to.Authorization);
        to.AuthorizationLength = from.AuthorizationLength;
        from.IdentifierSpan.CopyTo(to.Identifier);
        to.IdentifierLength = from.IdentifierLength;
    }

    private sealed class Entry
    {
        public readonly SignedOrderRequest Request = new();
        public OrderCommand Command;
        public long Stamp;
        public bool Full;
    }
}
