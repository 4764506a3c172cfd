using System.Globalization;
using Microsoft.Data.Sqlite;

namespace UpbitHft.Engine.Reports;

/// <summary><c>upbithft report JOURNAL</c>: trades, win rate, P&amp;L and fees from a journal.</summary>
public static class JournalReport
{
    public static int Write(string path, TextWriter o)
    {
        using var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        db.Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT market, entry_price, exit_price, volume, exit_reason, fees_krw, pnl_krw FROM trades ORDER BY id";
        using var rows = cmd.ExecuteReader();
        var c = CultureInfo.InvariantCulture;
        int count = 0, wins = 0;
        decimal pnl = 0, fees = 0;
        o.WriteLine("market        entry           exit            volume          exit          fees KRW    P&L KRW");
        while (rows.Read())
        {
            var p = decimal.Parse(rows.GetString(6), c);
            var f = decimal.Parse(rows.GetString(5), c);
            count++;
            wins += p > 0 ? 1 : 0;
            pnl += p;
            fees += f;
            o.WriteLine(string.Create(c, $"{rows.GetString(0),-12}  {rows.GetDouble(1),-14:N2}  {rows.GetDouble(2),-14:N2}  {rows.GetString(3),-14}  {rows.GetString(4),-12}  {f,10:N2}  {p,10:+#,0.##;-#,0.##;0}"));
        }

        o.WriteLine(string.Create(c, $"trades {count}, win rate {(count == 0 ? 0 : 100.0 * wins / count):F1} %, P&L {pnl:+#,0.##;-#,0.##;0} KRW after {fees:N2} KRW fees"));
        rows.Close();
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
