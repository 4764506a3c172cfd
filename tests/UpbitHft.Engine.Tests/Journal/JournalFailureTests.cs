using UpbitHft.Engine.Tests.Logging;
using Microsoft.Data.Sqlite;
using UpbitHft.Engine.Decisions;
using UpbitHft.Engine.Runtime;
using UpbitHft.Engine.Execution;
using UpbitHft.Engine.Reconciliation;
using UpbitHft.Engine.Modes;
using UpbitHft.Engine.Control;
using UpbitHft.Engine.Journal;
using UpbitHft.Engine.Ring;
using UpbitHft.Feed.Markets;
using UpbitHft.TestSupport;

namespace UpbitHft.Engine.Tests.Journal;

/// <summary>A journal that cannot write (the database locked by another process): loud, safe, and nothing lost.</summary>
public sealed class JournalFailureTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("upbithft-journal-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private static long Count(string path, string table)
    {
        using var db = new SqliteConnection($"Data Source={path};Pooling=False");
        db.Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = $"SELECT COUNT(*) FROM {table}";
        return (long)cmd.ExecuteScalar()!;
    }

    private static void Exec(SqliteConnection db, string sql)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    [Fact]
    public async Task A_locked_database_stops_entries_is_reported_and_every_record_is_written_once_it_is_free()
    {
        var path = Path.Combine(_dir, "j.db");
        var log = new CapturingLogger();
        var markets = new MarketTable(8);
        var btc = markets.GetOrAdd("KRW-BTC");
        await using var journal = new JournalWriter(path, null, logger: log);
        var engine = new TradingEngine(new DecisionCore(new DecisionOptions(), 8), markets, journal, "uh-run1-");
        engine.AttachGateway(new Execution.LiveEngineEventTests.RecordingGateway());

        using var blocker = new SqliteConnection($"Data Source={path};Pooling=False");
        blocker.Open();
        Exec(blocker, "BEGIN EXCLUSIVE"); // another process holds the write lock
        for (var i = 0; i < 10; i++)
        {
            journal.Enqueue(new JournalEntry(JournalKind.Error, i, "KRW-BTC", default, default, $"record {i}"));
        }

        await Eventually.TrueAsync(() => !journal.Healthy, TimeSpan.FromSeconds(10), "the journal reports the failure");
        Assert.True(journal.WriteFailures >= 1);
        Assert.Contains("locked", journal.LastError!, StringComparison.OrdinalIgnoreCase);
        // The writer logs right after it marks itself unhealthy: wait for the line rather than race it.
        await Eventually.TrueAsync(() => log.Entries.Any(l => l.Message.Contains("new entries are stopped", StringComparison.Ordinal) && l.Level == Microsoft.Extensions.Logging.LogLevel.Warning), TimeSpan.FromSeconds(10), "the warning");

        // The engine sees it within a second of exchange time and stops entries (exits would continue).
        engine.RestorePosition(btc, 1m, 500_000, 500_000m, 250m);
        var trade = default(EngineEvent);
        trade.Kind = EngineEventKind.Market;
        trade.Market.Kind = Feed.Events.MarketEventKind.Ticker; // any market event moves the engine's second
        trade.Market.MarketId = btc;
        engine.Handle(ref trade);
        Assert.False(engine.Core.JournalHealthy);

        Exec(blocker, "COMMIT"); // the lock goes away
        await Eventually.TrueAsync(() => journal.Healthy && journal.Written >= 10, TimeSpan.FromSeconds(15), "the journal writes again");
        Assert.Equal(10, Count(path, "errors"));
        await Eventually.TrueAsync(() => log.Messages.Any(l => l.Contains("writing again", StringComparison.Ordinal)), TimeSpan.FromSeconds(10), "the recovery line");
    }
}
