using UpbitHft.Engine.Ring;
using UpbitHft.Gateway.Orders;
using UpbitHft.Gateway.Signing;

namespace UpbitHft.Engine.Execution;

/// <summary>
/// What the gateway thread does while it waits for orders (its wait strategy's <see cref="IdleRehearsal"/>, at most
/// once per interval): sign the next of the engine's newest foreseen entries ahead (<see cref="EntryHints"/>,
/// <see cref="PresignedOrders"/>), and when there is none, rehearse (sign an order it never sends, so the code stays
/// hot). One signing per turn, so an order that arrives meanwhile waits for at most one.
/// </summary>
public sealed class GatewayIdleWork
{
    private readonly EntryHints _hints;
    private readonly Func<OrderCommand, bool> _presign;
    private readonly Action? _rehearse;
    private readonly EntryHint[] _read = new EntryHint[PresignedOrders.Capacity];
    private long _seen;
    private int _count;
    private int _next;

    /// <param name="hints">The engine's foreseen entries.</param>
    /// <param name="presign">Signs one foreseen market buy ahead and keeps it (the gateway's <c>Presign</c>).</param>
    /// <param name="rehearse">The rehearsal when nothing is left to sign ahead; null for none.</param>
    public GatewayIdleWork(EntryHints hints, Func<OrderCommand, bool> presign, Action? rehearse)
    {
        ArgumentNullException.ThrowIfNull(hints);
        ArgumentNullException.ThrowIfNull(presign);
        _hints = hints;
        _presign = presign;
        _rehearse = rehearse;
    }

    /// <summary>Foreseen entries signed ahead so far (the gateway thread; racy reads for reports).</summary>
    public long SignedAhead { get; private set; }

    /// <summary>Whether a foreseen entry waits to be signed (a read or two: checked on every idle turn).</summary>
    public bool HasWork => _next < _count || _hints.IsNewerThan(_seen);

    /// <summary>
    /// The idle work as its wait strategy runs it: every <paramref name="every"/> (1 ms when zero) while the thread
    /// waits, and at once while a foreseen entry waits to be signed (while it spins; a parked thread looks at its next
    /// slice). A failure is reported once through <paramref name="onFailure"/> and turns the idle work off: orders are
    /// then signed as they come.
    /// </summary>
    public IdleRehearsal ToRehearsal(TimeSpan every, Action<Exception>? onFailure) =>
        new(Run, every > TimeSpan.Zero ? every : TimeSpan.FromMilliseconds(1), onFailure, () => HasWork);

    /// <summary>One turn of idle work. The gateway thread only.</summary>
    public void Run()
    {
        if (_next >= _count && _hints.TryRead(_read, ref _seen, out var n))
        {
            _count = n;
            _next = 0;
        }

        if (_next < _count)
        {
            var h = _read[_next++];
            if (_presign(new OrderCommand(OrderCommandKind.MarketBuy, h.IntentId, h.MarketId, h.Market, AmountKrw: h.AmountKrw)))
            {
                SignedAhead++;
            }

            return;
        }

        _rehearse?.Invoke();
    }
}
