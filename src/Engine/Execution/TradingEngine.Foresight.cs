using UpbitHft.Gateway.Signing;

namespace UpbitHft.Engine.Execution;

/// <summary>
/// Telling the gateway the entries to expect: for each candidate market, the market buy an entry there would send
/// now (the next intent id, the amount; <see cref="Decisions.DecisionCore.TryForeseeEntries"/>), posted to
/// <see cref="EntryHints"/> so the gateway thread signs it while it waits and the order, when its tick comes, is not
/// signed on its way out (<see cref="PresignedOrders"/>).
/// </summary>
/// <remarks>
/// Only with hints attached (live; the in-process order-path harness). Looked at after every event — a fill, a new
/// intent, a candidate change or a stop can each change it — worked out in full only after one that could have
/// changed it, and posted only when it changed. Posting is a few stores: no lock, no signal, nothing on the order ring.
/// </remarks>
public sealed partial class TradingEngine
{
    private readonly EntryHint[] _foreseen = new EntryHint[EntryHints.MaxHints];
    private readonly EntryHint[] _posted = new EntryHint[EntryHints.MaxHints];
    private readonly int[] _lastCandidates = new int[8];
    private int _postedCount = -1;
    private int _lastCandidateCount = -1;
    private EntryHints? _hints;

    /// <summary>Entries foreseen and posted to the gateway to sign ahead, each counted once (engine thread; racy reads for reports).</summary>
    public long EntriesForeseen { get; private set; }

    /// <summary>Where foreseen entries go (before the engine thread starts); none by default, or with null.</summary>
    public void AttachHints(EntryHints? hints) => _hints = hints;

    /// <summary>
    /// Engine thread, after an event: posts the entries the engine would now send, when they changed. After a trade or
    /// a book that asked for nothing (<paramref name="mayHaveChanged"/> false) only the candidates can have changed: a
    /// look at them, and nothing more when they did not (the full work reads every market's position, ≈ 0.7 µs).
    /// </summary>
    private void Foresee(bool mayHaveChanged)
    {
        var candidates = _core.Candidates;
        if (!mayHaveChanged && _lastCandidateCount >= 0 && candidates.SequenceEqual(_lastCandidates.AsSpan(0, _lastCandidateCount)))
        {
            return;
        }

        _lastCandidateCount = Math.Min(candidates.Length, _lastCandidates.Length);
        candidates[.._lastCandidateCount].CopyTo(_lastCandidates);
        if (candidates.Length > _lastCandidates.Length)
        {
            _lastCandidateCount = -1; // more candidates than remembered: always look (a strategy with over 8)
        }

        var n = 0;
        foreach (var market in candidates)
        {
            if (n < _foreseen.Length && market < _markets.Count && _core.MayEnter(market))
            {
                _foreseen[n++] = new EntryHint(market, _markets.GetCode(market), 0, 0);
            }
        }

        if (n > 0 && _core.TryForeseeEntries(_nowMs, out var intent, out var amount))
        {
            for (var i = 0; i < n; i++)
            {
                _foreseen[i] = _foreseen[i] with { IntentId = intent, AmountKrw = amount };
            }
        }
        else
        {
            n = 0;
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
        _hints!.Post(now);
    }
}
