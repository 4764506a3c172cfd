using System.Globalization;
using System.Text;
using UpbitHft.Engine.Host;
using UpbitHft.Engine.Ring;

namespace UpbitHft.Benchmarks.Latency;

/// <summary>
/// In-process tick-to-decision and tick-to-order through the whole pipeline (parse → ring → engine → paper order),
/// frames pumped at a fixed rate with coordinated-omission correction (each frame is stamped with its due time), per
/// wait strategy. Each strategy gets a warm-up replay first (JIT, tiering) in the same process.
/// Run: <c>dotnet run -c Release --project bench/UpbitHft.Benchmarks -- latency [rate]</c>.
/// </summary>
public static class ReplayLatencyHarness
{
    public static string Run(double rate)
    {
        var session = Path.Combine(AppContext.BaseDirectory, "data", "sample-session.jsonl");
        var sb = new StringBuilder();
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"Bundled session (13,732 frames) at {rate:N0} frames/s, after one warm-up replay per strategy; latencies in µs."));
        sb.AppendLine();
        sb.AppendLine("| wait strategy | series | count | p50 | p90 | p99 | p99.9 | max |");
        sb.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|");
        foreach (var kind in new[] { WaitStrategyKind.BusySpin, WaitStrategyKind.Yielding, WaitStrategyKind.Blocking })
        {
            var settings = new EngineSettings
            {
                InputPath = session,
                Ring = new RingOptions { Size = 16_384, WaitStrategy = kind, MultiProducer = false },
                StatusLines = false,
            };
            ReplayRunner.RunAsync(settings, TextWriter.Null, CancellationToken.None).GetAwaiter().GetResult(); // warm-up
            var r = ReplayRunner.RunAsync(settings with { FixedRate = rate }, TextWriter.Null, CancellationToken.None).GetAwaiter().GetResult();
            foreach (var (name, h) in new[] { ("tick-to-decision", r.TickToDecisionHistogram), ("tick-to-order", r.TickToOrderHistogram) })
            {
                sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {kind} | {name} | {h.TotalCount:N0} | {Us(h, 50)} | {Us(h, 90)} | {Us(h, 99)} | {Us(h, 99.9)} | {HdrHistogram.HistogramExtensions.GetMaxValue(h) / 1000.0:F1} |"));
            }
        }

        return sb.ToString();
    }

    private static string Us(HdrHistogram.HistogramBase h, double p) =>
        h.TotalCount == 0 ? "" : (h.GetValueAtPercentile(p) / 1000.0).ToString("F1", CultureInfo.InvariantCulture);
}
