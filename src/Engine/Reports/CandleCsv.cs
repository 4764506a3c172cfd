using System.Globalization;
using UpbitHft.Reporting;

namespace UpbitHft.Engine.Reports;

/// <summary>
/// Reads the candles CSV that <c>--candles-out</c> writes
/// (<c>market,minute_utc,open,high,low,close,volume,value_krw,rsi14,surge_ratio</c>); columns are found by name.
/// </summary>
public static class CandleCsv
{
    private static readonly string[] s_needed = ["market", "minute_utc", "open", "high", "low", "close"];

    /// <summary>The candles by market, each list in time order. A malformed file is an <see cref="InvalidDataException"/>.</summary>
    public static IReadOnlyDictionary<string, List<PriceCandle>> Read(string path)
    {
        using var reader = new StreamReader(path);
        var header = (reader.ReadLine() ?? "").Split(',');
        var at = s_needed.Select(name => Array.IndexOf(header, name)).ToArray();
        if (at.Any(i => i < 0))
        {
            throw new InvalidDataException($"{path} is not a candles CSV written by --candles-out (its header lacks {string.Join(", ", s_needed.Where((_, k) => at[k] < 0))})");
        }

        var c = CultureInfo.InvariantCulture;
        var byMarket = new Dictionary<string, List<PriceCandle>>(StringComparer.Ordinal);
        var lineNumber = 1;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            var f = line.Split(',');
            if (f.Length < header.Length
                || !DateTime.TryParse(f[at[1]], c, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var minute)
                || !double.TryParse(f[at[2]], NumberStyles.Float, c, out var open) || !double.TryParse(f[at[3]], NumberStyles.Float, c, out var high)
                || !double.TryParse(f[at[4]], NumberStyles.Float, c, out var low) || !double.TryParse(f[at[5]], NumberStyles.Float, c, out var close))
            {
                throw new InvalidDataException($"{path} line {lineNumber}: not a candle ({line})");
            }

            if (!byMarket.TryGetValue(f[at[0]], out var list))
            {
                byMarket[f[at[0]]] = list = [];
            }

            list.Add(new PriceCandle(minute, open, high, low, close));
        }

        foreach (var list in byMarket.Values)
        {
            list.Sort((a, b) => a.MinuteUtc.CompareTo(b.MinuteUtc));
        }

        return byMarket;
    }
}
