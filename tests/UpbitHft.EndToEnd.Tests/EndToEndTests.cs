using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using UpbitHft.TestSupport.FakeUpbit;
using UpbitHft.TestSupport.FakeUpbit.Rest;

namespace UpbitHft.EndToEnd.Tests;

/// <summary>
/// The shared harness. The engine as a user runs it — a separate <c>upbithft</c> process — against the fake Upbit over real sockets on
/// 127.0.0.1: scripted market data on the public socket, signed REST orders filled against the published book,
/// myOrder on the private socket, faults injected on the way.
/// </summary>
public abstract class EndToEndTest : IDisposable
{
    protected static readonly long M31 = SessionScript.Minute31;
    protected static readonly TimeSpan Pace = TimeSpan.FromMilliseconds(15);

    private readonly string _dir = Directory.CreateTempSubdirectory("upbithft-e2e-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    protected string P(string name) => Path.Combine(_dir, name);

    protected static Dictionary<string, string?> Keys(FakeUpbitExchange x) => new()
    {
        ["UPBIT_ACCESS_KEY"] = x.Rest.Options.AccessKey,
        ["UPBIT_SECRET_KEY"] = x.Rest.Options.SecretKey,
    };

    protected static List<string> Endpoints(FakeUpbitExchange x) =>
        ["--rest-url", x.Rest.BaseUrl.ToString(), "--ws-url", x.WebSocket.Url.ToString(), "--quiet", "--warmup-candles", "40"];

    protected EngineProcess Live(FakeUpbitExchange x, string journal, string summary, params string[] extra) =>
        EngineProcess.Start(["live", "--confirm-live", .. Endpoints(x), "--ws-private-url", x.PrivateUrl.ToString(), "--journal", journal, "--summary-json", summary, .. extra], Keys(x));

    protected static async Task WaitUntilAsync(Func<bool> condition, EngineProcess engine, string what, double seconds = 30)
    {
        string Diagnostics() => $"engine exited: {engine.HasExited}\nstdout:\n{engine.Output}\nstderr:\n{engine.Error}";
        await UpbitHft.TestSupport.Eventually.TrueAsync(() => condition() || engine.HasExited, TimeSpan.FromSeconds(seconds), what, Diagnostics);
        if (!condition())
        {
            throw new TimeoutException($"{what}: not reached, the engine exited.\n{Diagnostics()}");
        }
    }

    /// <summary>SIGTERM, then exit code 0 and the summary.</summary>
    protected static async Task<JsonElement> StopAsync(EngineProcess engine, string summary)
    {
        engine.Terminate();
        var code = await engine.WaitForExitAsync(TimeSpan.FromSeconds(60));
        Assert.True(code == 0, $"exit {code}\nstdout:\n{engine.Output}\nstderr:\n{engine.Error}");
        Assert.DoesNotContain("threw", engine.Error, StringComparison.Ordinal); // no handler fault, ever
        using var doc = JsonDocument.Parse(File.ReadAllText(summary));
        return doc.RootElement.Clone();
    }

    protected static List<(string Market, string Reason, double Entry, double Exit)> Trades(JsonElement summary) =>
        [.. summary.GetProperty("trades").EnumerateArray()
            .Select(t => (t.GetProperty("market").GetString()!, t.GetProperty("exit_reason").GetString()!, t.GetProperty("entry_price").GetDouble(), t.GetProperty("exit_price").GetDouble()))
            .OrderBy(t => t.Item1, StringComparer.Ordinal)];

    protected static long Count(string journal, string sql)
    {
        using var db = new SqliteConnection($"Data Source={journal};Pooling=False");
        db.Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        return (long)cmd.ExecuteScalar()!;
    }

    /// <summary>A count from the journal while the engine may still be creating it (0 until its tables exist).</summary>
    protected static long CountWhenReady(string journal, string sql)
    {
        try
        {
            return File.Exists(journal) ? Count(journal, sql) : 0;
        }
        catch (SqliteException)
        {
            return 0;
        }
    }

    /// <summary>Positions whose latest journal row says they are held.</summary>
    protected const string HeldPositions =
        "SELECT COUNT(*) FROM positions p WHERE id = (SELECT MAX(id) FROM positions q WHERE q.market = p.market) AND event IN ('opened', 'rebased')";

    protected static bool Sold(FakeUpbitExchange x, int n) => x.Rest.Orders.Count(o => o.Side == "ask" && o.State == "done") >= n;

    /// <summary>
    /// The seed example: KRW-BTC and KRW-XRP surge together; both are bought at 500,000; BTC rises to 501,500 and is
    /// sold on the take-profit, XRP falls to 494,000 and is sold on the stop.
    /// </summary>
    protected static SessionScript SeedSession() => new SessionScript()
        .Surge("KRW-BTC", "KRW-XRP")
        .Quiet("KRW-BTC", M31 + 61_000, 40)
        .MoveTo("KRW-BTC", M31 + 62_000, 501_500)
        .MoveTo("KRW-XRP", M31 + 62_500, 494_000)
        .Quiet("KRW-BTC", M31 + 63_000, 60, bid: 501_500);
}

/// <summary>The seed example in live and paper mode, and the OCO with a resting take-profit.</summary>
public sealed class TradingEndToEndTests : EndToEndTest
{
    [Fact]
    public async Task Seed_example_live_take_profit_and_stop_with_nothing_left_open_and_balances_that_reconcile()
    {
        var script = SeedSession();
        await using var x = await FakeUpbitExchange.StartAsync(script.Frames);
        x.WebSocket.Pace = Pace;
        using var engine = Live(x, P("j.db"), P("s.json"));
        await WaitUntilAsync(() => x.WebSocket.Sent >= script.Count && Sold(x, 2), engine, "both exits");
        var summary = await StopAsync(engine, P("s.json"));

        Assert.Equal([("KRW-BTC", "take_profit", 500_000d, 501_500d), ("KRW-XRP", "stop_loss", 500_000d, 494_000d)], Trades(summary));
        Assert.Empty(x.Rest.OpenOrders);
        var balances = x.Rest.Balances();
        Assert.Equal(["KRW"], balances.Keys);
        // The exchange's KRW moved by exactly the P&L the engine reports (fees included).
        Assert.Equal(summary.GetProperty("pnl_krw").GetDecimal(), balances["KRW"].Balance - x.Rest.Options.InitialKrw);
        Assert.Equal(4, x.Rest.Orders.Count);
        Assert.Equal(0, x.Rest.Violations);
        Assert.Equal(4, summary.GetProperty("orders").GetInt64());
        Assert.Equal(0, summary.GetProperty("messages").GetProperty("rejected").GetInt64()); // myOrder and myAsset frames parse too
        Assert.Equal(4, summary.GetProperty("latency_ns").GetProperty("tick_to_order").GetProperty("count").GetInt64());
        // The entries were foreseen and signed ahead by the gateway thread; the fake checked the JWTs of those that went
        // out so. (The second entry's hint is stale when the first buy's fill lands just before its trigger, as it can
        // on a loaded machine: that order is then signed as it goes.)
        var ahead = summary.GetProperty("order_path").GetProperty("entries_signed_ahead");
        Assert.InRange(ahead.GetProperty("taken").GetInt64(), 1, 2);
        Assert.Equal(ahead.GetProperty("foreseen").GetInt64(), ahead.GetProperty("kept").GetInt64());
    }

    [Fact]
    public async Task Seed_example_paper_trades_the_same_as_live_and_sends_no_order()
    {
        var script = SeedSession();
        await using var x = await FakeUpbitExchange.StartAsync(script.Frames);
        x.WebSocket.Pace = Pace;
        using var engine = EngineProcess.Start(["paper", .. Endpoints(x), "--summary-json", P("s.json"), "--journal", P("j.db")]);
        await WaitUntilAsync(() => x.WebSocket.Sent >= script.Count && CountWhenReady(P("j.db"), "SELECT COUNT(*) FROM trades") == 2, engine, "the session played and both trades closed");
        var summary = await StopAsync(engine, P("s.json"));

        Assert.Equal([("KRW-BTC", "take_profit", 500_000d, 501_500d), ("KRW-XRP", "stop_loss", 500_000d, 494_000d)], Trades(summary));
        Assert.Empty(x.Rest.Orders);
    }

    [Fact]
    public async Task A_resting_take_profit_that_fills_disarms_the_stop()
    {
        var script = new SessionScript()
            .Surge("KRW-BTC")
            .Quiet("KRW-BTC", M31 + 61_000, 40)
            .MoveTo("KRW-BTC", M31 + 62_000, 501_500) // the fake fills the resting sell at 501,500
            .Quiet("KRW-BTC", M31 + 62_500, 30, bid: 501_500)
            .MoveTo("KRW-BTC", M31 + 63_000, 494_000) // would be the stop, were it still armed
            .Quiet("KRW-BTC", M31 + 63_500, 30, bid: 494_000);
        await using var x = await FakeUpbitExchange.StartAsync(script.Frames);
        x.WebSocket.Pace = Pace;
        using var engine = Live(x, P("j.db"), P("s.json"), "--resting-take-profit");
        await WaitUntilAsync(() => x.WebSocket.Sent >= script.Count && Sold(x, 1) && CountWhenReady(P("j.db"), "SELECT COUNT(*) FROM trades") == 1, engine, "the limit fill, journaled");
        var summary = await StopAsync(engine, P("s.json"));

        Assert.Equal([("KRW-BTC", "take_profit", 500_000d, 501_500d)], Trades(summary));
        var asks = x.Rest.Orders.Where(o => o.Side == "ask").ToList();
        var limit = Assert.Single(asks); // no market sell: the stop was disarmed by the fill
        Assert.Equal(("limit", "done", 501_500m), (limit.OrdType, limit.State, limit.Price));
        Assert.Empty(x.Rest.OpenOrders);
        Assert.Equal(0, x.Rest.Violations);
    }
}

/// <summary>Answers lost, rate-limit storms, bad frames.</summary>
public sealed class FaultEndToEndTests : EndToEndTest
{
    [Theory]
    [InlineData("timeout")]
    [InlineData("dropped")]
    [InlineData("duplicated_identifier")]
    public async Task A_buy_whose_answer_is_lost_after_the_exchange_created_it_exists_exactly_once(string fault)
    {
        var script = new SessionScript()
            .Surge("KRW-BTC")
            .Quiet("KRW-BTC", M31 + 61_000, 250) // time for the lookup by identifier
            .MoveTo("KRW-BTC", M31 + 64_000, 501_500)
            .Quiet("KRW-BTC", M31 + 64_500, 40, bid: 501_500);
        var options = new FakeUpbitRestOptions { CreateDelayMs = 4_000 };
        switch (fault)
        {
            case "timeout":
                options.DelayNextCreates = 1; // answered after the engine's 3 s request timeout
                break;
            case "dropped":
                options.DropNextCreates = 1;
                break;
            default:
                options.DuplicatedIdentifierNext = 1;
                break;
        }

        await using var x = await FakeUpbitExchange.StartAsync(script.Frames, options);
        x.WebSocket.Pace = Pace;
        using var engine = Live(x, P("j.db"), P("s.json"));
        await WaitUntilAsync(() => x.WebSocket.Sent >= script.Count && Sold(x, 1), engine, "the exit");
        var summary = await StopAsync(engine, P("s.json"));

        Assert.Single(x.Rest.Orders, o => o.Side == "bid");
        Assert.Equal([("KRW-BTC", "take_profit", 500_000d, 501_500d)], Trades(summary));
        Assert.True(Count(P("j.db"), "SELECT COUNT(*) FROM order_events WHERE state = 'Unknown'") >= 1); // it was looked up, not resent
        Assert.Empty(x.Rest.OpenOrders);
    }

    [Fact]
    public async Task A_429_storm_and_a_418_block_cause_no_limit_violation_and_trading_resumes()
    {
        var script = new SessionScript().Surge("KRW-BTC");
        // The entry is refused (429 twice, then 418 for 2 s); the engine retries on later books once the block ends,
        // pausing 1, 2, 4 … s between refused attempts (a market that keeps refusing never becomes an order storm).
        for (var i = 0; i < 30; i++)
        {
            script.Book("KRW-BTC", M31 + 61_000 + (i * 500), 499_500, 500_000, 10, 5);
            script.Quiet("KRW-BTC", M31 + 61_010 + (i * 500), 30);
        }

        script.MoveTo("KRW-BTC", M31 + 78_000, 501_500).Quiet("KRW-BTC", M31 + 78_500, 40, bid: 501_500);
        var options = new FakeUpbitRestOptions { TooManyNextOrders = 2, TeapotNextOrders = 1, BlockSeconds = 2 };
        await using var x = await FakeUpbitExchange.StartAsync(script.Frames, options);
        x.WebSocket.Pace = Pace;
        using var engine = Live(x, P("j.db"), P("s.json"));
        await WaitUntilAsync(() => x.WebSocket.Sent >= script.Count && Sold(x, 1), engine, "the trade after the block", seconds: 45);
        var summary = await StopAsync(engine, P("s.json"));

        Assert.Equal(0, x.Rest.Violations);
        Assert.Equal(1, x.Rest.ResponseCount("POST /v1/orders", 418)); // the block happened, and nothing was sent into it
        Assert.Single(x.Rest.Orders, o => o.Side == "bid");
        Assert.Equal("take_profit", Trades(summary).Single().Reason);
    }

    [Fact]
    public async Task Malformed_frames_and_unknown_markets_are_skipped_and_counted_and_trading_goes_on()
    {
        var script = new SessionScript()
            .Raw("{\"type\":\"trade\",\"code\":\"KRW-BTC\",\"trade_price\":") // truncated
            .Raw("not json at all")
            .Raw(System.Text.Encoding.UTF8.GetString(SessionScript.TradeFrame("KRW-DOGE", M31, 100, 1, 1))) // not in the market list
            .Surge("KRW-BTC")
            .Raw("{\"type\":\"orderbook\",\"code\":\"KRW-BTC\",\"orderbook_units\":\"oops\"}")
            .Quiet("KRW-BTC", M31 + 61_000, 40)
            .MoveTo("KRW-BTC", M31 + 62_000, 501_500)
            .Quiet("KRW-BTC", M31 + 62_500, 40, bid: 501_500);
        await using var x = await FakeUpbitExchange.StartAsync(script.Frames);
        x.WebSocket.Pace = Pace;
        using var engine = Live(x, P("j.db"), P("s.json"));
        await WaitUntilAsync(() => x.WebSocket.Sent >= script.Count && Sold(x, 1), engine, "the exit");
        var summary = await StopAsync(engine, P("s.json"));

        Assert.True(summary.GetProperty("messages").GetProperty("rejected").GetInt64() >= 4, summary + "\n" + engine.Error);
        Assert.Equal([("KRW-BTC", "take_profit", 500_000d, 501_500d)], Trades(summary));
    }
}

/// <summary>SIGKILL at several points, then a restart that reconciles.</summary>
public sealed class CrashEndToEndTests : EndToEndTest
{
    /// <summary>Where the crash happens, and what the fake exchange must have seen before the engine is killed.</summary>
    public enum CrashPoint
    {
        /// <summary>The buy reached the exchange; the engine never handled the answer.</summary>
        AfterBuySent,
        /// <summary>The position is open with its take-profit resting on the exchange.</summary>
        PositionOpen,
        /// <summary>The stop's market sell reached the exchange; the engine never handled the answer.</summary>
        WhileExiting,
    }

    [Theory]
    [InlineData(CrashPoint.AfterBuySent)]
    [InlineData(CrashPoint.PositionOpen)]
    [InlineData(CrashPoint.WhileExiting)]
    public async Task Killed_and_restarted_the_engine_reconciles_re_arms_never_buys_twice_and_its_journal_matches_the_exchange(CrashPoint point)
    {
        var session = new SessionScript().Surge("KRW-BTC").Quiet("KRW-BTC", M31 + 61_000, 60);
        if (point == CrashPoint.WhileExiting)
        {
            session.MoveTo("KRW-BTC", M31 + 62_000, 494_000).Quiet("KRW-BTC", M31 + 62_500, 100, bid: 494_000);
        }

        var part1 = session.Count;
        // After the restart: time to reconcile, then the price falls to the stop (a position still held is sold there).
        session.Quiet("KRW-BTC", M31 + 120_000, 120).MoveTo("KRW-BTC", M31 + 125_000, 494_000).Quiet("KRW-BTC", M31 + 125_500, 60, bid: 494_000);
        await using var x = await FakeUpbitExchange.StartAsync(session.Frames);
        x.WebSocket.Pace = Pace;
        x.WebSocket.HoldAt = part1;

        // A kill at the exact moment: the fake exchange pulls the trigger from inside the request that reaches it.
        EngineProcess? first = null;
        var killed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Action<FakeOrder> crash = order =>
        {
            var trigger = point switch
            {
                CrashPoint.AfterBuySent => order is { Side: "bid" },
                CrashPoint.PositionOpen => order is { Side: "ask", OrdType: "limit", State: "wait" },
                _ => order is { Side: "ask", OrdType: "market" },
            };
            if (trigger && !killed.Task.IsCompleted)
            {
                first?.Kill();
                killed.TrySetResult();
            }
        };
        x.Rest.OrderChanged = crash + x.Rest.OrderChanged; // killed before the private socket can tell it anything

        var journal = P("j.db");
        first = Live(x, journal, P("s1.json"), "--resting-take-profit");
        await killed.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await first.WaitForExitAsync(TimeSpan.FromSeconds(10));
        Assert.NotEqual(0, first.Id);

        x.WebSocket.HoldAt = int.MaxValue;
        using var second = Live(x, journal, P("s2.json"), "--resting-take-profit");
        await WaitUntilAsync(() => x.WebSocket.Sent >= session.Count && x.Rest.Balances().Keys.All(k => k == "KRW") && x.Rest.OpenOrders.Count == 0
            && CountWhenReady(journal, "SELECT COUNT(*) FROM sessions") == 2 && CountWhenReady(journal, HeldPositions) == 0, second, "flat at the exchange and in the journal", seconds: 45);
        var summary = await StopAsync(second, P("s2.json"));

        // One buy ever; the coins are gone; nothing open.
        Assert.Single(x.Rest.Orders, o => o.Side == "bid");
        Assert.Empty(x.Rest.OpenOrders);
        Assert.Equal(["KRW"], x.Rest.Balances().Keys);
        Assert.Equal(0, x.Rest.Violations);
        if (point == CrashPoint.WhileExiting)
        {
            // The sell completed at the exchange while the engine was down: the restart finds nothing to hold (unless
            // the fill's myOrder still reached the dying engine, which then closed the trade itself).
            Assert.True(Count(journal, "SELECT COUNT(*) FROM positions WHERE exit_reason = 'closed_at_exchange'") == 1
                || Count(journal, "SELECT COUNT(*) FROM positions WHERE event = 'closed'") == 1, second.Error);
            // Either way the journal ends with the position closed, as the exchange has it.
            Assert.Equal(1, Count(journal, "SELECT COUNT(*) FROM positions WHERE id = (SELECT MAX(id) FROM positions) AND event = 'closed'"));
            Assert.Empty(Trades(summary));
        }
        else
        {
            // The restart restored the position from the exchange's balance and average price, exits re-armed.
            Assert.Equal(1, Count(journal, "SELECT COUNT(*) FROM positions WHERE event = 'opened' AND volume = '1' AND entry_price = 500000 AND ts_ms = 0"));
            Assert.Equal([("KRW-BTC", "stop_loss", 500_000d, 494_000d)], Trades(summary));
        }

        // The journal matches the exchange: every order the exchange holds has a final state in the journal.
        foreach (var o in x.Rest.Orders.Where(o => o.Identifier is not null))
        {
            var state = o.State == "done" ? "Done" : "Cancelled";
            Assert.True(Count(journal, $"SELECT COUNT(*) FROM order_events WHERE identifier = '{o.Identifier}' AND state IN ('{state}', 'Done', 'Cancelled')") >= 1,
                $"the journal has no final state for {o.Identifier} ({o.Side} {o.OrdType} {o.State})\n{second.Error}");
        }

        Assert.Equal(2, Count(journal, "SELECT COUNT(*) FROM sessions"));
    }
}

/// <summary>Sockets lost or silent, and the exchange restarting.</summary>
public sealed class ConnectionFaultEndToEndTests : EndToEndTest
{
    [Theory]
    [InlineData("dropped")]
    [InlineData("silent")]
    public async Task The_public_socket_lost_while_a_position_is_open_is_replaced_and_the_exit_still_happens(string fault)
    {
        var script = new SessionScript()
            .Surge("KRW-BTC")
            .Quiet("KRW-BTC", M31 + 61_000, 60)
            .MoveTo("KRW-BTC", M31 + 62_000, 501_500)
            .Quiet("KRW-BTC", M31 + 62_500, 40, bid: 501_500);
        await using var x = await FakeUpbitExchange.StartAsync(script.Frames);
        x.WebSocket.Pace = Pace;
        var afterBuy = 20 + 40; // the surge (16 frames), then well into the quiet part: the buy is done by then
        if (fault == "dropped")
        {
            x.WebSocket.CloseFirstConnectionAfter = afterBuy;
        }
        else
        {
            x.WebSocket.SilenceFirstConnectionAfter = afterBuy;
        }

        using var engine = Live(x, P("j.db"), P("s.json"), "--feed-silence-timeout", "1");
        await WaitUntilAsync(() => x.WebSocket.Sent >= script.Count && Sold(x, 1), engine, "the exit after the reconnect");
        var summary = await StopAsync(engine, P("s.json"));

        Assert.True(x.WebSocket.Connections >= 2, engine.Error);
        Assert.Equal([("KRW-BTC", "take_profit", 500_000d, 501_500d)], Trades(summary));
        Assert.Equal(2, x.WebSocket.Received.Count(r => r.Contains("\"KRW-BTC\"", StringComparison.Ordinal))); // subscribed again
        Assert.Equal(2, x.Rest.Orders.Count);
    }

    [Fact]
    public async Task An_exchange_restart_while_a_position_is_open_is_ridden_out_and_the_exit_still_happens()
    {
        var session = new SessionScript().Surge("KRW-BTC").Quiet("KRW-BTC", M31 + 61_000, 40);
        var beforeRestart = session.Count;
        var script = session
            .Quiet("KRW-BTC", M31 + 62_000, 60) // the exchange is back; sockets reconnect meanwhile
            .MoveTo("KRW-BTC", M31 + 63_000, 501_500)
            .Quiet("KRW-BTC", M31 + 63_500, 40, bid: 501_500);
        await using var x = await FakeUpbitExchange.StartAsync(script.Frames);
        x.WebSocket.Pace = Pace;
        x.WebSocket.HoldAt = beforeRestart;
        using var engine = Live(x, P("j.db"), P("s.json"));
        await WaitUntilAsync(() => x.WebSocket.Sent >= beforeRestart && CountWhenReady(P("j.db"), HeldPositions) == 1, engine, "the buy, and the position open in the journal");

        var connections = (x.WebSocket.Connections, x.WebSocket.PrivateConnections);
        x.Restart(TimeSpan.FromSeconds(1.5)); // sockets cut, REST 503, new sockets refused
        await WaitUntilAsync(() => x.WebSocket.Connections > connections.Connections && x.WebSocket.PrivateConnections > connections.PrivateConnections, engine, "both sockets back after the restart");
        x.WebSocket.HoldAt = int.MaxValue;
        await WaitUntilAsync(() => x.WebSocket.Sent >= script.Count && Sold(x, 1), engine, "the exit after the restart", seconds: 45);
        var summary = await StopAsync(engine, P("s.json"));

        Assert.Equal([("KRW-BTC", "take_profit", 500_000d, 501_500d)], Trades(summary));
        Assert.True(x.WebSocket.Connections >= 2, engine.Error);
        Assert.True(x.WebSocket.PrivateConnections >= 2, engine.Error);
        Assert.Single(x.Rest.Orders, o => o.Side == "bid");
        Assert.Empty(x.Rest.OpenOrders);
        Assert.Equal(0, x.Rest.Violations);
    }

    [Fact]
    public async Task The_rest_side_restarting_as_the_exit_is_sent_delays_the_sell_but_never_doubles_it()
    {
        var script = new SessionScript()
            .Surge("KRW-BTC")
            .Quiet("KRW-BTC", M31 + 61_000, 40)
            .MoveTo("KRW-BTC", M31 + 62_000, 501_500)
            .Quiet("KRW-BTC", M31 + 62_500, 200, bid: 501_500); // the bid stays at 501,500 while the sell is retried
        await using var x = await FakeUpbitExchange.StartAsync(script.Frames);
        x.WebSocket.Pace = Pace;
        var asks = 0;
        x.Rest.OrderRequestArrived = () =>
        {
            // The first sell request finds the exchange restarting (503): its outcome is unknown to the engine.
            if (x.Rest.Orders.Any(o => o.Side == "bid") && Interlocked.Increment(ref asks) == 1)
            {
                x.Rest.GoDown(TimeSpan.FromSeconds(1.5));
            }
        };
        using var engine = Live(x, P("j.db"), P("s.json"));
        await WaitUntilAsync(() => x.WebSocket.Sent >= script.Count && Sold(x, 1), engine, "the exit after the restart", seconds: 45);
        var summary = await StopAsync(engine, P("s.json"));

        Assert.True(x.Rest.AnsweredWhileDown >= 2, engine.Error); // the sell and at least one lookup met the 503
        Assert.True(Count(P("j.db"), "SELECT COUNT(*) FROM order_events WHERE state = 'Unknown'") >= 1); // looked up, found absent, sent once
        Assert.Single(x.Rest.Orders, o => o.Side == "ask"); // never placed twice: looked up, found absent, sent once
        Assert.Equal([("KRW-BTC", "take_profit", 500_000d, 501_500d)], Trades(summary));
        Assert.Empty(x.Rest.OpenOrders);
    }
}
