using System.Globalization;
using UpbitHft.Gateway.Auth;
using UpbitHft.Gateway.Errors;

namespace UpbitHft.Gateway.Orders;

/// <summary>
/// Turns a command into Upbit's order body, refusing what Upbit would refuse so a bad order never reaches the
/// exchange: KRW amounts are whole won and within [min, max] (5,000 and 1,000,000,000 by default, docs/upbit.md#minimum-order);
/// volumes are truncated — never rounded up — to 8 decimals; limit prices are put on the tick grid (rounded up for a
/// sell, so a take-profit never sells below its target).
/// </summary>
public sealed class OrderValidator
{
    private readonly Dictionary<string, decimal> _ticks = new(StringComparer.Ordinal);

    public decimal MinTotalKrw { get; init; } = 5_000m;
    public decimal MaxTotalKrw { get; init; } = 1_000_000_000m;

    /// <summary>Records a market's tick size from <c>/v1/orderbook/instruments</c>.</summary>
    public void SetTickSize(string market, decimal tick) => _ticks[market] = tick;

    /// <summary>The body for a create command (keys in Upbit's documented order), or the reason it is refused.</summary>
    public bool TryBuild(in OrderCommand cmd, string identifier, out QueryString body, out UpbitError? error)
    {
        body = new QueryString().Add("market", cmd.Market);
        if (!TryNormalize(cmd, out var order, out error))
        {
            return false;
        }

        body.Add("side", order.IsBid ? "bid" : "ask");
        if (order.Kind == OrderCommandKind.LimitSell)
        {
            body.Add("volume", Text(order.Volume)).Add("price", Text(order.Price));
        }
        else
        {
            body.Add(order.IsBid ? "price" : "volume", Text(order.IsBid ? order.Price : order.Volume));
        }

        body.Add("ord_type", order.OrdType).Add("identifier", identifier);
        return true;
    }

    /// <summary>
    /// Checks a create command and returns its exact values as Upbit must receive them: a market buy's KRW amount in
    /// whole won within [min, max]; volumes truncated to 8 decimals; a limit price on the tick grid (rounded up).
    /// Allocation-free unless refused.
    /// </summary>
    public bool TryNormalize(in OrderCommand cmd, out NormalizedOrder order, out UpbitError? error)
    {
        order = default;
        error = null;
        switch (cmd.Kind)
        {
            case OrderCommandKind.MarketBuy:
            case OrderCommandKind.Test: // a test order is a market buy sent to the test endpoint
                var amount = Math.Floor(cmd.AmountKrw);
                if (amount < MinTotalKrw || amount > MaxTotalKrw)
                {
                    error = Refuse(amount < MinTotalKrw ? "under_min_total_bid" : "over_krw_funds_bid", $"amount {amount} KRW outside [{MinTotalKrw}, {MaxTotalKrw}]");
                    return false;
                }

                order = new NormalizedOrder(OrderCommandKind.MarketBuy, amount, 0);
                return true;
            case OrderCommandKind.MarketSell:
                var volume = Truncate8(cmd.Volume);
                if (volume <= 0)
                {
                    error = Refuse("invalid_volume", $"volume {cmd.Volume} truncates to 0");
                    return false;
                }

                order = new NormalizedOrder(cmd.Kind, 0, volume);
                return true;
            case OrderCommandKind.LimitSell:
                var v = Truncate8(cmd.Volume);
                var tick = _ticks.TryGetValue(cmd.Market, out var t) ? t : (decimal?)null;
                var price = KrwTickTable.RoundUp(cmd.Price, tick);
                if (v <= 0 || price <= 0 || price * v < MinTotalKrw || price * v > MaxTotalKrw)
                {
                    error = Refuse("under_min_total_ask", $"limit {price} × {v} is outside [{MinTotalKrw}, {MaxTotalKrw}] KRW");
                    return false;
                }

                order = new NormalizedOrder(cmd.Kind, price, v);
                return true;
            default:
                error = Refuse("not_an_order", $"{cmd.Kind} does not create an order");
                return false;
        }
    }

    /// <summary>Truncates to Upbit's 8 decimals (docs/upbit.md#numbers: the accepted maximum is UNCONFIRMED; 8 is common practice).</summary>
    public static decimal Truncate8(decimal value) => Math.Round(value, 8, MidpointRounding.ToZero);

    /// <summary>A decimal as Upbit reads it: invariant, no exponent, no trailing zeros (<c>500000</c>, <c>0.0123</c>).</summary>
    public static string Text(decimal value) => value.ToString("0.########", CultureInfo.InvariantCulture);

    private static UpbitError Refuse(string name, string message) => new(UpbitErrorCode.NotSent, 0, name, message);
}

/// <summary>
/// A create command's values as they go on the wire: <see cref="Price"/> is a market buy's KRW amount or a limit's
/// unit price; <see cref="Volume"/> a sell's volume.
/// </summary>
public readonly record struct NormalizedOrder(OrderCommandKind Kind, decimal Price, decimal Volume)
{
    public bool IsBid => Kind == OrderCommandKind.MarketBuy;

    /// <summary>Upbit's <c>ord_type</c>: <c>price</c> (market buy by amount), <c>market</c> (market sell by volume), <c>limit</c>.</summary>
    public string OrdType => Kind switch
    {
        OrderCommandKind.MarketBuy => "price",
        OrderCommandKind.MarketSell => "market",
        _ => "limit",
    };
}
