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
        error = null;
        switch (cmd.Kind)
        {
            case OrderCommandKind.MarketBuy:
                var amount = Math.Floor(cmd.AmountKrw);
                if (amount < MinTotalKrw || amount > MaxTotalKrw)
                {
                    error = Refuse(amount < MinTotalKrw ? "under_min_total_bid" : "over_krw_funds_bid", $"amount {amount} KRW outside [{MinTotalKrw}, {MaxTotalKrw}]");
                    return false;
                }

                body.Add("side", "bid").Add("price", Text(amount)).Add("ord_type", "price");
                break;
            case OrderCommandKind.MarketSell:
                var volume = Truncate8(cmd.Volume);
                if (volume <= 0)
                {
                    error = Refuse("invalid_volume", $"volume {cmd.Volume} truncates to 0");
                    return false;
                }

                body.Add("side", "ask").Add("volume", Text(volume)).Add("ord_type", "market");
                break;
            case OrderCommandKind.LimitSell:
                var v = Truncate8(cmd.Volume);
                var tick = _ticks.TryGetValue(cmd.Market, out var t) ? t : (decimal?)null;
                var price = KrwTickTable.RoundUp(cmd.Price, tick);
                if (v <= 0 || price <= 0 || price * v < MinTotalKrw || price * v > MaxTotalKrw)
                {
                    error = Refuse("under_min_total_ask", $"limit {price} × {v} is outside [{MinTotalKrw}, {MaxTotalKrw}] KRW");
                    return false;
                }

                body.Add("side", "ask").Add("volume", Text(v)).Add("price", Text(price)).Add("ord_type", "limit");
                break;
            default:
                error = Refuse("not_an_order", $"{cmd.Kind} does not create an order");
                return false;
        }

        body.Add("identifier", identifier);
        return true;
    }

    /// <summary>Truncates to Upbit's 8 decimals (docs/upbit.md#numbers: the accepted maximum is UNCONFIRMED; 8 is common practice).</summary>
    public static decimal Truncate8(decimal value) => Math.Round(value, 8, MidpointRounding.ToZero);

    private static string Text(decimal value) => value.ToString("0.########", CultureInfo.InvariantCulture);

    private static UpbitError Refuse(string name, string message) => new(UpbitErrorCode.NotSent, 0, name, message);
}
