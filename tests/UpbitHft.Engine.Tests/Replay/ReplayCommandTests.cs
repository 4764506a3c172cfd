using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using UpbitHft.Engine.Cli;

namespace UpbitHft.Engine.Tests.Replay;

public sealed class ReplayCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("upbithft-test-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = CommandLineApp.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private string P(string name) => Path.Combine(_dir, name);

    [Fact]
    public void The_sample_replay_trades_both_exits_and_writes_the_documented_summary_and_candles()
    {
        var (code, output, error) = Run("replay", "--quiet", "--journal", P("j.db"), "--summary-json", P("s.json"), "--candles-out", P("c.csv"));
        Assert.True(code == 0, error);
        Assert.Contains("take_profit", output, StringComparison.Ordinal);
        Assert.Contains("stop_loss", output, StringComparison.Ordinal);

        using var doc = JsonDocument.Parse(File.ReadAllText(P("s.json")));
        var root = doc.RootElement;
        var messages = root.GetProperty("messages");
        foreach (var key in new[] { "total", "trade", "ticker", "orderbook", "other", "rejected" })
        {
            Assert.True(messages.TryGetProperty(key, out _), key);
        }

        Assert.Equal(13_732, messages.GetProperty("total").GetInt64());
        Assert.Equal(0, messages.GetProperty("rejected").GetInt64());
        Assert.True(root.GetProperty("orders").GetInt64() >= 2);
        var trades = root.GetProperty("trades").EnumerateArray().ToList();
        Assert.Contains(trades, t => t.GetProperty("exit_reason").GetString() == "take_profit");
        Assert.Contains(trades, t => t.GetProperty("exit_reason").GetString() == "stop_loss");
        foreach (var t in trades)
        {
            foreach (var key in new[] { "market", "entry_price", "exit_price", "volume", "exit_reason", "pnl_krw" })
            {
                Assert.True(t.TryGetProperty(key, out _), key);
            }
        }

        Assert.Equal(trades.Sum(t => t.GetProperty("pnl_krw").GetDecimal()), root.GetProperty("pnl_krw").GetDecimal());
        foreach (var key in new[] { "elapsed_s", "messages_per_s", "allocated_bytes_per_message", "gen0_collections" })
        {
            Assert.True(root.TryGetProperty(key, out _), key);
        }

        // Full speed: 1 frame in 64 is stamped (no clock read for the rest), so an order may carry no receive stamp.
        Assert.True(root.GetProperty("full_speed").GetBoolean());
        var sampled = new[] { "tick_to_decision", "publish_to_decision" }.Select(n => root.GetProperty("latency_ns").GetProperty(n))
            .Concat(new[] { "parse", "handoff", "decision" }.Select(n => root.GetProperty("service_ns").GetProperty(n)));
        foreach (var l in sampled)
        {
            Assert.InRange(l.GetProperty("count").GetInt64(), 13_732 / 64, (13_732 / 64) + 1);
        }

        foreach (var l in sampled.Append(root.GetProperty("latency_ns").GetProperty("tick_to_order")))
        {
            Assert.True(l.GetProperty("p50").GetInt64() <= l.GetProperty("p99").GetInt64());
            Assert.True(l.GetProperty("p99").GetInt64() <= l.GetProperty("p999").GetInt64());
            Assert.True(l.GetProperty("p999").GetInt64() <= l.GetProperty("max").GetInt64());
        }

        var csv = File.ReadAllLines(P("c.csv"));
        Assert.Equal("market,minute_utc,open,high,low,close,volume,value_krw,rsi14,surge_ratio", csv[0]);
        Assert.True(csv.Length > 12 * 30);
        var early = csv[1].Split(',');
        Assert.Equal(10, early.Length);
        Assert.Equal("", early[8]); // rsi14 empty until ready
        Assert.Contains(csv.Skip(1), line => line.Split(',')[8].Length > 0);

        var (reportCode, report, _) = Run("report", P("j.db"));
        Assert.Equal(0, reportCode);
        Assert.Contains($"trades {trades.Count},", report, StringComparison.Ordinal);
        Assert.Contains("run 1 tick_to_decision ns: p50", report, StringComparison.Ordinal);

    }

    [Fact]
    public void Perf_report_writes_histograms_a_summary_and_a_png_plot()
    {
        var dir = P("perf");
        var (code, output, error) = Run("replay", "--quiet", "--perf-report", dir);
        Assert.True(code == 0, error);
        Assert.Contains("perf report written", output, StringComparison.Ordinal);
        Assert.StartsWith("       Value     Percentile TotalCount", File.ReadAllText(Path.Combine(dir, "tick_to_decision.hgrm")), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(dir, "tick_to_order.hgrm")));
        var md = File.ReadAllText(Path.Combine(dir, "summary.md"));
        Assert.Contains("| tick_to_decision | 215 |", md, StringComparison.Ordinal); // full speed: 1 frame in 64 stamped
        Assert.Contains("| service_parse | 215 |", md, StringComparison.Ordinal);
        Assert.Contains("- machine:", md, StringComparison.Ordinal);
        Assert.Contains("- GC during the run:", md, StringComparison.Ordinal);
        var png = File.ReadAllBytes(Path.Combine(dir, "latency-percentiles.png"));
        Assert.True(png.Length > 5_000);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
    }

    [Fact]
    public void Two_replays_write_identical_journals_and_summaries_except_timings()
    {
        Assert.Equal(0, Run("replay", "--quiet", "--journal", P("a.db"), "--summary-json", P("a.json")).Code);
        Assert.Equal(0, Run("replay", "--quiet", "--journal", P("b.db"), "--summary-json", P("b.json")).Code);
        Assert.Equal(JournalDigest(P("a.db")), JournalDigest(P("b.db")));
        Assert.Equal(WithoutTimings(P("a.json")), WithoutTimings(P("b.json")));
    }

    /// <summary>
    /// Parsing on both cores is the same run: the engine thread parses some frames itself and resolves every market in
    /// frame order, so the journal (market ids included in its order) and the summary match a one-thread parse.
    /// </summary>
    [Fact]
    public void Parsing_on_both_cores_writes_the_same_journal_and_summary_as_one_thread()
    {
        Assert.Equal(0, Run("replay", "--quiet", "--parse-threads", "1", "--journal", P("one.db"), "--summary-json", P("one.json")).Code);
        Assert.Equal(0, Run("replay", "--quiet", "--parse-threads", "2", "--journal", P("two.db"), "--summary-json", P("two.json")).Code);
        Assert.Equal(JournalDigest(P("one.db")), JournalDigest(P("two.db")));
        Assert.Equal(WithoutTimings(P("one.json")), WithoutTimings(P("two.json")));
        using var one = JsonDocument.Parse(File.ReadAllText(P("one.json")));
        using var two = JsonDocument.Parse(File.ReadAllText(P("two.json")));
        Assert.Equal(0, one.RootElement.GetProperty("frames_parsed_by_engine_thread").GetInt64());
        Assert.True(two.RootElement.GetProperty("frames_parsed_by_engine_thread").GetInt64() > 0); // the first batch always goes half to the engine
    }

    [Theory]
    [InlineData("1")]
    [InlineData("2")]
    public void Malformed_lines_and_bad_frames_are_counted_as_rejected_and_the_replay_goes_on(string parseThreads)
    {
        // Two bad frames side by side in the first batch: with two parse threads one of them is the engine thread's.
        var lines = File.ReadLines(CommandLineApp.DefaultSession).Take(3_000).ToList();
        lines.Insert(10, "this is not json");
        lines.Insert(20, "{\"recv_ts\": 1.0}");
        lines.Insert(30, "{\"recv_ts\": 1.0, \"frame\": \"{\\\"ty\\\":\\\"trade\\\",\\\"cd\\\":\\\"KRW-BTC\\\"\"}");
        lines.Insert(41, "{\"recv_ts\": 1.0, \"frame\": \"{\\\"ty\\\"}\"}");
        lines.Insert(42, "{\"recv_ts\": 1.0, \"frame\": \"{\\\"ty\\\":\\\"trade\\\",\\\"cd\\\":\\\"krw-btc\\\",\\\"tms\\\":1,\\\"tp\\\":1,\\\"tv\\\":1,\\\"ab\\\":\\\"ASK\\\"}\"}");
        File.WriteAllLines(P("bad.jsonl"), lines);
        var (code, _, error) = Run("replay", P("bad.jsonl"), "--quiet", "--parse-threads", parseThreads, "--summary-json", P("s.json"));
        Assert.True(code == 0, error);
        using var doc = JsonDocument.Parse(File.ReadAllText(P("s.json")));
        var messages = doc.RootElement.GetProperty("messages");
        Assert.Equal(5, messages.GetProperty("rejected").GetInt64());
        Assert.Equal(3_005, messages.GetProperty("total").GetInt64());
        Assert.Equal(3_000, messages.GetProperty("trade").GetInt64() + messages.GetProperty("orderbook").GetInt64());
    }

    [Theory]
    [InlineData("replay --no-such-option")]
    [InlineData("replay --speed warp")]
    [InlineData("replay --take-profit 0")]
    [InlineData("replay --stop-loss -0.01")]
    [InlineData("replay --fraction 1.5")]
    [InlineData("replay --ring-size 1000")]
    [InlineData("replay --max-runtime -1")]
    [InlineData("replay /no/such/file.jsonl")]
    [InlineData("simulate --markets 0 --out x.jsonl")]
    [InlineData("report /no/such/journal.db")]
    [InlineData("frobnicate")]
    [InlineData("paper --ws-url http://not-a-websocket")]
    [InlineData("record --out x.rec --rest-url nonsense")]
    public void Bad_input_exits_non_zero_with_a_one_line_reason(string commandLine)
    {
        var (code, _, error) = Run(commandLine.Split(' '));
        Assert.Equal(2, code);
        Assert.StartsWith("upbithft: ", error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Fact]
    public void A_recording_of_another_version_exits_2_with_a_one_line_reason()
    {
        var path = P("v99.rec");
        File.WriteAllBytes(path, [.. "UPBTREC\0"u8.ToArray(), 99, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        var (code, _, error) = Run("replay", path, "--quiet");
        Assert.Equal(2, code);
        Assert.StartsWith("upbithft: Recording version 99 is not supported", error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Fact]
    public void A_config_with_an_unknown_key_is_an_error_and_a_valid_one_applies()
    {
        File.WriteAllText(P("bad.json"), "{\"TakeProfit\": 0.004, \"TakeProfitt\": 1}");
        var (code, _, error) = Run("replay", "--quiet", "--config", P("bad.json"));
        Assert.Equal(2, code);
        Assert.Contains("TakeProfitt", error, StringComparison.Ordinal);

        File.WriteAllText(P("good.json"), "{\"TakeProfit\": 0.004, \"StopLoss\": 0.02}");
        var (ok, output, err) = Run("replay", "--quiet", "--config", P("good.json"), "--max-runtime", "30");
        Assert.True(ok == 0, err);
        Assert.Contains("UpbitHft replay", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_command_has_help()
    {
        foreach (var command in new[] { "replay", "simulate", "report" })
        {
            var (code, output, _) = Run(command, "--help");
            Assert.Equal(0, code);
            Assert.Contains("Usage", output, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void Simulate_is_deterministic_byte_for_byte()
    {
        Assert.Equal(0, Run("simulate", "--seed", "3", "--markets", "4", "--minutes", "5", "--out", P("x.jsonl")).Code);
        Assert.Equal(0, Run("simulate", "--seed", "3", "--markets", "4", "--minutes", "5", "--out", P("y.jsonl")).Code);
        Assert.Equal(File.ReadAllBytes(P("x.jsonl")), File.ReadAllBytes(P("y.jsonl")));
        Assert.Equal(0, Run("simulate", "--seed", "4", "--markets", "4", "--minutes", "5", "--out", P("z.jsonl")).Code);
        Assert.NotEqual(File.ReadAllBytes(P("x.jsonl")), File.ReadAllBytes(P("z.jsonl")));
    }

    private static string JournalDigest(string path)
    {
        using var db = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        db.Open();
        var sb = new StringBuilder();
        foreach (var table in new[] { "decisions", "order_events", "trades" })
        {
            using var cmd = db.CreateCommand();
            cmd.CommandText = $"SELECT * FROM {table} ORDER BY id";
            using var rows = cmd.ExecuteReader();
            while (rows.Read())
            {
                for (var i = 0; i < rows.FieldCount; i++)
                {
                    sb.Append(rows.IsDBNull(i) ? "null" : Convert.ToString(rows.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)).Append('|');
                }

                sb.Append('\n');
            }
        }

        Assert.True(sb.Length > 100);
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
    }

    private static string WithoutTimings(string path)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        foreach (var key in new[] { "elapsed_s", "messages_per_s", "allocated_bytes_per_message", "gen0_collections", "latency_ns", "service_ns", "frames_parsed_by_engine_thread" })
        {
            node.Remove(key);
        }

        return node.ToJsonString();
    }
}
