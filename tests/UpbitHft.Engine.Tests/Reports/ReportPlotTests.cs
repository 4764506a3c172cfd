using System.Buffers.Binary;
using UpbitHft.Engine.Decisions;
using UpbitHft.Engine.Journal;
using UpbitHft.Engine.Reports;

namespace UpbitHft.Engine.Tests.Reports;

/// <summary><c>report JOURNAL --plot DIR [--candles FILE]</c>: the equity curve and one chart per closed trade.</summary>
public sealed class ReportPlotTests : IClassFixture<ReplayJournalFixture>, IDisposable
{
    private static readonly byte[] s_pngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    private readonly ReplayJournalFixture _replay;
    private readonly string _dir = Directory.CreateTempSubdirectory("upbithft-plots-").FullName;

    public ReportPlotTests(ReplayJournalFixture replay)
    {
        _replay = replay;
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string P(string name) => Path.Combine(_dir, name);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_replay_journal_gives_an_equity_png_and_one_valid_png_per_closed_trade(bool withCandles)
    {
        var dir = P(withCandles ? "with-candles" : "journal-only");
        string[] args = withCandles ? ["report", _replay.Journal, "--plot", dir, "--candles", _replay.Candles] : ["report", _replay.Journal, "--plot", dir];
        var (code, output, error) = ReportRun.Cli(args);
        Assert.True(code == 0, error);
        Assert.True(_replay.Trades.Count >= 2, "the bundled session closes trades");
        Assert.Contains($"charts: {_replay.Trades.Count + 1} PNG files in {dir} (equity.png and {_replay.Trades.Count} trade charts)", output, StringComparison.Ordinal);

        var expected = _replay.Trades.Select((t, i) => $"trade-{i + 1}-{t.Market}.png").ToList();
        Assert.Equal(expected.Order(), Directory.GetFiles(dir, "trade-*.png").Select(Path.GetFileName).Order());
        AssertPng(Path.Combine(dir, "equity.png"), 1000, 500);
        foreach (var name in expected)
        {
            AssertPng(Path.Combine(dir, name), 1200, 560);
        }
    }

    [Fact]
    public void Each_trade_chart_has_the_trade_its_armed_exits_and_the_prices_around_it()
    {
        var (equity, charts) = JournalCharts.Read(_replay.Journal, _replay.Candles);
        Assert.Equal(_replay.Trades.Count, charts.Count);
        Assert.Equal(_replay.Trades.Count, equity.Count);
        foreach (var (chart, trade) in charts.Zip(_replay.Trades))
        {
            Assert.Equal(trade.Market, chart.Market);
            Assert.Equal(trade.ExitPrice, chart.Exit.Price);
            Assert.True(chart.Entry.TimeUtc <= chart.Exit.TimeUtc);
            Assert.True(chart.Target > chart.Entry.Price && chart.Stop < chart.Entry.Price, $"#{chart.Number}: target {chart.Target}, stop {chart.Stop}, entry {chart.Entry.Price}");
            Assert.Equal(trade.ExitTrigger, chart.ExitTrigger?.Price);
            Assert.NotEmpty(chart.Candles);
            Assert.All(chart.Candles, c => Assert.InRange(c.MinuteUtc, chart.Entry.TimeUtc - TimeSpan.FromMinutes(11), chart.Exit.TimeUtc + TimeSpan.FromMinutes(10)));
            Assert.Contains(chart.JournalPrices, p => p.Price == trade.ExitPrice); // the exit fill
        }

        var sum = 0.0;
        Assert.All(equity.Zip(charts), e => Assert.Equal(sum += (double)e.Second.PnlKrw, e.First.CumulativePnlKrw, 6));
    }

    [Fact]
    public async Task Exits_are_matched_to_their_own_position_across_runs_and_after_a_position_gone_at_the_exchange()
    {
        // Two runs (sequence numbers restart), a rebased entry, and a position that vanished at the exchange.
        var journal = P("runs.db");
        await using (var writer = new JournalWriter(journal, null))
        {
            void Add(long seq, string market, DecisionAction a) => writer.Enqueue(new JournalEntry(JournalKind.Decision, seq, market, a, default, null));
            Add(1, "KRW-A", Opened(1_000, 100, 110, 90));
            Add(2, "KRW-A", JournalReportTests.Closed(ExitReason.TakeProfit, 5_000, 1, 1m, 1));
            Add(3, "KRW-B", Opened(6_000, 50, 55, 45));
            writer.Enqueue(new JournalEntry(JournalKind.PositionGone, 4, "KRW-B", default, default, null));
            Add(1, "KRW-A", Opened(100_000, 200, 220, 180));
            Add(2, "KRW-A", Opened(100_500, 201, 221, 181, rebased: true));
            Add(3, "KRW-B", Opened(101_000, 60, 66, 54));
            Add(4, "KRW-B", JournalReportTests.Closed(ExitReason.StopLoss, 104_000, 1, 1m, 1));
            Add(5, "KRW-A", JournalReportTests.Closed(ExitReason.StopLoss, 105_000, 1, 1m, 1));
        }

        var (_, charts) = JournalCharts.Read(journal, null);
        Assert.Equal([("KRW-A", 110.0, 90.0, 1_000L), ("KRW-B", 66.0, 54.0, 101_000L), ("KRW-A", 221.0, 181.0, 100_000L)],
            charts.Select(c => (c.Market, c.Target!.Value, c.Stop!.Value, new DateTimeOffset(c.Entry.TimeUtc).ToUnixTimeMilliseconds())));

        var (code, _, error) = ReportRun.Cli("report", journal, "--plot", P("runs"));
        Assert.True(code == 0, error);
        Assert.Equal(["trade-1-KRW-A.png", "trade-2-KRW-B.png", "trade-3-KRW-A.png"], Directory.GetFiles(P("runs"), "trade-*.png").Select(Path.GetFileName).Order());
    }

    [Fact]
    public async Task A_journal_without_trades_gets_an_equity_chart_and_no_trade_charts()
    {
        await using (new JournalWriter(P("empty.db"), null))
        {
        }

        var (code, output, error) = ReportRun.Cli("report", P("empty.db"), "--plot", P("empty"));
        Assert.True(code == 0, error);
        Assert.Contains("trades 0,", output, StringComparison.Ordinal);
        AssertPng(P("empty/equity.png"), 1000, 500);
        Assert.Single(Directory.GetFiles(P("empty")));
    }

    [Fact]
    public void Bad_inputs_exit_2_with_a_reason()
    {
        Assert.Equal(2, ReportRun.Cli("report", _replay.Journal, "--candles", _replay.Candles).Code); // --candles needs --plot
        Assert.Equal(2, ReportRun.Cli("report", _replay.Journal, "--plot", P("x"), "--candles", P("missing.csv")).Code);

        File.WriteAllText(P("bad.csv"), "market,minute_utc,open,high,low,close\nKRW-A,yesterday,1,2,0.5,1.5\n");
        var (code, _, error) = ReportRun.Cli("report", _replay.Journal, "--plot", P("y"), "--candles", P("bad.csv"));
        Assert.Equal(2, code);
        Assert.Contains("line 2: not a candle", error, StringComparison.Ordinal);

        File.WriteAllText(P("not-a-journal.db"), "hello");
        var (notJournal, _, why) = ReportRun.Cli("report", P("not-a-journal.db"));
        Assert.Equal(2, notJournal);
        Assert.Contains("cannot be read as a journal", why, StringComparison.Ordinal);
    }

    private static DecisionAction Opened(long ms, double entry, double target, double stop, bool rebased = false) => new()
    {
        Kind = ActionKind.PositionOpened,
        TimestampMs = ms,
        EntryPrice = entry,
        Target = target,
        Stop = stop,
        Volume = 1m,
        Rebased = rebased,
    };

    /// <summary>A PNG: the 8-byte signature, then the IHDR chunk with the expected width and height.</summary>
    private static void AssertPng(string path, int width, int height)
    {
        Assert.True(File.Exists(path), path);
        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length > 1_000, $"{path}: {bytes.Length} bytes");
        Assert.Equal(s_pngSignature, bytes[..8]);
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(bytes, 12, 4));
        Assert.Equal(width, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)));
        Assert.Equal(height, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
    }
}
