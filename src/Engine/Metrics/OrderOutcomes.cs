using UpbitHft.Gateway.Orders;

namespace UpbitHft.Engine.Metrics;

/// <summary>
/// <c>upbithft_orders_total{side,type,outcome}</c>: what became of the orders this run sent, paper or real. The engine
/// thread notes each order's side and type when it is submitted and counts its answers: <c>accepted</c> once when the
/// exchange first holds it (an accepted, fill, done or cancelled answer), and <c>done</c>, <c>cancelled</c>,
/// <c>rejected</c>, <c>unknown</c> once each. Repeated answers (the gateway and the private socket both report an
/// order) count once. A direct-mapped table of the last 256 intents, preallocated: no allocation, no lock.
/// </summary>
public sealed class OrderOutcomes
{
    /// <summary>The order kinds: bid/price (market buy by amount), ask/market, ask/limit.</summary>
    public static readonly (string Side, string Type)[] Kinds = [("bid", "price"), ("ask", "market"), ("ask", "limit")];

    /// <summary>The outcomes, in counter order.</summary>
    public static readonly string[] Outcomes = ["accepted", "done", "cancelled", "rejected", "unknown"];

    private const int TableSize = 256;
    private readonly long[] _counts = new long[Kinds.Length * Outcomes.Length];
    private readonly long[] _intents = new long[TableSize];
    private readonly byte[] _kinds = new byte[TableSize];
    private readonly byte[] _counted = new byte[TableSize];

    /// <summary>The count of one kind and outcome (any thread).</summary>
    public long Count(int kind, int outcome) => Volatile.Read(ref _counts[(kind * Outcomes.Length) + outcome]);

    /// <summary>An order was handed to the gateway (or the paper exchange). Engine thread.</summary>
    public void OnSubmitted(long intentId, OrderCommandKind command)
    {
        var kind = command switch
        {
            OrderCommandKind.MarketBuy => 0,
            OrderCommandKind.MarketSell => 1,
            OrderCommandKind.LimitSell => 2,
            _ => -1,
        };
        if (kind < 0)
        {
            return;
        }

        var slot = (int)(intentId & (TableSize - 1));
        _intents[slot] = intentId;
        _kinds[slot] = (byte)kind;
        _counted[slot] = 0;
    }

    /// <summary>An answer about an order (any source). Orders not submitted by this run are not counted. Engine thread.</summary>
    public void OnAnswer(long intentId, OrderEventKind answer)
    {
        var slot = (int)(intentId & (TableSize - 1));
        if (_intents[slot] != intentId || intentId == 0)
        {
            return;
        }

        switch (answer)
        {
            case OrderEventKind.Accepted:
            case OrderEventKind.Fill:
                CountOnce(slot, 0);
                break;
            case OrderEventKind.Done:
                CountOnce(slot, 0);
                CountOnce(slot, 1);
                break;
            case OrderEventKind.Cancelled:
                CountOnce(slot, 0);
                CountOnce(slot, 2);
                break;
            case OrderEventKind.Rejected:
                CountOnce(slot, 3);
                break;
            case OrderEventKind.Unknown:
                CountOnce(slot, 4);
                break;
        }
    }

    private void CountOnce(int slot, int outcome)
    {
        var bit = (byte)(1 << outcome);
        if ((_counted[slot] & bit) != 0)
        {
            return;
        }

        _counted[slot] |= bit;
        ref var count = ref _counts[(_kinds[slot] * Outcomes.Length) + outcome];
        Volatile.Write(ref count, count + 1);
    }
}
