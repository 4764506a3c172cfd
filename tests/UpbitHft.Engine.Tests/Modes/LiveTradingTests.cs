using System.Globalization;
using Microsoft.Data.Sqlite;
using UpbitHft.Engine.Cli;
using UpbitHft.Engine.Decisions;
using UpbitHft.Engine.Runtime;
using UpbitHft.Engine.Execution;
using UpbitHft.Engine.Reconciliation;
using UpbitHft.Engine.Modes;
using UpbitHft.Engine.Control;
using UpbitHft.Engine.Logging;
using Microsoft.Extensions.Logging;
using UpbitHft.Gateway.Auth;
using UpbitHft.TestSupport;
using UpbitHft.TestSupport.FakeUpbit;

namespace UpbitHft.Engine.Tests.Modes;

/// <summary>
/// <c>live</c> mode in process against the fake Upbit (REST with a ledger, public and private WebSocket, all on
/// 127.0.0.1): real signed orders, answers through the ring, myOrder on the private socket, start-up reconciliation.
/// </summary>
public sealed class LiveTradingTests : IDisposable
{
    // The fake's warm-up candles end with the minute starting 2026-11-02 00:30 UTC; the script continues from 00:31.
    private static readonly long Minute31 = SessionScript.Minute31;

    private readonly string _dir = Directory.CreateTempSubdirectory("upbithft-livetrading-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private EngineSettings Settings(string name, bool resting = false, bool flatten = true) => new()
    {
        InputPath = "live",
        JournalPath = Path.Combine(_dir, name + ".db"),
        StatusLines = false,
        FlattenOnShutdown = flatten,
        Strategy = new DecisionOptions { RestingTakeProfit = resting },
    };

    private static LiveSettings Live(FakeUpbitExchange x) => new()
    {
        RestUrl = x.Rest.BaseUrl,
        WsUrl = x.WebSocket.Url,
        PrivateWsUrl = x.PrivateUrl,
        ShutdownTimeout = TimeSpan.FromSeconds(10),
    };

    private static UpbitCredentials Keys(FakeUpbitExchange x) => new(x.Rest.Options.AccessKey, x.Rest.Options.SecretKey);

    /// <summary>
    /// Runs live until the script is played and <paramref name="done"/> holds (or the run ends by itself), then shuts
    /// down like Ctrl+C. Not there within 30 s fails the test, with the engine's log, after stopping the engine.
    /// </summary>
    private static async Task<(RunResult Result, string Log)> RunUntilAsync(FakeUpbitExchange x, EngineSettings settings, int scriptLength, Func<bool> done, LiveSettings? live = null)
    {
        using var stop = new CancellationTokenSource();
        var log = new StringWriter();
        var synchronizedLog = TextWriter.Synchronized(log);
        // The engine's components log to the same place as the run's status lines, as the CLI's console does.
        using var logging = LoggerFactory.Create(b => b.AddProvider(new LineLoggerProvider(synchronizedLog)));
        var run = LiveRunner.RunLiveAsync(settings with { Logging = logging }, live ?? Live(x), Keys(x), synchronizedLog, stop.Token);
        try
        {
            await Eventually.TrueAsync(() => run.IsCompleted || (x.WebSocket.Sent >= scriptLength && done()), TimeSpan.FromSeconds(30),
                "the script played and the test's condition met", () => $"frames sent {x.WebSocket.Sent} of {scriptLength}; engine log:{Environment.NewLine}{synchronizedLog}");
        }
        finally
        {
            await stop.CancelAsync();
        }

        var result = await run.WaitAsync(TimeSpan.FromSeconds(60));
        return (result, log.ToString());
    }

    private static long Count(string journal, string sql)
    {
        using var db = new SqliteConnection($"Data Source={journal};Pooling=False");
        db.Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        return (long)cmd.ExecuteScalar()!;
    }

    private static List<byte[]> TakeProfitScript() => new SessionScript()
        .Surge("KRW-BTC")
        .Quiet("KRW-BTC", Minute31 + 61_000, 60) // the buy is answered meanwhile
        .MoveTo("KRW-BTC", Minute31 + 62_000, 501_500) // +0.3 % from the 500,000 fill
        .Quiet("KRW-BTC", Minute31 + 63_000, 40, bid: 501_500).Frames;

    [Fact]
    public async Task A_surge_is_bought_and_sold_at_the_take_profit_with_real_signed_orders_and_answers_through_the_ring()
    {
        var script = TakeProfitScript();
        await using var x = await FakeUpbitExchange.StartAsync(script);
        x.WebSocket.Pace = TimeSpan.FromMilliseconds(20);
        var settings = Settings("tp");

        var (result, log) = await RunUntilAsync(x, settings, script.Count, () => x.Rest.Orders.Count(o => o.Side == "ask" && o.State == "done") == 1);

        // The buy was foreseen, signed ahead by the gateway thread while it waited, and went out so (the fake checked its JWT).
        Assert.True(result.EntriesForeseen >= 1);
        Assert.Equal(1, result.SignedAhead.Taken);

        var trade = Assert.Single(result.ClosedTrades);
        Assert.Equal(("KRW-BTC", "take_profit", 500_000d, 501_500d), (trade.Market, trade.ExitReason, trade.EntryPrice, trade.ExitPrice));
        Assert.Equal(1m, trade.Volume);
        // 1 BTC: +1,500 KRW less 0.05 % fees on each side (250 + 250.75).
        Assert.Equal(1_500m - 250m - 250.75m, trade.PnlKrw);

        // The exchange saw exactly one buy and one sell, both the engine's (identifier uh-…), and nothing is left open.
        var orders = x.Rest.Orders;
        Assert.Equal(2, orders.Count);
        Assert.All(orders, o => Assert.StartsWith("uh-", o.Identifier, StringComparison.Ordinal));
        Assert.Equal(("bid", "price", "done"), (orders[0].Side, orders[0].OrdType, orders[0].State));
        Assert.Equal(("ask", "market", "done"), (orders[1].Side, orders[1].OrdType, orders[1].State));
        Assert.Empty(x.Rest.OpenOrders);
        Assert.False(x.Rest.Balances().ContainsKey("BTC"));
        Assert.Equal(0, x.Rest.Violations);
        Assert.True(x.WebSocket.PrivateConnections >= 1, log);
        Assert.Equal(0, x.WebSocket.PrivateRefused); // the private socket's JWT verified like a REST one
        Assert.DoesNotContain(x.Rest.Options.SecretKey, log, StringComparison.Ordinal);
        Assert.DoesNotContain("threw", log, StringComparison.Ordinal); // no handler fault (a shutdown command once was one)

        // Tick-to-order ends at the signed request in live mode: one per order the ticks caused.
        Assert.Equal(2, result.TickToOrder.Count);
        Assert.True(result.TickToOrder.P50 > 0);

        // The journal: the session, both orders' fills, the position opened and closed, the trade.
        var journal = settings.JournalPath!;
        Assert.Equal(1, Count(journal, "SELECT COUNT(*) FROM sessions WHERE mode = 'live'"));
        Assert.Equal(2, Count(journal, "SELECT COUNT(*) FROM fills"));
        Assert.Equal(1, Count(journal, "SELECT COUNT(*) FROM positions WHERE event = 'opened'"));
        Assert.Equal(1, Count(journal, "SELECT COUNT(*) FROM positions WHERE event = 'closed' AND exit_reason = 'take_profit'"));
        Assert.Equal(1, Count(journal, "SELECT COUNT(*) FROM trades"));
        Assert.Equal(0, Count(journal, "SELECT COUNT(*) FROM order_events WHERE state = 'Rejected'"));
    }

    [Fact]
    public async Task With_signing_ahead_off_nothing_is_foreseen_or_signed_ahead_and_the_same_trade_is_made()
    {
        var script = TakeProfitScript();
        await using var x = await FakeUpbitExchange.StartAsync(script);
        x.WebSocket.Pace = TimeSpan.FromMilliseconds(20);

        var (result, _) = await RunUntilAsync(x, Settings("off"), script.Count, () => x.Rest.Orders.Count(o => o.Side == "ask" && o.State == "done") == 1, Live(x) with { SignAhead = false });

        Assert.Equal(("KRW-BTC", "take_profit"), (Assert.Single(result.ClosedTrades).Market, result.ClosedTrades[0].ExitReason));
        Assert.Equal((0L, (0L, 0L, 0L)), (result.EntriesForeseen, result.SignedAhead));
        Assert.Equal(2, x.Rest.Orders.Count);
    }

    [Fact]
    public async Task A_restart_reconciles_with_the_exchange_and_the_journal_re_arms_the_exits_and_never_buys_twice()
    {
        // Run 1 buys on a surge, rests its take-profit at 501,500 and is stopped keeping the position (as a crash
        // would leave it). Run 2, with the same journal, must find the position at the exchange, cancel run 1's
        // resting order, rest a new one, and when the price falls to the stop cancel that first, then sell.
        var session = new SessionScript().Surge("KRW-BTC").Quiet("KRW-BTC", Minute31 + 61_000, 60);
        var part1 = session.Count;
        var script = session
            .Quiet("KRW-BTC", Minute31 + 120_000, 40) // run 2 restores and re-arms meanwhile
            .MoveTo("KRW-BTC", Minute31 + 121_000, 498_000, 5)
            .MoveTo("KRW-BTC", Minute31 + 122_000, 494_000) // below the 495,000 stop
            .Quiet("KRW-BTC", Minute31 + 123_000, 40, bid: 494_000).Frames;
        await using var x = await FakeUpbitExchange.StartAsync(script);
        x.WebSocket.Pace = TimeSpan.FromMilliseconds(20);
        x.WebSocket.HoldAt = part1;

        var first = Settings("restart", resting: true, flatten: false);
        var (run1, log1) = await RunUntilAsync(x, first, part1, () => x.Rest.OpenOrders.Count == 1);
        Assert.Empty(run1.ClosedTrades);
        var resting1 = Assert.Single(x.Rest.OpenOrders);
        Assert.Equal(("ask", "limit", 501_500m), (resting1.Side, resting1.OrdType, resting1.Price));
        Assert.Equal(1m, x.Rest.Balances()["BTC"].Locked);

        x.WebSocket.HoldAt = int.MaxValue;
        var second = first with { JournalPath = first.JournalPath };
        var (run2, log2) = await RunUntilAsync(x, second, script.Count, () => x.Rest.Orders.Any(o => o is { Side: "ask", OrdType: "market", State: "done" }));

        Assert.Contains("cancelled the previous run's open order " + resting1.Identifier, log2, StringComparison.Ordinal);
        Assert.Contains("KRW-BTC: holding 1 at avg 500000; restored with exits re-armed", log2, StringComparison.Ordinal);
        var trade = Assert.Single(run2.ClosedTrades);
        Assert.Equal(("stop_loss", 500_000d, 494_000d, 1m), (trade.ExitReason, trade.EntryPrice, trade.ExitPrice, trade.Volume));

        // The exchange: one buy ever; run 1's resting sell and run 2's were both cancelled; the remainder sold at market.
        var orders = x.Rest.Orders;
        Assert.Single(orders, o => o.Side == "bid");
        var limits = orders.Where(o => o.OrdType == "limit").ToList();
        Assert.Equal(2, limits.Count);
        Assert.All(limits, o => Assert.Equal("cancel", o.State));
        Assert.Single(orders, o => o is { Side: "ask", OrdType: "market", State: "done", Volume: 1m });
        Assert.Empty(x.Rest.OpenOrders);
        Assert.False(x.Rest.Balances().ContainsKey("BTC"));
        Assert.Equal(0, x.Rest.Violations);

        // Identifiers are never reused: run 2 has its own run id and continues the intent numbering.
        static (string Run, long Intent) Parts(string identifier)
        {
            var p = identifier.Split('-');
            return (p[1], long.Parse(p[2], CultureInfo.InvariantCulture));
        }

        var (run1Id, run1Intent) = Parts(limits[0].Identifier!);
        var (run2Id, run2Intent) = Parts(limits[1].Identifier!);
        Assert.NotEqual(run1Id, run2Id);
        Assert.True(run2Intent > run1Intent, $"{limits[0].Identifier} then {limits[1].Identifier}");

        var journal = first.JournalPath!;
        Assert.Equal(2, Count(journal, "SELECT COUNT(*) FROM sessions"));
        Assert.Equal(2, Count(journal, "SELECT COUNT(*) FROM positions WHERE event = 'opened'"));
        Assert.Equal(1, Count(journal, "SELECT COUNT(*) FROM positions WHERE event = 'closed' AND exit_reason = 'stop_loss'"));
        // Run 1's resting order, unresolved in its journal, was looked up at the restart; its cancel is journaled last.
        Assert.Equal(1, Count(journal, $"SELECT COUNT(*) FROM order_events WHERE identifier = '{resting1.Identifier}' AND seq = 0 AND state = 'Accepted'"));
        Assert.Equal(1, Count(journal, $"SELECT COUNT(*) FROM order_events WHERE id = (SELECT MAX(id) FROM order_events WHERE identifier = '{resting1.Identifier}') AND state = 'Cancelled'"));
        Assert.DoesNotContain("warning", log1 + log2, StringComparison.OrdinalIgnoreCase);
    }
}
