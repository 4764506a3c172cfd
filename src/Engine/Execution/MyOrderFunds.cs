namespace UpbitHft.Engine.Execution;

/// <summary>
/// The KRW amount of an order's fills, summed from its myOrder <c>trade</c> events (each carries the fill's own price
/// and volume), for the events that come without <c>executed_funds</c> or <c>avg_price</c>. A small fixed table (a
/// handful of orders are ever live): no allocation. A repeated trade event (same trade uuid, or one that would take
/// the sum past the order's executed volume) is not counted twice.
/// </summary>
/// <remarks>Engine thread only.</remarks>
internal sealed class MyOrderFunds
{
    private const int Size = 32;
    private readonly long[] _intents = new long[Size];
    private readonly decimal[] _volumes = new decimal[Size];
    private readonly decimal[] _funds = new decimal[Size];
    private readonly Guid[] _lastTrades = new Guid[Size];
    private int _next;

    /// <summary>A fill of <paramref name="volume"/> at <paramref name="price"/>; <paramref name="executedVolume"/> is the order's cumulative volume including it.</summary>
    public void OnTrade(long intent, Guid tradeUuid, decimal price, decimal volume, decimal executedVolume)
    {
        var i = Find(intent);
        if (i < 0)
        {
            i = _next;
            _next = (_next + 1) % Size; // the oldest order's sums make room: it finished long ago
            _intents[i] = intent;
            _volumes[i] = 0;
            _funds[i] = 0;
            _lastTrades[i] = Guid.Empty;
        }

        if (volume <= 0 || price <= 0 || (tradeUuid != Guid.Empty && tradeUuid == _lastTrades[i]) || (executedVolume > 0 && _volumes[i] + volume > executedVolume))
        {
            return;
        }

        _lastTrades[i] = tradeUuid;
        _volumes[i] += volume;
        _funds[i] += price * volume;
    }

    /// <summary>The summed amount, when the trades seen add up to the order's executed volume.</summary>
    public bool TryGet(long intent, decimal executedVolume, out decimal funds)
    {
        var i = Find(intent);
        funds = i >= 0 ? _funds[i] : 0;
        return i >= 0 && executedVolume > 0 && _volumes[i] == executedVolume;
    }

    private int Find(long intent)
    {
        for (var i = 0; i < Size; i++)
        {
            if (_intents[i] == intent)
            {
                return i;
            }
        }

        return -1;
    }
}
