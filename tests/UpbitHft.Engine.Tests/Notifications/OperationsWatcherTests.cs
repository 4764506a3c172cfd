using UpbitHft.Engine.Decisions;
using UpbitHft.Engine.Notifications;
using UpbitHft.Engine.Ring;
using UpbitHft.Engine.Runtime;
using UpbitHft.Engine.Tests.Logging;
using UpbitHft.TestSupport;
using UpbitHft.TestSupport.FakeUpbit;

namespace UpbitHft.Engine.Tests.Notifications;

/// <summary>The alerts found by looking: the day's stop, the kill switch, a socket down too long, the journal failing.</summary>
public sealed class OperationsWatcherTests
{
    [Fact]
    public async Task The_days_stop_the_kill_switch_and_a_long_feed_outage_are_each_alerted_once()
    {
        await using var webhook = await WebhookReceiver.StartAsync();
        var notifier = new Notifier(new NotifierOptions { Url = webhook.Url }, new CapturingLogger());
        var options = new DecisionOptions { DailyLossLimitKrw = 10_000m };
        await using var pipeline = new EnginePipeline(new EngineSettings { InputPath = "test", StatusLines = false, Strategy = options }, addUnknownMarkets: true);
        var btc = pipeline.Markets.GetOrAdd("KRW-BTC");
        var ms = SessionScript.Minute31;
        pipeline.Core.RestoreRiskState(pipeline.Core.Risk.DayOf(ms), -12_000m, 1); // the day has lost more than the limit
        var watcher = new OperationsWatcher(pipeline, notifier, TimeSpan.FromSeconds(1), TimeProvider.System);

        pipeline.Engine.Telemetry.PublicFeed.OnStatus(up: true);
        Handle(pipeline, btc, ms); // the engine's second: its telemetry copies the risk gate
        watcher.Check();
        watcher.Check(); // once per occurrence

        pipeline.Engine.Telemetry.PublicFeed.OnStatus(up: false);
        await Task.Delay(TimeSpan.FromSeconds(1.2));
        watcher.Check();
        watcher.Check();
        pipeline.Engine.Telemetry.PublicFeed.OnStatus(up: true);
        watcher.Check();

        var kill = default(EngineEvent);
        kill.Kind = EngineEventKind.Control;
        kill.Control = ControlCommand.KillSwitch;
        pipeline.Engine.Handle(ref kill);
        watcher.Check();
        watcher.Check();

        await Eventually.TrueAsync(() => webhook.Received.Count == 4, TimeSpan.FromSeconds(10), "four alerts");
        await notifier.DisposeAsync();
        Assert.Equal(["daily_loss_stop", "feed_down", "feed_up", "kill_switch"], webhook.Events());
        var stop = webhook.Json()[0];
        Assert.Equal("daily_loss_limit", stop.GetProperty("reason").GetString());
        Assert.Equal(-12_000m, stop.GetProperty("pnl_krw").GetDecimal());
        Assert.Equal("public", webhook.Json()[1].GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_journal_that_cannot_write_is_alerted_and_so_is_its_recovery()
    {
        var dir = Directory.CreateTempSubdirectory("upbithft-watcher-").FullName;
        try
        {
            var path = Path.Combine(dir, "j.db");
            await using var webhook = await WebhookReceiver.StartAsync();
            var notifier = new Notifier(new NotifierOptions { Url = webhook.Url }, new CapturingLogger());
            await using (var pipeline = new EnginePipeline(new EngineSettings { InputPath = "test", StatusLines = false, JournalPath = path, Logging = Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance }, addUnknownMarkets: true))
            {
                var watcher = new OperationsWatcher(pipeline, notifier, TimeSpan.FromSeconds(60), TimeProvider.System);
                using var blocker = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False");
                blocker.Open();
                using (var begin = blocker.CreateCommand())
                {
                    begin.CommandText = "BEGIN EXCLUSIVE";
                    begin.ExecuteNonQuery();
                }

                pipeline.Journal.Enqueue(new Engine.Journal.JournalEntry(Engine.Journal.JournalKind.Error, 1, "", default, default, "x"));
                await Eventually.TrueAsync(() => !pipeline.Journal.Healthy, TimeSpan.FromSeconds(10), "the journal fails");
                watcher.Check();
                watcher.Check();
                using (var commit = blocker.CreateCommand())
                {
                    commit.CommandText = "COMMIT";
                    commit.ExecuteNonQuery();
                }

                await Eventually.TrueAsync(() => pipeline.Journal.Healthy, TimeSpan.FromSeconds(15), "the journal writes again");
                watcher.Check();
            }

            await Eventually.TrueAsync(() => webhook.Received.Count == 2, TimeSpan.FromSeconds(10), "two alerts");
            await notifier.DisposeAsync();
            Assert.Equal(["journal_failure", "journal_recovered"], webhook.Events());
            Assert.Contains("locked", webhook.Json()[0].GetProperty("reason").GetString()!, StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }

    private static void Handle(EnginePipeline pipeline, int market, long ms)
    {
        var ev = default(EngineEvent);
        ev.Kind = EngineEventKind.Market;
        ev.Market.Kind = Feed.Events.MarketEventKind.Trade;
        ev.Market.MarketId = market;
        ev.Market.TradeTimestampMs = ms;
        ev.Market.Price = 500_000;
        ev.Market.Volume = 0.01;
        pipeline.Engine.Handle(ref ev);
    }
}
