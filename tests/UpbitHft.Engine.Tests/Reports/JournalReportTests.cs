using System.Globalization;
using Microsoft.Data.Sqlite;
using UpbitHft.Engine.Decisions;
using UpbitHft.Engine.Journal;
using UpbitHft.Engine.Reports;

namespace UpbitHft.Engine.Tests.Reports;

/// <summary><c>report JOURNAL</c>: the trades and the slippage section, on journals with known trades and on a replay's.</summary>
public sealed class JournalReportTests : IClassFixture<ReplayJournalFixture>, IDisposable
{
    private readonly ReplayJournalFixture _replay;
    private readonly string _dir = Directory.CreateTempSubdirectory("upbithft-slippage-").FullName;

    public JournalReportTests(ReplayJournalFixture replay)
    {
        _replay = replay;
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string P(string name) => Path.Combine(_dir, name);

    /// <summary>A closed trade as the decision core reports it; its exit filled <paramref name="exitSlipBp"/> bp below a 10,000 KRW trigger.</summary>
    internal static DecisionAction Closed(ExitReason reason, long ms, double slippageBp, decimal slippageKrw, double exitSlipBp, decimal pnl = 100, bool triggersKnown = true) => new()
    {
        Kind = ActionKind.TradeClosed,
        Exit = reason,
        TimestampMs = ms,
        EntryPrice = 9_990,
        ExitPrice = triggersKnown ? 10_000 - exitSlipBp : 10_000,
        Volume = 1m,
        FeesKrw = 10m,
        PnlKrw = pnl,
        EntryTriggerPrice = triggersKnown ? 9_980 : 0,
        EntryBestPrice = triggersKnown ? 9_990 : 0,
        ExitTriggerPrice = triggersKnown ? 10_000 : 0,
        ExitBestPrice = triggersKnown ? 9_999 : 0,
        SlippageBp = slippageBp,
        SlippageKrw = slippageKrw,
    };

    internal static async Task WriteJournal(string path, params (string Market, DecisionAction Action)[] closed)
    {
        await using var writer = new JournalWriter(path, null);
        var seq = 1L;
        foreach (var (market, action) in closed)
        {
            writer.Enqueue(new JournalEntry(JournalKind.Decision, seq++, market, action, default, null));
        }
    }

    [Fact]
    public async Task Slippage_per_exit_reason_is_the_distribution_of_the_journaled_trades_with_nearest_rank_percentiles()
    {
        var trades = Enumerable.Range(1, 10).Select(k => ("KRW-TP", Closed(ExitReason.TakeProfit, 1_000L * k, k, k * 10m, exitSlipBp: k)))
            .Append(("KRW-SL", Closed(ExitReason.StopLoss, 20_000, -3, -30m, exitSlipBp: 10, pnl: -500)))
            .Append(("KRW-SL", Closed(ExitReason.StopLoss, 21_000, 5, 50m, exitSlipBp: 20, pnl: -600)))
            .Append(("KRW-SD", Closed(ExitReason.Shutdown, 22_000, 0, 0m, exitSlipBp: 0, triggersKnown: false)))
            .ToArray();
        await WriteJournal(P("known.db"), trades);

        var (code, report, error) = ReportRun.Cli("report", P("known.db"));
        Assert.True(code == 0, error);
        Assert.Contains("trades 13,", report, StringComparison.Ordinal);

        // Whole trade (as journaled): 1..10 bp → min 1, p50 5, p90 9 (nearest rank), max 10, mean 5.5; 10+…+100 KRW.
        Assert.Equal(["take_profit", "10", "10", "1.00", "5.00", "9.00", "10.00", "5.50", "+550.00"], ReportRun.Row(report, "whole trade", "take_profit"));
        Assert.Equal(["stop_loss", "2", "2", "-3.00", "-3.00", "5.00", "5.00", "1.00", "+20.00"], ReportRun.Row(report, "whole trade", "stop_loss"));
        foreach (var reason in new[] { "dust", "remainder", "kill_switch" })
        {
            Assert.Equal([reason, "0", "0"], ReportRun.Row(report, "whole trade", reason));
        }

        // The exit alone: (trigger − fill) / trigger. The shutdown trade's exit trigger is unknown (NULL), never 0 bp.
        Assert.Equal(["take_profit", "10", "10", "1.00", "5.00", "9.00", "10.00", "5.50"], ReportRun.Row(report, "exit alone", "take_profit"));
        Assert.Equal(["stop_loss", "2", "2", "10.00", "10.00", "20.00", "20.00", "15.00"], ReportRun.Row(report, "exit alone", "stop_loss"));
        Assert.Equal(["shutdown", "1", "0", "unknown"], ReportRun.Row(report, "exit alone", "shutdown"));

        Assert.Contains("the take-profit exits' p90 exit slippage is 9.0 bp (10 take-profit exits with a known trigger): 90 % of them sold at most 9.0 bp below the price that triggered them", report, StringComparison.Ordinal);
        Assert.Contains("A --slippage-buffer of about 0.0009 raises the target", report, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Take_profits_that_filled_at_or_above_their_trigger_need_no_buffer()
    {
        await WriteJournal(P("better.db"), ("KRW-A", Closed(ExitReason.TakeProfit, 1_000, -2, -20m, exitSlipBp: -2)), ("KRW-A", Closed(ExitReason.TakeProfit, 2_000, 0, 0m, exitSlipBp: 0)));
        var (code, report, _) = ReportRun.Cli("report", P("better.db"));
        Assert.Equal(0, code);
        Assert.Contains("p90 exit slippage is 0.0 bp (2 take-profit exits with a known trigger): 90 % of them sold at or above the price that triggered them, so no buffer is needed", report, StringComparison.Ordinal);
    }

    [Fact]
    public void A_journal_older_than_the_slippage_columns_reports_them_as_unknown_and_is_not_changed()
    {
        using (var db = new SqliteConnection($"Data Source={P("old.db")};Pooling=False"))
        {
            db.Open();
            using var cmd = db.CreateCommand();
            // The trades table as first released, before entry_trigger … slippage_bp existed.
            cmd.CommandText = """
                CREATE TABLE trades (id INTEGER PRIMARY KEY, seq INTEGER, ts_ms INTEGER, market TEXT, entry_price REAL, exit_price REAL, volume TEXT, exit_reason TEXT, fees_krw TEXT, pnl_krw TEXT);
                CREATE TABLE runs (id INTEGER PRIMARY KEY, seq INTEGER, summary_json TEXT);
                INSERT INTO trades(seq, ts_ms, market, entry_price, exit_price, volume, exit_reason, fees_krw, pnl_krw) VALUES
                    (1, 1000, 'KRW-A', 100, 101, '1', 'take_profit', '0.1', '0.9'), (2, 2000, 'KRW-A', 100, 99, '1', 'stop_loss', '0.1', '-1.1');
                """;
            cmd.ExecuteNonQuery();
        }

        var (code, report, error) = ReportRun.Cli("report", P("old.db"));
        Assert.True(code == 0, error);
        Assert.Contains("trades 2, win rate 50.0 %", report, StringComparison.Ordinal);
        Assert.Equal(["take_profit", "1", "0", "unknown"], ReportRun.Row(report, "whole trade", "take_profit"));
        Assert.Equal(["stop_loss", "1", "0", "unknown"], ReportRun.Row(report, "exit alone", "stop_loss"));
        Assert.Equal("unknown", ReportRun.Row(report, "#  market", "1")[^1]);
        Assert.Contains("--slippage-buffer: no hint (no take-profit exit with a known trigger price", report, StringComparison.Ordinal);
        Assert.Contains("no run summary in this journal", report, StringComparison.Ordinal);

        using var check = new SqliteConnection($"Data Source={P("old.db")};Mode=ReadOnly;Pooling=False");
        check.Open();
        Assert.DoesNotContain("slippage_bp", JournalTrades.Columns(check, "trades"));
    }

    [Fact]
    public async Task Null_slippage_in_a_current_journal_is_unknown_too()
    {
        await WriteJournal(P("nulls.db"), ("KRW-A", Closed(ExitReason.TakeProfit, 1_000, 4, 40m, exitSlipBp: 4)));
        using (var db = new SqliteConnection($"Data Source={P("nulls.db")};Pooling=False"))
        {
            db.Open();
            using var cmd = db.CreateCommand();
            cmd.CommandText = "INSERT INTO trades(seq, ts_ms, market, entry_price, exit_price, volume, exit_reason, fees_krw, pnl_krw) VALUES (9, 2000, 'KRW-B', 100, 101, '1', 'take_profit', '0.1', '0.9')";
            cmd.ExecuteNonQuery();
        }

        var (_, report, _) = ReportRun.Cli("report", P("nulls.db"));
        Assert.Equal(["take_profit", "2", "1", "4.00", "4.00", "4.00", "4.00", "4.00", "+40.00"], ReportRun.Row(report, "whole trade", "take_profit"));
        Assert.Equal(["take_profit", "2", "1", "4.00", "4.00", "4.00", "4.00", "4.00"], ReportRun.Row(report, "exit alone", "take_profit"));
    }

    [Fact]
    public void The_replay_journal_slippage_matches_its_trades_rows()
    {
        var (code, report, error) = ReportRun.Cli("report", _replay.Journal);
        Assert.True(code == 0, error);
        var c = CultureInfo.InvariantCulture;
        foreach (var reason in _replay.Trades.Select(t => t.Reason).Distinct())
        {
            var of = _replay.Trades.Where(t => t.Reason == reason).ToList();
            var whole = of.Select(t => t.SlippageBp).ToList();
            var row = ReportRun.Row(report, "whole trade", reason);
            Assert.Equal(of.Count.ToString(c), row[1]);
            Assert.Equal(of.Count.ToString(c), row[2]);
            Assert.Equal(whole.Min().ToString("F2", c), row[3]);
            Assert.Equal(ReportRun.NearestRank(whole, 50).ToString("F2", c), row[4]);
            Assert.Equal(ReportRun.NearestRank(whole, 90).ToString("F2", c), row[5]);
            Assert.Equal(whole.Max().ToString("F2", c), row[6]);
            Assert.Equal(whole.Average().ToString("F2", c), row[7]);
        }

        var tpExit = _replay.Trades.Where(t => t.Reason == "take_profit").Select(t => (t.ExitTrigger - t.ExitPrice) / t.ExitTrigger * 10_000).ToList();
        Assert.NotEmpty(tpExit); // the bundled session has take-profits
        var p90 = ReportRun.NearestRank(tpExit, 90);
        Assert.Equal(p90.ToString("F2", c), ReportRun.Row(report, "exit alone", "take_profit")[5]);
        Assert.Contains($"p90 exit slippage is {p90.ToString("F1", c)} bp ({tpExit.Count} take-profit exits with a known trigger)", report, StringComparison.Ordinal);
        Assert.Contains("run 1 tick_to_order ns: p50", report, StringComparison.Ordinal);
    }

    [Fact]
    public void Nearest_rank_percentiles()
    {
        Assert.Equal(9, SlippageStats.NearestRank([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90));
        Assert.Equal(5, SlippageStats.NearestRank([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50));
        Assert.Equal(4, SlippageStats.NearestRank([1, 2, 3, 4], 90));
        Assert.Equal(2, SlippageStats.NearestRank([1, 2, 3, 4], 50));
        Assert.Equal(7, SlippageStats.NearestRank([7], 90));
        Assert.Null(SlippageStats.Of([]));
        Assert.Equal(new SlippageStats(3, -1, 2, 3, 3, 4 / 3.0), SlippageStats.Of([3, -1, 2]));
    }
}
