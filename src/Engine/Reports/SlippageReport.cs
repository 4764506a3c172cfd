using System.Globalization;

namespace UpbitHft.Engine.Reports;

/// <summary>A distribution of slippage in basis points (nearest-rank percentiles).</summary>
public sealed record SlippageStats(int Count, double Min, double P50, double P90, double Max, double Mean)
{
    /// <summary>The distribution of <paramref name="values"/>; null when there are none.</summary>
    public static SlippageStats? Of(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? null : new SlippageStats(sorted.Length, sorted[0], NearestRank(sorted, 50), NearestRank(sorted, 90), sorted[^1], sorted.Average());
    }

    /// <summary>The nearest-rank percentile: the smallest value that at least <paramref name="p"/> % of the values are at or below.</summary>
    public static double NearestRank(IReadOnlyList<double> sorted, double p)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        return sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
    }
}

/// <summary>
/// <c>report</c>'s slippage section: per exit reason, what the fills cost against the prices that triggered them —
/// the whole trade (entry and exit, as journaled) and the exit alone — and a hint for <c>--slippage-buffer</c>.
/// Unknown values (older journals, prices the engine did not know) are counted as unknown, never as zero.
/// </summary>
public static class SlippageReport
{
    /// <summary>The exit reasons, in the order they are reported (others found in the journal follow).</summary>
    public static IReadOnlyList<string> Reasons { get; } = ["take_profit", "stop_loss", "dust", "remainder", "kill_switch", "shutdown"];

    public static void Write(IReadOnlyList<JournalTrade> trades, TextWriter o)
    {
        ArgumentNullException.ThrowIfNull(trades);
        ArgumentNullException.ThrowIfNull(o);
        var reasons = Reasons.Concat(trades.Select(t => t.ExitReason).Where(r => !Reasons.Contains(r)).Distinct()).ToList();
        o.WriteLine();
        o.WriteLine("slippage against the prices that triggered each order, by exit reason (basis points, positive = worse than the");
        o.WriteLine("trigger; p50/p90 nearest-rank; 'known' = trades whose journal row has the value: older journals lack it)");
        o.WriteLine("  whole trade, entry + exit, in bp of the entry's value at its trigger (slippage_bp, slippage_krw):");
        Table(o, reasons, trades, t => t.SlippageBp, t => t.SlippageKrw);
        o.WriteLine("  exit alone, (exit trigger - average exit fill) / exit trigger (what --slippage-buffer has to cover):");
        Table(o, reasons, trades, t => t.ExitSlippageBp, null);
        o.WriteLine(Hint(trades));
    }

    /// <summary>
    /// The one-line advice on <c>--slippage-buffer</c>, from the take-profit exits' exit slippage. The target is the
    /// entry fill × (1 + take-profit + buffer) and a take-profit sells once a trade reaches it, so an exit that fills
    /// s below its trigger still realises the take-profit when the buffer is about s.
    /// </summary>
    public static string Hint(IReadOnlyList<JournalTrade> trades)
    {
        ArgumentNullException.ThrowIfNull(trades);
        var c = CultureInfo.InvariantCulture;
        var tp = SlippageStats.Of(trades.Where(t => t.ExitReason == "take_profit" && t.ExitSlippageBp is not null).Select(t => t.ExitSlippageBp!.Value));
        if (tp is null)
        {
            return "--slippage-buffer: no hint (no take-profit exit with a known trigger price in this journal)";
        }

        var exits = string.Create(c, $"{tp.Count} take-profit exit{(tp.Count == 1 ? "" : "s")} with a known trigger");
        if (tp.P90 <= 0)
        {
            return string.Create(c, $"--slippage-buffer: the take-profit exits' p90 exit slippage is {tp.P90:F1} bp ({exits}): 90 % of them sold at or above the price that triggered them, so no buffer is needed for them (0, the default)");
        }

        var buffer = Math.Ceiling(tp.P90 * 10) / 100_000; // bp → fraction, rounded up to a tenth of a basis point
        return string.Create(c,
            $"--slippage-buffer: the take-profit exits' p90 exit slippage is {tp.P90:F1} bp ({exits}): 90 % of them sold at most {tp.P90:F1} bp below the price that triggered them. "
            + $"A --slippage-buffer of about {buffer:0.######} raises the target by that much of the entry price, so an exit slipping no more than that still realises about the full --take-profit before fees (README: choosing --slippage-buffer); a higher target is also reached less often.");
    }

    private static void Table(TextWriter o, IReadOnlyList<string> reasons, IReadOnlyList<JournalTrade> trades, Func<JournalTrade, double?> bp, Func<JournalTrade, decimal?>? krw)
    {
        var c = CultureInfo.InvariantCulture;
        o.WriteLine("  exit reason    trades  known      min      p50      p90      max     mean" + (krw is null ? "" : "    total KRW"));
        foreach (var reason in reasons)
        {
            var of = trades.Where(t => t.ExitReason == reason).ToList();
            var known = of.Where(t => bp(t) is not null).ToList();
            var stats = SlippageStats.Of(known.Select(t => bp(t)!.Value));
            var line = string.Create(c, $"  {reason,-13} {of.Count,7} {known.Count,6}");
            if (stats is null)
            {
                o.WriteLine(line + (of.Count == 0 ? "" : "  unknown"));
                continue;
            }

            line += string.Create(c, $" {stats.Min,8:F2} {stats.P50,8:F2} {stats.P90,8:F2} {stats.Max,8:F2} {stats.Mean,8:F2}");
            if (krw is not null)
            {
                var total = of.Select(krw).Where(k => k is not null).Sum(k => k!.Value);
                line += string.Create(c, $" {total,12:+#,0.00;-#,0.00;0.00}");
            }

            o.WriteLine(line);
        }
    }
}
