using UpbitHft.Gateway.Orders;
using UpbitHft.Gateway.Signing;

namespace UpbitHft.Engine.Execution;

/// <summary>
/// Telling the gateway the entries to expect: for each candidate market, the market buy an entry there would send
/// now (intent id, amount; <see cref="Decisions.DecisionCore.TryForeseeEntry"/>), so the gateway thread signs it while
/// it waits and the order, when its tick comes, is not signed on its way out (<see cref="PresignedOrders"/>).
/// </summary>
/// <remarks>
/// Only for a gateway other than the bare paper exchange (which signs nothing). At most one pass per millisecond of
/// exchange time, and a market is told again only when what it would send changed, so a hint never crowds the orders
/// on the gateway ring. A hint the ring cannot take is simply not given: the order is then signed as it goes.
/// </remarks>
public sealed partial class TradingEngine
{
    private readonly int[] _hintedMarket = new int[PresignedOrders.Capacity];
    private readonly long[] _hintedIntent = new long[PresignedOrders.Capacity];
    private readonly decimal[] _hintedAmount = new decimal[PresignedOrders.Capacity];
    private int _hintedCount;
    private long _lastForesightMs = long.MinValue;

    /// <summary>Entries foreseen and handed to the gateway to sign ahead (engine thread; racy reads for reports).</summary>
    public long EntriesForeseen { get; private set; }

    /// <summary>Engine thread, after an event's actions: tells the gateway about any entry it would now send differently.</summary>
    private void Foresee()
    {
        if (_orders is null || ReferenceEquals(_orders, _paper) || _nowMs == _lastForesightMs)
        {
            return;
        }

        _lastForesightMs = _nowMs;
        Span<int> markets = stackalloc int[PresignedOrders.Capacity];
        Span<long> intents = stackalloc long[PresignedOrders.Capacity];
        Span<decimal> amounts = stackalloc decimal[PresignedOrders.Capacity];
        var n = 0;
        foreach (var market in _core.Candidates)
        {
            if (n == markets.Length)
            {
                break;
            }

            if (market < 0 || market >= _markets.Count || !_core.TryForeseeEntry(market, out var intent, out var amount))
            {
                continue;
            }

            if (!Hinted(market, intent, amount))
            {
                if (!_orders.TrySubmit(new OrderCommand(OrderCommandKind.PresignMarketBuy, intent, market, _markets.GetCode(market), AmountKrw: amount)))
                {
                    continue; // not taken: told again on the next pass
                }

                EntriesForeseen++;
            }

            markets[n] = market;
            intents[n] = intent;
            amounts[n++] = amount;
        }

        markets[..n].CopyTo(_hintedMarket);
        intents[..n].CopyTo(_hintedIntent);
        amounts[..n].CopyTo(_hintedAmount);
        _hintedCount = n;
    }

    private bool Hinted(int market, long intent, decimal amount)
    {
        for (var i = 0; i < _hintedCount; i++)
        {
            if (_hintedMarket[i] == market)
            {
                return _hintedIntent[i] == intent && _hintedAmount[i] == amount;
            }
        }

        return false;
    }
}
