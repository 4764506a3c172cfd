namespace UpbitHft.Engine.Decisions;

/// <summary>A preallocated, reusable list of actions: the decision core appends, the engine drains and clears. No allocation.</summary>
public sealed class ActionBuffer
{
    private DecisionAction[] _items;

    /// <summary>Creates a buffer; it grows (rarely, off the steady state) if a step ever needs more.</summary>
    public ActionBuffer(int capacity = 256)
    {
        _items = new DecisionAction[capacity];
    }

    /// <summary>Actions in the buffer.</summary>
    public int Count { get; private set; }

    /// <summary>The action at <paramref name="index"/>.</summary>
    public ref DecisionAction this[int index] => ref _items[index];

    /// <summary>The actions as a span.</summary>
    public ReadOnlySpan<DecisionAction> AsSpan() => _items.AsSpan(0, Count);

    /// <summary>Appends a cleared action and returns it for filling.</summary>
    public ref DecisionAction Add(ActionKind kind, int marketId)
    {
        if (Count == _items.Length)
        {
            Array.Resize(ref _items, _items.Length * 2);
        }

        ref var a = ref _items[Count++];
        a = default;
        a.Kind = kind;
        a.MarketId = marketId;
        return ref a;
    }

    /// <summary>Empties the buffer (keeps the storage).</summary>
    public void Clear() => Count = 0;
}
