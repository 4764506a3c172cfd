using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace UpbitHft.Benchmarks.Harnesses;

/// <summary>
/// The whole replay pipeline's throughput against the per-frame baselines, in one run: <c>upbithft replay FILE</c> as
/// a child process (a fresh process per run, as a user runs it) over the same session as a JSONL capture and as a
/// recording, with parsing on both cores and on one, interleaved run by run so that a busy neighbour weighs on every
/// configuration alike; and Python's <c>json.loads</c> and ccxt.pro's upbit handler on the same frames
/// (<c>bench/baselines</c>), once before the engine's runs and once after. This machine's host changes speed within
/// minutes (one run measured <c>json.loads</c> at 7.7 µs a frame in one run and 14.5 µs in the next), so each ratio is
/// taken against the faster of the two measurements of its baseline, best and median each on its own, which can only
/// understate it, and the report says when the two disagree. Writes <c>throughput.md</c> (tables, ratios) and the raw JSON of every run to the output folder.
/// Nothing is timed here: the engine's own summary gives its msg/s, bytes per message and gen0 count.
/// </summary>
internal static class ThroughputHarness
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static string Run(string jsonl, string recording, int runs, string outDir, int baselinePasses)
    {
        Directory.CreateDirectory(outDir);
        var started = DateTimeOffset.UtcNow;
        var root = RepoRoot();
        var load0 = File.ReadAllText("/proc/loadavg").Trim();
        var configs = new[] { ("jsonl", jsonl, 2), ("recording", recording, 2), ("jsonl", jsonl, 1), ("recording", recording, 1) };
        var results = configs.ToDictionary(c => (c.Item1, c.Item3), _ => new List<JsonElement>());
        var pyArgs = new[] { Path.Combine(root, "bench", "baselines", "json_loads.py"), jsonl, "--passes", baselinePasses.ToString(C) };
        var nodeArgs = new[] { Path.Combine(root, "bench", "baselines", "ccxt_upbit.mjs"), jsonl, "--passes", baselinePasses.ToString(C) };
        var pyBefore = Baseline("python3", pyArgs, root, Path.Combine(outDir, "baseline-json_loads-before.json"));
        var nodeBefore = Baseline("node", nodeArgs, root, Path.Combine(outDir, "baseline-ccxt_upbit-before.json"));
        for (var run = 1; run <= runs; run++)
        {
            foreach (var (name, file, threads) in configs)
            {
                var json = Path.Combine(outDir, $"engine-{name}-{threads}t-run{run}.json");
                Exec("dotnet", [Path.Combine(AppContext.BaseDirectory, "upbithft.dll"), "replay", file, "--quiet", "--parse-threads", threads.ToString(C), "--summary-json", json], root);
                using var doc = JsonDocument.Parse(File.ReadAllText(json));
                results[(name, threads)].Add(doc.RootElement.Clone());
                Console.Error.WriteLine(string.Create(C, $"run {run} {name} {threads}t: {doc.RootElement.GetProperty("messages_per_s").GetDouble():N0} msg/s"));
            }
        }

        var pyAfter = Baseline("python3", pyArgs, root, Path.Combine(outDir, "baseline-json_loads-after.json"));
        var nodeAfter = Baseline("node", nodeArgs, root, Path.Combine(outDir, "baseline-ccxt_upbit-after.json"));
        var py = (pyBefore, pyAfter);
        var node = (nodeBefore, nodeAfter);
        var load1 = File.ReadAllText("/proc/loadavg").Trim();

        var sb = new StringBuilder();
        sb.AppendLine(Provenance.Line(started));
        var first = results[("jsonl", 2)][0];
        var m = first.GetProperty("messages");
        sb.AppendLine(string.Create(C, $"- input: `{Path.GetFileName(jsonl)}` ({new FileInfo(jsonl).Length / 1e6:N0} MB) and `{Path.GetFileName(recording)}` ({new FileInfo(recording).Length / 1e6:N0} MB), the same {m.GetProperty("total").GetInt64():N0} frames: {m.GetProperty("orderbook").GetInt64():N0} order books, {m.GetProperty("trade").GetInt64():N0} trades, {m.GetProperty("ticker").GetInt64():N0} tickers"));
        sb.AppendLine(string.Create(C, $"- {runs} runs of each configuration, interleaved; load average before `{load0}`, after `{load1}`"));
        sb.AppendLine();
        sb.AppendLine("| input | parse threads | best msg/s | median msg/s | B/msg | gen0 | parsed by the engine thread | ×json.loads (best / median) | ×ccxt.pro (best / median) |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (name, _, threads) in configs)
        {
            var list = results[(name, threads)];
            var rates = list.Select(r => r.GetProperty("messages_per_s").GetDouble()).Order().ToArray();
            var best = rates[^1];
            var median = rates[rates.Length / 2];
            var bytes = list.Max(r => r.GetProperty("allocated_bytes_per_message").GetDouble());
            var gen0 = list.Max(r => r.GetProperty("gen0_collections").GetInt64());
            var parsed = list.Average(r => r.GetProperty("frames_parsed_by_engine_thread").GetInt64() / (double)r.GetProperty("messages").GetProperty("total").GetInt64());
            sb.AppendLine(string.Create(C, $"| {name} | {threads} | {best:N0} | {median:N0} | {bytes:F3} | {gen0} | {parsed * 100:F0} % | {Ratio(best, py, "frames_per_s_min_time")} / {Ratio(median, py, "frames_per_s_median_time")} | {Ratio(best, node, "frames_per_s_min_time")} / {Ratio(median, node, "frames_per_s_median_time")} |"));
        }

        sb.AppendLine();
        sb.AppendLine(string.Create(C, $"Baselines on the same frames ({baselinePasses} timed passes after a warm-up, one process each, before and after the engine's runs; per frame; each ratio above uses the faster of the two, best against best and median against median):"));
        sb.AppendLine();
        sb.AppendLine("| baseline | when | best ns/frame | median ns/frame | frames/s (best) |");
        sb.AppendLine("|---|---|---:|---:|---:|");
        sb.AppendLine(Row("Python `json.loads` (bytes)", "before", pyBefore));
        sb.AppendLine(Row("Python `json.loads` (bytes)", "after", pyAfter));
        sb.AppendLine(Row("ccxt.pro upbit `onMessage` → `handleMessage`", "before", nodeBefore));
        sb.AppendLine(Row("ccxt.pro upbit `onMessage` → `handleMessage`", "after", nodeAfter));
        foreach (var (name, before, after) in new[] { ("json.loads", pyBefore, pyAfter), ("ccxt.pro", nodeBefore, nodeAfter) })
        {
            foreach (var (what, key) in new[] { ("best", "ns_per_frame_min"), ("median", "ns_per_frame_median") })
            {
                var a = before.GetProperty(key).GetDouble();
                var b = after.GetProperty(key).GetDouble();
                if (Math.Max(a, b) > 1.15 * Math.Min(a, b))
                {
                    sb.AppendLine();
                    sb.AppendLine(string.Create(C, $"Note: `{name}` measured {a:N0} ns a frame ({what}) before and {b:N0} after: the host changed speed during this run, and the engine's runs in between met one speed or the other."));
                }
            }
        }
        var report = sb.ToString();
        File.WriteAllText(Path.Combine(outDir, "throughput.md"), report);
        return report;
    }

    private static string Row(string name, string when, JsonElement b) => string.Create(C,
        $"| {name} | {when} | {b.GetProperty("ns_per_frame_min").GetDouble():N0} | {b.GetProperty("ns_per_frame_median").GetDouble():N0} | {b.GetProperty("frames_per_s_min_time").GetDouble():N0} |");



    /// <summary>The engine's rate over the baseline's faster measurement of <paramref name="key"/> (before or after the engine's runs): it can only understate the ratio.</summary>
    private static string Ratio(double engine, (JsonElement Before, JsonElement After) baseline, string key) =>
        (engine / Math.Max(baseline.Before.GetProperty(key).GetDouble(), baseline.After.GetProperty(key).GetDouble())).ToString("F1", C) + "×";

    private static JsonElement Baseline(string program, string[] args, string root, string save)
    {
        var output = Exec(program, args, root);
        File.WriteAllText(save, output);
        using var doc = JsonDocument.Parse(output);
        return doc.RootElement.Clone();
    }

    private static string Exec(string program, string[] args, string workingDirectory)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var p = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {program}");
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} exited {p.ExitCode}: {stderr.Result}");
        }

        return stdout;
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(Directory.GetCurrentDirectory());
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "UpbitHft.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("run from inside the repository (UpbitHft.sln not found above the current folder)");
    }
}
