using System.Globalization;
using Microsoft.Data.Sqlite;

namespace UpbitHft.Engine.Journal;

/// <summary>An order the journal saw decided but never saw finish (the engine stopped before the answer).</summary>
public sealed record UnresolvedOrder(long Intent, string Market, string Action, string RunId)
{
    /// <summary>The identifiers it may have been sent under (one per gateway attempt).</summary>
    public IEnumerable<string> Identifiers(int attempts = UpbitHft.Gateway.Orders.OrderIdentifiers.DefaultMaxAttempts) =>
        Enumerable.Range(0, attempts).Select(a => UpbitHft.Gateway.Orders.OrderIdentifiers.Format(RunId, Intent, a));
}

/// <summary>A closed trade as the journal has it: exchange time, P&amp;L after fees, exit reason.</summary>
public sealed record JournaledTrade(long TimestampMs, decimal PnlKrw, string ExitReason);

/// <summary>
/// What a live restart needs from the previous runs' journal: the highest intent id used (intent ids continue, so
/// a journal row always names one order), orders whose outcome the journal never heard, and the markets the
/// journal believes are held.
/// </summary>
public sealed record JournalState(long MaxIntent, IReadOnlyList<UnresolvedOrder> Unresolved, IReadOnlyList<string> HeldMarkets,
    IReadOnlySet<string> FinalIdentifiers, IReadOnlyList<string> RecentMarkets, DateTimeOffset? LastSessionStart,
    IReadOnlyList<JournaledTrade> RecentTrades)
{
    public static readonly JournalState Empty = new(0, [], [], new HashSet<string>(), [], null, []);

    /// <summary>Reads a journal; a missing file is an empty state.</summary>
    public static JournalState Load(string? path)
    {
        if (path is null || !File.Exists(path))
        {
            return Empty;
        }

        using var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ToString());
        db.Open();
        JournalSchema.Apply(db); // an older journal gains the newer tables and columns

        var max = Scalar(db, "SELECT MAX(m) FROM (SELECT MAX(intent) m FROM decisions UNION ALL SELECT MAX(intent) FROM order_events UNION ALL SELECT MAX(first_intent) - 1 FROM sessions)");
        var unresolved = new List<UnresolvedOrder>();
        using (var cmd = db.CreateCommand())
        {
            cmd.CommandText = """
                SELECT d.intent, d.market, d.action,
                       (SELECT s.run_id FROM sessions s WHERE s.first_intent <= d.intent ORDER BY s.first_intent DESC LIMIT 1)
                FROM decisions d
                WHERE d.action IN ('SubmitMarketBuy', 'SubmitMarketSell', 'SubmitLimitSell')
                  AND NOT EXISTS (SELECT 1 FROM order_events o WHERE o.intent = d.intent AND o.state IN ('Done', 'Cancelled', 'Rejected'))
                ORDER BY d.intent
                """;
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                if (!r.IsDBNull(3))
                {
                    unresolved.Add(new UnresolvedOrder(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3)));
                }
            }
        }

        var held = new List<string>();
        using (var cmd = db.CreateCommand())
        {
            cmd.CommandText = "SELECT market FROM positions p WHERE id = (SELECT MAX(id) FROM positions q WHERE q.market = p.market) AND event IN ('opened', 'rebased') ORDER BY market";
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                held.Add(r.GetString(0));
            }
        }

        var final = new HashSet<string>(StringComparer.Ordinal);
        using (var cmd = db.CreateCommand())
        {
            cmd.CommandText = "SELECT DISTINCT identifier FROM order_events WHERE identifier IS NOT NULL AND state IN ('Done', 'Cancelled', 'Rejected')";
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                final.Add(r.GetString(0));
            }
        }

        // The markets the last session decided anything in (where its orders may be that the journal did not hear of).
        var recent = new List<string>();
        DateTimeOffset? lastStart = null;
        using (var cmd = db.CreateCommand())
        {
            cmd.CommandText = "SELECT started_utc, first_intent FROM sessions ORDER BY id DESC LIMIT 1";
            using var r = cmd.ExecuteReader();
            if (r.Read())
            {
                lastStart = DateTimeOffset.Parse(r.GetString(0), CultureInfo.InvariantCulture);
                var first = r.GetInt64(1);
                r.Close();
                using var m = db.CreateCommand();
                m.CommandText = "SELECT DISTINCT market FROM decisions WHERE intent >= $first ORDER BY market";
                m.Parameters.AddWithValue("$first", first);
                using var mr = m.ExecuteReader();
                while (mr.Read())
                {
                    recent.Add(mr.GetString(0));
                }
            }
        }

        // The trades of the last two days (of the journal's own clock), oldest first: the risk state is rebuilt from them.
        var trades = new List<JournaledTrade>();
        using (var cmd = db.CreateCommand())
        {
            cmd.CommandText = "SELECT ts_ms, pnl_krw, exit_reason FROM trades WHERE ts_ms >= (SELECT MAX(ts_ms) FROM trades) - 172800000 ORDER BY id";
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                trades.Add(new JournaledTrade(r.GetInt64(0), decimal.Parse(r.GetString(1), CultureInfo.InvariantCulture), r.IsDBNull(2) ? "" : r.GetString(2)));
            }
        }

        return new JournalState(max, unresolved, held, final, recent, lastStart, trades);
    }

    private static long Scalar(SqliteConnection db, string sql)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteScalar() is long v ? v : 0;
    }
}
