using UpbitHft.Engine.Decisions;

namespace UpbitHft.Engine.Journal;

/// <summary>The journal's tables. Money is stored as decimal text (exact); times as exchange Unix ms.</summary>
public static class JournalSchema
{
    public const string Create = """
        CREATE TABLE IF NOT EXISTS decisions (
            id INTEGER PRIMARY KEY, seq INTEGER, ts_ms INTEGER, market TEXT, action TEXT, intent INTEGER, target_intent INTEGER,
            amount_krw TEXT, volume TEXT, limit_price TEXT, exit_reason TEXT,
            rsi REAL, surge_ratio REAL, total_bid_size REAL, total_ask_size REAL, price REAL, target REAL, stop REAL);
        CREATE TABLE IF NOT EXISTS order_events (
            id INTEGER PRIMARY KEY, seq INTEGER, ts_ms INTEGER, market TEXT, intent INTEGER, identifier TEXT, state TEXT,
            executed_volume TEXT, executed_funds TEXT, paid_fee TEXT, reject_reason TEXT);
        CREATE TABLE IF NOT EXISTS trades (
            id INTEGER PRIMARY KEY, seq INTEGER, ts_ms INTEGER, market TEXT, entry_price REAL, exit_price REAL, volume TEXT,
            exit_reason TEXT, fees_krw TEXT, pnl_krw TEXT);
        CREATE TABLE IF NOT EXISTS errors (id INTEGER PRIMARY KEY, seq INTEGER, message TEXT);
        CREATE TABLE IF NOT EXISTS runs (id INTEGER PRIMARY KEY, seq INTEGER, summary_json TEXT);
        CREATE TABLE IF NOT EXISTS sessions (
            id INTEGER PRIMARY KEY, run_id TEXT, mode TEXT, started_utc TEXT, first_intent INTEGER);
        CREATE TABLE IF NOT EXISTS positions (
            id INTEGER PRIMARY KEY, seq INTEGER, ts_ms INTEGER, market TEXT, event TEXT, volume TEXT, entry_price REAL,
            target REAL, stop REAL, exit_price REAL, exit_reason TEXT, pnl_krw TEXT);
        CREATE TABLE IF NOT EXISTS fills (
            id INTEGER PRIMARY KEY, seq INTEGER, ts_ms INTEGER, market TEXT, intent INTEGER, identifier TEXT,
            volume TEXT, funds TEXT, fee TEXT, price REAL);
        """;

    /// <summary>
    /// Columns added after a table was first released, by table: an older journal gains them at open (SQLite's
    /// <c>CREATE TABLE IF NOT EXISTS</c> never changes an existing table), so a journal carries across upgrades.
    /// </summary>
    private static readonly (string Table, string Column, string Type)[] s_added =
    [
        ("trades", "entry_trigger", "REAL"), ("trades", "entry_best", "REAL"), ("trades", "exit_trigger", "REAL"),
        ("trades", "exit_best", "REAL"), ("trades", "slippage_krw", "TEXT"), ("trades", "slippage_bp", "REAL"),
    ];

    /// <summary>Creates what is missing: the tables, then the columns added since (see <see cref="s_added"/>).</summary>
    public static void Apply(Microsoft.Data.Sqlite.SqliteConnection db)
    {
        ArgumentNullException.ThrowIfNull(db);
        using (var create = db.CreateCommand())
        {
            create.CommandText = Create;
            create.ExecuteNonQuery();
        }

        foreach (var group in s_added.GroupBy(a => a.Table))
        {
            var present = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            using (var info = db.CreateCommand())
            {
                info.CommandText = $"PRAGMA table_info({group.Key})";
                using var r = info.ExecuteReader();
                while (r.Read())
                {
                    present.Add(r.GetString(1));
                }
            }

            foreach (var (table, column, type) in group.Where(c => !present.Contains(c.Column)))
            {
                using var alter = db.CreateCommand();
                alter.CommandText = $"ALTER TABLE {table} ADD COLUMN {column} {type}";
                alter.ExecuteNonQuery();
            }
        }
    }

    /// <summary>The journal/summary spelling of an exit reason.</summary>
    public static string? ExitReasonName(ExitReason reason) => reason switch
    {
        ExitReason.TakeProfit => "take_profit",
        ExitReason.StopLoss => "stop_loss",
        ExitReason.KillSwitch => "kill_switch",
        ExitReason.Shutdown => "shutdown",
        ExitReason.Dust => "dust",
        ExitReason.Remainder => "remainder",
        _ => null,
    };
}
