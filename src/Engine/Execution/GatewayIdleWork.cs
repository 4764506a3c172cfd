using UpbitHft.Engine.Ring;
using UpbitHft.Feed.Events;
using UpbitHft.Gateway.Orders;

namespace UpbitHft.Engine.Execution;

/// <summary>
/// What the gateway thread does while it waits for orders (run by its wait strategy through an
/// <see cref="IdleRehearsal"/>): sign the next of the engine's newest foreseen entries ahead (<see cref="EntryHints"/>,
/// <see cref="Gateway.Signing.PresignedOrders"/>), and otherwise, at most once per rehearsal period, rehearse (sign an
/// order it never sends, so the code stays hot). One signing per turn, so an order that arrives meanwhile waits for
/// at most one; a newer set replaces what is left of an older one.
/// </summary>
public sealed class GatewayIdleWork
{
    /// <summary>How often at most a parked gateway thread looks for foreseen entries.</summary>
    public static readonly TimeSpan HintLook = TimeSpan.FromMilliseconds(1);

    private readonly EntryHints? _hints;
    private readonly Func<OrderCommand, bool> _presign;
    private readonly Action? _rehearse;
    private readonly long _rehearseEveryNs;
    private EntryHint[] _read = new EntryHint[EntryHints.MaxHints];
    private EntryHint[] _scratch = new EntryHint[EntryHints.MaxHints];
    private long _lastRehearsalNs = long.MinValue / 2;
    private long _seen;
    private int _count;
    private int _next;

    /// <param name="hints">The engine's foreseen entries; null: nothing is signed ahead.</param>
    /// <param name="presign">Signs one foreseen market buy ahead and keeps it (the gateway's <c>Presign</c>).</param>
    /// <param name="rehearse">The rehearsal; null for none.</param>
    /// <param name="rehearseEvery">The shortest time between two rehearsals.</param>
    public GatewayIdleWork(EntryHints? hints, Func<OrderCommand, bool> presign, Action? rehearse, TimeSpan rehearseEvery)
    {
        ArgumentNullException.ThrowIfNull(presign);
        _hints = hints;
        _presign = presign;
        _rehearse = rehearse;
        _rehearseEveryNs = (long)(rehearseEvery.TotalMicroseconds * 1_000);
    }

    /// <summary>Foreseen entries handed to the gateway to sign ahead and taken (or already kept as asked) (the gateway thread; racy reads).</summary>
    public long SignedAhead { get; private set; }

    /// <summary>Whether a foreseen entry waits to be signed (a read or two: checked on every idle turn).</summary>
    public bool HasWork => _next < _count || (_hints?.IsNewerThan(_seen) ?? false);

    /// <summary>
    /// The gateway thread's idle work for a live run, or null when there is none: foreseen entries signed ahead when
    /// <paramref name="hints"/> is given (looked for at once while the thread spins, and at least every
    /// <see cref="HintLook"/> while it is parked), a rehearsal every <paramref name="rehearseEvery"/> when
    /// <paramref name="rehearse"/> is given and the period is not zero. A failure is reported once through
    /// <paramref name="onFailure"/> and turns the idle work off: orders are then signed as they come.
    /// </summary>
    public static IdleRehearsal? Create(EntryHints? hints, Func<OrderCommand, bool> presign, Action? rehearse, TimeSpan rehearseEvery, Action<Exception>? onFailure)
    {
        rehearse = rehearseEvery > TimeSpan.Zero ? rehearse : null;
        if (hints is null && rehearse is null)
        {
            return null;
        }

        var work = new GatewayIdleWork(hints, presign, rehearse, rehearseEvery);
        var every = hints is null ? rehearseEvery : (rehearse is null || rehearseEvery > HintLook ? HintLook : rehearseEvery);
        return new IdleRehearsal(work.Run, every, onFailure, hints is null ? null : () => work.HasWork);
    }

    /// <summary>One turn of idle work. The gateway thread only.</summary>
    public void Run()
    {
        if (_hints is not null && _hints.IsNewerThan(_seen))
        {
            if (!_hints.TryRead(_scratch, ref _seen, out var n))
            {
                return; // being written: look again at the next turn (no rehearsal in its place)
            }

            (_read, _scratch) = (_scratch, _read);
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

        var now = LatencyClock.NowNs();
        if (_rehearse is not null && now - _lastRehearsalNs >= _rehearseEveryNs)
        {
            _lastRehearsalNs = now;
            _rehearse();
        }
    }
}
