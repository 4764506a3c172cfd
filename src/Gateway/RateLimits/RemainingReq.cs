namespace UpbitHft.Gateway.RateLimits;

/// <summary>
/// Parses Upbit's <c>Remaining-Req: group=default; min=1800; sec=29</c> header tolerantly (docs/upbit.md#rate-limits): any order,
/// any spacing, <c>min</c> optional (deprecated), the candle group spelled <c>candle</c> or <c>candles</c>.
/// </summary>
public static class RemainingReq
{
    /// <summary>The group (normalised) and the requests left in the current second; false if the header is unusable.</summary>
    public static bool TryParse(string? header, out string group, out int remainingInSecond)
    {
        group = "";
        remainingInSecond = -1;
        if (string.IsNullOrWhiteSpace(header))
        {
            return false;
        }

        foreach (var part in header.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                continue;
            }

            var key = part[..eq].Trim();
            var value = part[(eq + 1)..].Trim();
            if (key.Equals("group", StringComparison.OrdinalIgnoreCase))
            {
                group = Normalize(value);
            }
            else if (key.Equals("sec", StringComparison.OrdinalIgnoreCase) && int.TryParse(value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var sec) && sec >= 0)
            {
                remainingInSecond = sec;
            }
        }

        return group.Length > 0 && remainingInSecond >= 0;
    }

    /// <summary>Maps observed spellings to the documented group names.</summary>
    public static string Normalize(string group) => group.Trim().ToLowerInvariant() switch
    {
        "candles" => "candle",
        "trades" => "trade",
        "tickers" => "ticker",
        "orderbooks" => "orderbook",
        "markets" => "market",
        "orders" => "order",
        var g => g,
    };
}
