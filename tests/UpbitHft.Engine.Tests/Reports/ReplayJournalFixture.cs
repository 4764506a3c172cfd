using Microsoft.Data.Sqlite;
using UpbitHft.Engine.Cli;

namespace UpbitHft.Engine.Tests.Reports;

/// <summary>One replay of the bundled session with <c>--journal</c> and <c>--candles-out</c>, shared by a test class.</summary>
public sealed class ReplayJournalFixture : IDisposable
{
    public ReplayJournalFixture()
    {
        var (code, _, error) = ReportRun.Cli("replay", "--quiet", "--journal", Journal, "--candles-out", Candles);
        Assert.True(code == 0, error);
        using var db = new SqliteConnection($"Data Source={Journal};Mode=ReadOnly;Pooling=False");
        db.Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT market, exit_reason, slippage_bp, exit_trigger, exit_price FROM trades ORDER BY id";
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            Trades.Add((r.GetString(0), r.GetString(1), r.GetDouble(2), r.GetDouble(3), r.GetDouble(4)));
        }
    }

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("upbithft-report-").FullName;

    public string Journal => Path.Combine(Directory, "journal.db");

    public string Candles => Path.Combine(Directory, "candles.csv");

    /// <summary>The journal's closed trades, read straight from SQLite (not through the code under test).</summary>
    public List<(string Market, string Reason, double SlippageBp, double ExitTrigger, double ExitPrice)> Trades { get; } = [];

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}

/// <summary>Helpers shared by the report tests.</summary>
internal static class ReportRun
{
    public static (int Code, string Out, string Err) Cli(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = CommandLineApp.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>The report line that starts (after indentation) with <paramref name="first"/>, after the line containing <paramref name="section"/>, split on spaces.</summary>
    public static string[] Row(string report, string section, string first)
    {
        var lines = report.Split('\n');
        var start = Array.FindIndex(lines, l => l.Contains(section, StringComparison.Ordinal));
        Assert.True(start >= 0, $"no '{section}' in:\n{report}");
        var line = lines.Skip(start + 1).First(l => l.TrimStart().StartsWith(first + " ", StringComparison.Ordinal) || l.Trim() == first);
        return line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>Nearest-rank percentile, written independently of the code under test.</summary>
    public static double NearestRank(IEnumerable<double> values, double p)
    {
        var sorted = values.OrderBy(v => v).ToList();
        var rank = (int)Math.Ceiling(p / 100.0 * sorted.Count);
        return sorted[Math.Max(rank, 1) - 1];
    }
}
