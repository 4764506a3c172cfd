using System.Globalization;
using System.Text;
using UpbitHft.Engine.Decisions;
using UpbitHft.Engine.Runtime;
using UpbitHft.Engine.Execution;
using UpbitHft.Engine.Reconciliation;
using UpbitHft.Engine.Modes;
using UpbitHft.Engine.Control;
using UpbitHft.Engine.Ring;

namespace UpbitHft.Benchmarks.Harnesses;

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
        var orders = OrderStormSession();
        try
        {
            return Provenance.Line() + Environment.NewLine + Environment.NewLine
                + Table(session, rate, "Bundled session (13,732 frames, 10 orders)", new DecisionOptions())
                + Environment.NewLine
                + Table(orders, rate, "Order storm (every trade triggers an order: buy, take-profit sell, buy again; cooldown 0)", new DecisionOptions { CooldownMs = 0 });
        }
        finally
        {
            File.Delete(orders);
        }
    }

    /// <summary>
    /// A session where every trade triggers an order: 25 minutes of history (RSI and the volume window warm up
    /// from the data, as in any replay), a surge minute, then a crossed book (asks 500,000, bids 501,500; bids larger)
    /// and 20,000 trades alternating 500,000 / 501,500 — each is an entry or the take-profit of the position just
    /// opened. Written as a JSONL capture like the shared samples.
    /// </summary>
    internal static string OrderStormSession()
    {
        var t0 = new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        var script = new UpbitHft.TestSupport.FakeUpbit.SessionScript();
        for (var minute = 0; minute < 25; minute++)
        {
            for (var k = 0; k < 4; k++)
            {
                var price = 500_000m + (((minute + k) % 3) * 500) - 500;
                script.Trade("KRW-BTC", t0 + (minute * 60_000) + (k * 10_000), price, 50);
            }
        }

        for (var k = 0; k < 6; k++)
        {
            script.Trade("KRW-BTC", t0 + (25 * 60_000) + (k * 5_000), 500_000, 100); // the surge minute
        }

        var start = t0 + (26 * 60_000);
        for (var i = 0; i < 20_000; i++)
        {
            if (i % 1_000 == 0)
            {
                script.Book("KRW-BTC", start + i, 501_500, 500_000, 10, 5);
            }

            script.Trade("KRW-BTC", start + i, i % 2 == 0 ? 500_000 : 501_500, 0.01m);
        }

        var path = Path.Combine(Path.GetTempPath(), $"upbithft-order-storm-{Guid.NewGuid():N}.jsonl");
        using var w = new StreamWriter(path);
        var ts = t0 / 1000.0;
        foreach (var frame in script.Frames)
        {
            w.WriteLine(System.Text.Json.JsonSerializer.Serialize(new { recv_ts = ts, frame = Encoding.UTF8.GetString(frame) }));
            ts += 0.0001;
        }

        return path;
    }

    private static string Table(string session, double rate, string title, DecisionOptions strategy)
    {
        var sb = new StringBuilder();
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"{title} at {rate:N0} frames/s, after one warm-up replay per strategy; latencies in µs."));
        sb.AppendLine();
        sb.AppendLine("| wait strategy | series | count | p50 | p90 | p99 | p99.9 | max | engine-thread B/msg | gen0 |");
        sb.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var kind in new[] { WaitStrategyKind.BusySpin, WaitStrategyKind.Yielding, WaitStrategyKind.Blocking })
        {
            var settings = new EngineSettings
            {
                InputPath = session,
                Ring = new RingOptions { Size = 16_384, WaitStrategy = kind, MultiProducer = false },
                StatusLines = false,
                Strategy = strategy,
            };
            ReplayRunner.RunAsync(settings, TextWriter.Null, CancellationToken.None).GetAwaiter().GetResult(); // warm-up
            var r = ReplayRunner.RunAsync(settings with { FixedRate = rate }, TextWriter.Null, CancellationToken.None).GetAwaiter().GetResult();
            foreach (var (name, h) in new[] { ("tick-to-decision", r.TickToDecisionHistogram), ("tick-to-order", r.TickToOrderHistogram) })
            {
                sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {kind} | {name} | {h.TotalCount:N0} | {Us(h, 50)} | {Us(h, 90)} | {Us(h, 99)} | {Us(h, 99.9)} | {HdrHistogram.HistogramExtensions.GetMaxValue(h) / 1000.0:F1} | {r.AllocatedBytesPerMessage:F2} | {r.Gen0Collections} |"));
            }
        }

        return sb.ToString();
    }

    private static string Us(HdrHistogram.HistogramBase h, double p) =>
        h.TotalCount == 0 ? "" : (h.GetValueAtPercentile(p) / 1000.0).ToString("F1", CultureInfo.InvariantCulture);
}
