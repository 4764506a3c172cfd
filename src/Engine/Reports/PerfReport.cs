using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using HdrHistogram;
using UpbitHft.Engine.Runtime;
using UpbitHft.Reporting;

namespace UpbitHft.Engine.Reports;

/// <summary>
/// <c>--perf-report DIR</c>: the latency histograms as HdrHistogram <c>.hgrm</c> percentile distributions (µs), a
/// markdown summary (machine, commit, GC counts, percentiles) and a PNG percentile plot.
/// </summary>
public static class PerfReport
{
    public static void Write(RunResult r, string input, string directory)
    {
        Directory.CreateDirectory(directory);
        foreach (var (name, h) in Series(r))
        {
            WriteHgrm(h, Path.Combine(directory, name + ".hgrm"));
        }

        File.WriteAllText(Path.Combine(directory, "summary.md"), Markdown(r, input));
        Plot(Series(r), Path.Combine(directory, "latency-percentiles.png"), "UpbitHft latency by percentile");
    }

    /// <summary>A histogram of ns as an HdrHistogram percentile distribution in µs.</summary>
    public static void WriteHgrm(HistogramBase h, string path)
    {
        using var w = new StreamWriter(path);
        h.OutputPercentileDistribution(w, outputValueUnitScalingRatio: 1000.0); // ns → µs
    }

    private static IEnumerable<(string Name, HistogramBase Histogram)> Series(RunResult r)
    {
        yield return ("tick_to_decision", r.TickToDecisionHistogram);
        yield return ("tick_to_order", r.TickToOrderHistogram);
        if (r.PublishToDecisionHistogram is { } publish)
        {
            yield return ("publish_to_decision", publish);
        }

        foreach (var (name, h) in new[] { ("service_parse", r.ParseTimeHistogram), ("service_handoff", r.HandOffHistogram), ("service_decision", r.DecisionTimeHistogram) })
        {
            if (h is not null)
            {
                yield return (name, h);
            }
        }

        if (r.OrderPath is { } path)
        {
            yield return ("receive_to_written", path.ReceiveToWritten);
            foreach (var (name, h) in path.HopHistograms())
            {
                yield return ("hop_" + name, h);
            }
        }

        if (r.AnswerToAppliedHistogram is { } applied)
        {
            yield return ("hop_answer_to_applied", applied);
        }
    }

    private static string Markdown(RunResult r, string input)
    {
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine("# UpbitHft run — latency report").AppendLine();
        sb.AppendLine(string.Create(c, $"- input: `{input}`"));
        sb.AppendLine(string.Create(c, $"- date (UTC): {r.StartedUtc:yyyy-MM-dd HH:mm:ss}"));
        sb.AppendLine(string.Create(c, $"- machine: {CpuModel()}, {Environment.ProcessorCount} logical CPUs, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}"));
        sb.AppendLine(string.Create(c, $"- commit: {Commit()}"));
        sb.AppendLine(string.Create(c, $"- messages: {r.Messages:N0} in {r.ElapsedSeconds:F3} s ({r.Messages / Math.Max(r.ElapsedSeconds, 1e-9):N0}/s), orders {r.Orders}, closed trades {r.ClosedTrades.Count}"));
        sb.AppendLine(string.Create(c, $"- GC during the run: gen0 {r.Gen0Collections}; process totals gen0 {GC.CollectionCount(0)}, gen1 {GC.CollectionCount(1)}, gen2 {GC.CollectionCount(2)}; engine-thread bytes per message {r.AllocatedBytesPerMessage:F2}"));
        sb.AppendLine();
        sb.AppendLine("| series | count | p50 µs | p90 µs | p99 µs | p99.9 µs | max µs |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var (name, h) in Series(r))
        {
            if (h.TotalCount == 0)
            {
                sb.AppendLine(string.Create(c, $"| {name} | 0 | | | | | |"));
                continue;
            }

            sb.AppendLine(string.Create(c, $"| {name} | {h.TotalCount:N0} | {Us(h, 50)} | {Us(h, 90)} | {Us(h, 99)} | {Us(h, 99.9)} | {h.GetMaxValue() / 1000.0:F1} |"));
        }

        sb.AppendLine();
        sb.AppendLine("Receive stamps are taken when the frame is handed to the parser (replay: by the replay thread; live: when the");
        sb.AppendLine("WebSocket message completed), so queueing in the ring is included; `publish_to_decision` starts after the parse, when");
        sb.AppendLine("the slot was published (the ring hand-off plus the engine's work). Live tick-to-order ends when the signed request is");
        sb.AppendLine("ready; paper and replay end when the command reaches the paper exchange. Histograms: `*.hgrm` (µs). Plot: `latency-percentiles.png`.");
        return sb.ToString();
    }

    private static string Us(HistogramBase h, double p) => (h.GetValueAtPercentile(p) / 1000.0).ToString("F1", CultureInfo.InvariantCulture);

    /// <summary>
    /// A PNG of latency (µs) against percentile on the usual log axis, one line per histogram (ns), drawn by
    /// UpbitHft.Reporting. Not inlined, so that compiling a caller never loads the charting assemblies: they load
    /// only when a plot is drawn.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Plot(IEnumerable<(string Name, HistogramBase Histogram)> series, string path, string title, bool logY = false)
    {
        // Copy each value while iterating: HdrHistogram's iterator reuses one value object.
        var points = series.Where(s => s.Histogram.TotalCount > 0).Select(s =>
        {
            var levels = s.Histogram.Percentiles(5).Select(v => (Percentile: v.PercentileLevelIteratedTo, Value: v.ValueIteratedTo)).Where(v => v.Percentile < 99.995).ToList();
            return new PercentileSeries(s.Name, levels.Select(v => v.Percentile).ToArray(), levels.Select(v => v.Value / 1000.0).ToArray());
        });
        LatencyPlot.Write(points.ToList(), path, title, logY);
    }

    /// <summary>The CPU's model name from /proc/cpuinfo (the architecture where there is none).</summary>
    public static string CpuModel()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line?[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim() ?? RuntimeInformation.ProcessArchitecture.ToString();
        }
        catch (IOException)
        {
            return RuntimeInformation.ProcessArchitecture.ToString();
        }
        catch (UnauthorizedAccessException)
        {
            return RuntimeInformation.ProcessArchitecture.ToString();
        }
    }

    /// <summary>The exact commit checked out where the process runs (<c>git rev-parse HEAD</c>, all 40 hex digits).</summary>
    public static string Commit()
    {
        try
        {
            using var git = Process.Start(new ProcessStartInfo("git", "rev-parse HEAD") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false });
            if (git is null)
            {
                return "unknown";
            }

            var sha = git.StandardOutput.ReadToEnd().Trim();
            return git.WaitForExit(5_000) && git.ExitCode == 0 && sha.Length > 0 ? sha : "unknown (not a git checkout)";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "unknown (git not found)";
        }
    }
}
