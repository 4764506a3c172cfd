using UpbitHft.Gateway.Signing;

namespace UpbitHft.Engine.Execution;

/// <summary>
/// Telling the gateway the entries to expect: for each candidate market, the market buy an entry there would send
/// now (the next intent id, the amount; <see cref="Decisions.DecisionCore.TryForeseeEntries"/>), posted to
/// <see cref="EntryHints"/> so the gateway thread signs it while it waits and the order, when its tick comes, is not
/// signed on its way out (<see cref="PresignedOrders"/>).
/// </summary>
/// <remarks>
/// Only with hints attached (live; the in-process order-path harness). Worked out after every event — a fill, a new
/// intent, a candidate change or a stop can each change it — and posted only when it changed. Posting is a few
/// stores: no lock, no signal, nothing on the order ring.
/// </remarks>
public sealed partial class TradingEngine
{
    private readonly EntryHint[] _foreseen = new EntryHint[PresignedOrders.Capacity];
    private readonly EntryHint[] _posted = new EntryHint[PresignedOrders.Capacity];
    private int _postedCount = -1;
    private EntryHints? _hints;

    /// <summary>Entries foreseen and posted to the gateway to sign ahead, each counted once (engine thread; racy reads for reports).</summary>
    public long EntriesForeseen { get; private set; }

    /// <summary>Where foreseen entries go (before the engine thread starts); none by default, or with null.</summary>
    public void AttachHints(EntryHints? hints) => _hints = hints;

    /// <summary>Engine thread, after an event: posts the entries the engine would now send, when they changed.</summary>
    private void Foresee()
    {
        if (_hints is null)
        {
            return;
        }

        var n = 0;
        if (_core.TryForeseeEntries(_nowMs, out var intent, out var amount))
        {
            foreach (var market in _core.Candidates)
            {
                if (n < _foreseen.Length && market < _markets.Count && _core.MayEnter(market))
                {
                    _foreseen[n++] = new EntryHint(market, _markets.GetCode(market), intent, amount);
                }
            }
        }

        var now = _foreseen.AsSpan(0, n);
        if (n == _postedCount && now.SequenceEqual(_posted.AsSpan(0, n)))
        {
            return;
        }

        foreach (var hint in now)
        {
            if (_posted.AsSpan(0, Math.Max(_postedCount, 0)).IndexOf(hint) < 0)
            {
                EntriesForeseen++;
            }
        }

        now.CopyTo(_posted);
        _postedCount = n;
        _hints.Post(now);
    }
}
