using System.Globalization;
using Microsoft.Data.Sqlite;

namespace UpbitHft.Engine.Reports;

/// <summary>
/// A closed trade as the journal's <c>trades</c> table holds it. The slippage fields are null where they are unknown:
/// a journal written before they existed lacks the columns, and a price the engine did not know is stored as NULL.
/// </summary>
public sealed record JournalTrade
{
    /// <summary>The trade's number: 1 for the first closed trade in the journal.</summary>
    public required int Number { get; init; }
    public required long ClosedMs { get; init; }
    public required string Market { get; init; }
    public required double EntryPrice { get; init; }
    public required double ExitPrice { get; init; }
    public required string Volume { get; init; }
    public required string ExitReason { get; init; }
    public required decimal FeesKrw { get; init; }
    public required decimal PnlKrw { get; init; }

    /// <summary>The last trade price when the buy was decided.</summary>
    public double? EntryTrigger { get; init; }

    /// <summary>The best ask when the buy was decided.</summary>
    public double? EntryBest { get; init; }

    /// <summary>The price that triggered the exit (the target for a resting take-profit).</summary>
    public double? ExitTrigger { get; init; }

    /// <summary>The best bid when the exit was decided.</summary>
    public double? ExitBest { get; init; }

    /// <summary>Entry and exit fills against their triggers, in KRW (positive = worse).</summary>
    public decimal? SlippageKrw { get; init; }

    /// <summary><see cref="SlippageKrw"/> in basis points of the entry's value at its trigger.</summary>
    public double? SlippageBp { get; init; }

    /// <summary>
    /// The exit alone: how far the average exit fill fell below the price that triggered the exit, in basis points
    /// of that price ((trigger − fill) ÷ trigger × 10,000; positive = worse). Null where either is unknown.
    /// </summary>
    public double? ExitSlippageBp => ExitTrigger is > 0 and var trigger && ExitPrice > 0 ? (trigger - ExitPrice) / trigger * 10_000 : null;
}

/// <summary>Reads the journal's closed trades, old journals included (missing columns read as unknown).</summary>
public static class JournalTrades
{
    private static readonly string[] s_optional = ["entry_trigger", "entry_best", "exit_trigger", "exit_best", "slippage_krw", "slippage_bp"];

    /// <summary>Opens a journal read-only (a running engine may be writing it).</summary>
    public static SqliteConnection Open(string path)
    {
        var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        db.Open();
        return db;
    }

    /// <summary>The closed trades in the order they were journaled.</summary>
    public static IReadOnlyList<JournalTrade> Read(SqliteConnection db)
    {
        ArgumentNullException.ThrowIfNull(db);
        var present = Columns(db, "trades");
        var optional = string.Join(", ", s_optional.Select(c => present.Contains(c) ? c : "NULL AS " + c));
        using var cmd = db.CreateCommand();
        cmd.CommandText = $"SELECT ts_ms, market, entry_price, exit_price, volume, exit_reason, fees_krw, pnl_krw, {optional} FROM trades ORDER BY id";
        using var r = cmd.ExecuteReader();
        var c = CultureInfo.InvariantCulture;
        var trades = new List<JournalTrade>();
        while (r.Read())
        {
            trades.Add(new JournalTrade
            {
                Number = trades.Count + 1,
                ClosedMs = r.IsDBNull(0) ? 0 : r.GetInt64(0),
                Market = r.GetString(1),
                EntryPrice = r.GetDouble(2),
                ExitPrice = r.GetDouble(3),
                Volume = r.GetString(4),
                ExitReason = r.IsDBNull(5) ? "unknown" : r.GetString(5),
                FeesKrw = decimal.Parse(r.GetString(6), c),
                PnlKrw = decimal.Parse(r.GetString(7), c),
                EntryTrigger = Real(r, 8),
                EntryBest = Real(r, 9),
                ExitTrigger = Real(r, 10),
                ExitBest = Real(r, 11),
                SlippageKrw = r.IsDBNull(12) ? null : decimal.Parse(r.GetString(12), NumberStyles.Float, c),
                SlippageBp = Real(r, 13),
            });
        }

        return trades;
    }

    /// <summary>The columns a table has (none when the table does not exist).</summary>
    public static HashSet<string> Columns(SqliteConnection db, string table)
    {
        ArgumentNullException.ThrowIfNull(db);
        var present = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        using var info = db.CreateCommand();
        info.CommandText = $"PRAGMA table_info({table})";
        using var r = info.ExecuteReader();
        while (r.Read())
        {
            present.Add(r.GetString(1));
        }

        return present;
    }

    private static double? Real(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetDouble(i);
}
