using System.Globalization;
using Microsoft.Data.Sqlite;

namespace UpbitHft.Engine.Reports;

/// <summary>
/// <c>upbithft report JOURNAL</c>: the closed trades, win rate, P&amp;L and fees, the slippage by exit reason (with a
/// hint on <c>--slippage-buffer</c>) and the runs' latency percentiles. Charts are <see cref="JournalCharts"/>'s.
/// </summary>
public static class JournalReport
{
    public static int Write(string path, TextWriter o)
    {
        ArgumentNullException.ThrowIfNull(o);
        using var db = JournalTrades.Open(path);
        var trades = JournalTrades.Read(db);
        var c = CultureInfo.InvariantCulture;
        o.WriteLine("   #  market        entry           exit            volume          exit          fees KRW    P&L KRW   slip bp");
        foreach (var t in trades)
        {
            var slip = t.SlippageBp is { } bp ? bp.ToString("F2", c) : "unknown";
            o.WriteLine(string.Create(c, $"{t.Number,4}  {t.Market,-12}  {t.EntryPrice,-14:N2}  {t.ExitPrice,-14:N2}  {t.Volume,-14}  {t.ExitReason,-12}  {t.FeesKrw,10:N2}  {t.PnlKrw,10:+#,0.##;-#,0.##;0}  {slip,8}"));
        }

        var count = trades.Count;
        var wins = trades.Count(t => t.PnlKrw > 0);
        o.WriteLine(string.Create(c, $"trades {count}, win rate {(count == 0 ? 0 : 100.0 * wins / count):F1} %, P&L {trades.Sum(t => t.PnlKrw):+#,0.##;-#,0.##;0} KRW after {trades.Sum(t => t.FeesKrw):N2} KRW fees"));
        SlippageReport.Write(trades, o);
        o.WriteLine();
        WriteLatency(db, o);
        return 0;
    }

    /// <summary>The latency percentiles each run stored in the journal when it ended.</summary>
    private static void WriteLatency(SqliteConnection db, TextWriter o)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT summary_json FROM runs ORDER BY id";
        using var runs = cmd.ExecuteReader();
        var n = 0;
        while (runs.Read())
        {
            using var doc = System.Text.Json.JsonDocument.Parse(runs.GetString(0));
            var latency = doc.RootElement.GetProperty("latency_ns");
            n++;
            foreach (var name in new[] { "tick_to_decision", "tick_to_order" })
            {
                var l = latency.GetProperty(name);
                o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"run {n} {name} ns: p50 {l.GetProperty("p50").GetInt64():N0}  p99 {l.GetProperty("p99").GetInt64():N0}  p99.9 {l.GetProperty("p999").GetInt64():N0}  max {l.GetProperty("max").GetInt64():N0}  (n={l.GetProperty("count").GetInt64():N0})"));
            }
        }

        if (n == 0)
        {
            o.WriteLine("no run summary in this journal (the run did not end normally)");
        }
    }
}
