namespace UpbitHft.Gateway.RateLimits;

/// <summary>Upbit's per-group limits (docs/upbit.md#rate-limits); every number can be changed when Upbit changes them.</summary>
public sealed record RateLimitOptions
{
    /// <summary>Quotation groups (<c>market</c>, <c>candle</c>, <c>trade</c>, <c>ticker</c>, <c>orderbook</c>), per IP.</summary>
    public int QuotationPerSecond { get; init; } = 10;

    /// <summary><c>default</c>: accounts, order lookups, cancels.</summary>
    public int DefaultPerSecond { get; init; } = 30;

    /// <summary><c>order</c>: 8/s by default; Upbit's docs say 12/s since 2026-08-21 — set 12 once confirmed for the account.</summary>
    public int OrderPerSecond { get; init; } = 8;

    public int OrderTestPerSecond { get; init; } = 8;

    /// <summary><c>order-cancel-all</c>: one request per this many ms.</summary>
    public long CancelAllIntervalMs { get; init; } = 2_000;

    /// <summary>
    /// Added to every window: the exchange's clock and ours differ in resolution and offset, so a token that comes back
    /// exactly one window after our answer could still land inside the exchange's window (seen in tests as a rare 429).
    /// </summary>
    public long SafetyMarginMs { get; init; } = 50;

    /// <summary>A limiter for every group, keyed by Upbit's group name.</summary>
    public IReadOnlyDictionary<string, RateLimiter> CreateLimiters()
    {
        var second = 1000 + SafetyMarginMs;
        return new Dictionary<string, RateLimiter>(StringComparer.Ordinal)
        {
            ["market"] = new("market", QuotationPerSecond, second),
            ["candle"] = new("candle", QuotationPerSecond, second),
            ["trade"] = new("trade", QuotationPerSecond, second),
            ["ticker"] = new("ticker", QuotationPerSecond, second),
            ["orderbook"] = new("orderbook", QuotationPerSecond, second),
            ["default"] = new("default", DefaultPerSecond, second),
            ["order"] = new("order", OrderPerSecond, second),
            ["order-test"] = new("order-test", OrderTestPerSecond, second),
            ["order-cancel-all"] = new("order-cancel-all", 1, CancelAllIntervalMs + SafetyMarginMs),
        };
    }
}
