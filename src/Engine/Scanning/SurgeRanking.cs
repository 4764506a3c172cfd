namespace UpbitHft.Engine.Scanning;

/// <summary>
/// Markets ranked by surge ratio in an indexed binary max-heap: updating one market's key is O(log n), and the top
/// k (k small) are read in O(k log k) by a best-first walk from the root. No sorting of all markets, no allocation.
/// A key below 0 means "not eligible" (warning, not ACTIVE, cooling down, already held, below the liquidity floor).
/// </summary>
/// <remarks>Engine thread only.</remarks>
public sealed class SurgeRanking
{
    private readonly double[] _keys;
    private readonly int[] _heap; // heap position → market id
    private readonly int[] _position; // market id → heap position
    private readonly int[] _frontier; // scratch for TopK
    private readonly int _count;

    /// <summary>Creates a ranking of <paramref name="markets"/> markets, all ineligible.</summary>
    public SurgeRanking(int markets)
    {
        _count = markets;
        _keys = new double[markets];
        _heap = new int[markets];
        _position = new int[markets];
        _frontier = new int[64];
        for (var i = 0; i < markets; i++)
        {
            _keys[i] = -1;
            _heap[i] = i;
            _position[i] = i;
        }
    }

    /// <summary>The key of a market.</summary>
    public double Key(int market) => _keys[market];

    /// <summary>Sets a market's key (its surge ratio, or −1 when ineligible).</summary>
    public void Update(int market, double key)
    {
        var old = _keys[market];
        if (old == key)
        {
            return;
        }

        _keys[market] = key;
        if (key > old)
        {
            SiftUp(_position[market]);
        }
        else
        {
            SiftDown(_position[market]);
        }
    }

    /// <summary>Writes the ids of the best eligible markets (key ≥ <paramref name="minKey"/>, at most <paramref name="destination"/>.Length) best first; returns how many.</summary>
    public int TopK(Span<int> destination, double minKey)
    {
        if (_count == 0 || destination.Length == 0)
        {
            return 0;
        }

        // Best-first walk: a tiny max-frontier of heap positions, seeded with the root.
        var frontierCount = 0;
        _frontier[frontierCount++] = 0;
        var found = 0;
        while (frontierCount > 0 && found < destination.Length)
        {
            var best = 0;
            for (var i = 1; i < frontierCount; i++)
            {
                int a = _heap[_frontier[i]], b = _heap[_frontier[best]];
                if (Before(_keys[a], a, _keys[b], b))
                {
                    best = i;
                }
            }

            var pos = _frontier[best];
            _frontier[best] = _frontier[--frontierCount];
            var market = _heap[pos];
            if (_keys[market] < minKey)
            {
                break; // the best remaining is below the bar, so is everything else
            }

            destination[found++] = market;
            for (var child = (2 * pos) + 1; child <= (2 * pos) + 2 && child < _count; child++)
            {
                if (frontierCount < _frontier.Length)
                {
                    _frontier[frontierCount++] = child;
                }
            }
        }

        return found;
    }

    private void SiftUp(int pos)
    {
        var market = _heap[pos];
        var key = _keys[market];
        while (pos > 0)
        {
            var parent = (pos - 1) / 2;
            var parentMarket = _heap[parent];
            if (!Before(key, market, _keys[parentMarket], parentMarket))
            {
                break;
            }

            Place(parent, market, pos, parentMarket);
            pos = parent;
        }
    }

    private void SiftDown(int pos)
    {
        var market = _heap[pos];
        var key = _keys[market];
        while (true)
        {
            var left = (2 * pos) + 1;
            if (left >= _count)
            {
                break;
            }

            var right = left + 1;
            var child = right < _count && Before(_keys[_heap[right]], _heap[right], _keys[_heap[left]], _heap[left]) ? right : left;
            var childMarket = _heap[child];
            if (!Before(_keys[childMarket], childMarket, key, market))
            {
                break;
            }

            Place(child, market, pos, childMarket);
            pos = child;
        }
    }

    // Swap `market` (now at `from`) into `to`, moving `other` from `to` into `from`.
    private void Place(int to, int market, int from, int other)
    {
        _heap[from] = other;
        _position[other] = from;
        _heap[to] = market;
        _position[market] = to;
    }

    // Higher key first; ties broken by the lower market id so the order is deterministic.
    private static bool Before(double keyA, int marketA, double keyB, int marketB) =>
        keyA > keyB || (keyA == keyB && marketA < marketB);
}
