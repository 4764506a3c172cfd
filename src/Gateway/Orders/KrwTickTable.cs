namespace UpbitHft.Gateway.Orders;

/// <summary>
/// Upbit's KRW tick table (docs/upbit.md#tick-sizes, effective 2025-07-31), the fallback when <c>/v1/orderbook/instruments</c> has
/// not given a market's tick size. Rows below 100 KRW are UNCONFIRMED against the primary source (docs/upbit.md#tick-sizes).
/// </summary>
public static class KrwTickTable
{
    /// <summary>The tick for a KRW price.</summary>
    public static decimal For(decimal price) => price switch
    {
        >= 1_000_000m => 1_000m,
        >= 500_000m => 500m,
        >= 100_000m => 100m,
        >= 50_000m => 50m,
        >= 10_000m => 10m,
        >= 5_000m => 5m,
        >= 100m => 1m,
        >= 10m => 0.1m,
        >= 1m => 0.01m,
        >= 0.1m => 0.001m,
        >= 0.01m => 0.0001m,
        >= 0.001m => 0.00001m,
        >= 0.0001m => 0.000001m,
        >= 0.00001m => 0.0000001m,
        _ => 0.00000001m,
    };

    /// <summary>The smallest price on the grid ≥ <paramref name="price"/> (a sell limit never below its target).</summary>
    public static decimal RoundUp(decimal price, decimal? tick = null)
    {
        var t = tick ?? For(price);
        var aligned = Math.Ceiling(price / t) * t;
        // Crossing into a coarser band (e.g. 99,999 → 100,000) can change the tick; align again in that band.
        var t2 = tick ?? For(aligned);
        return t2 == t ? aligned : Math.Ceiling(aligned / t2) * t2;
    }

    /// <summary>The largest price on the grid ≤ <paramref name="price"/>.</summary>
    public static decimal RoundDown(decimal price, decimal? tick = null)
    {
        var t = tick ?? For(price);
        return Math.Floor(price / t) * t;
    }
}
