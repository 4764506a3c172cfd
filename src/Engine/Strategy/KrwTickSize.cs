namespace UpbitHft.Engine.Strategy;

/// <summary>
/// Upbit's KRW tick table (API.md §5.1, effective 2025-07-31) for aligning a resting take-profit price. The gateway
/// prefers the live tick size from <c>/v1/orderbook/instruments</c> and validates again before sending.
/// </summary>
public static class KrwTickSize
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

    /// <summary>The smallest tick-aligned price ≥ <paramref name="price"/> (a sell limit never below its target).</summary>
    public static decimal RoundUp(decimal price)
    {
        var tick = For(price);
        var aligned = Math.Ceiling(price / tick) * tick;
        return For(aligned) == tick ? aligned : Math.Ceiling(aligned / For(aligned)) * For(aligned);
    }
}
