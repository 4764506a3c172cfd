namespace UpbitHft.Engine.Decisions;

/// <summary>What an order intent is for.</summary>
public enum IntentRole : byte
{
    None = 0,
    Entry,
    TakeProfit,
    Exit,
}

/// <summary>
/// Live order intents → (market, role). A handful are ever open at once (two positions × three orders), so a small
/// fixed table with a linear scan beats a dictionary and never allocates.
/// </summary>
internal sealed class IntentRegistry
{
    private readonly long[] _ids = new long[64];
    private readonly int[] _markets = new int[64];
    private readonly IntentRole[] _roles = new IntentRole[64];

    public int Count { get; private set; }

    public void Add(long intentId, int market, IntentRole role)
    {
        if (Count == _ids.Length)
        {
            throw new InvalidOperationException("More than 64 live order intents: the decision core is leaking intents.");
        }

        _ids[Count] = intentId;
        _markets[Count] = market;
        _roles[Count] = role;
        Count++;
    }

    public bool TryGet(long intentId, out int market, out IntentRole role)
    {
        for (var i = 0; i < Count; i++)
        {
            if (_ids[i] == intentId)
            {
                market = _markets[i];
                role = _roles[i];
                return true;
            }
        }

        market = -1;
        role = IntentRole.None;
        return false;
    }

    public void Remove(long intentId)
    {
        for (var i = 0; i < Count; i++)
        {
            if (_ids[i] == intentId)
            {
                Count--;
                _ids[i] = _ids[Count];
                _markets[i] = _markets[Count];
                _roles[i] = _roles[Count];
                return;
            }
        }
    }
}
