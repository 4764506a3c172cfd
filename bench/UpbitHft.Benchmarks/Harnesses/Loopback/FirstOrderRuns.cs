using System.Diagnostics;
using System.Text.Json;
using HdrHistogram;
using UpbitHft.Engine.Runtime;

namespace UpbitHft.Benchmarks.Harnesses.Loopback;

/// <summary>
/// The first order of a run, cold as a user gets it: <c>upbithft live</c> started as a fresh process (its own JIT, its
/// own connections) against a fresh fake exchange process, several times. Each run's first order is set against the
/// same run's later orders, wire → order (the fake's stamps) and tick → bytes written (the engine's own stamps, from
/// its summary). Trades are 150 ms apart so the default order limit (8/s) never delays an order.
/// </summary>
internal static class FirstOrderRuns
{
    public sealed record Run(long FirstWireNs, long FirstReceiveToWrittenNs, long SteadyReceiveToWrittenP50Ns, long WarmUpOrders, long OrderConnections,
        long FirstWireInNs = 0, long FirstWireOutNs = 0);

    public sealed record Result(IReadOnlyList<Run> Runs, LongHistogram FirstWire, LongHistogram SteadyWire);

    public static Result Measure(int runs, int cycles)
    {
        var firstWire = Harness.NewHistogram();
        var steadyWire = Harness.NewHistogram();
        var list = new List<Run>();
        for (var r = 0; r < runs; r++)
        {
            Console.Error.WriteLine($"first order: engine process {r + 1} of {runs} ...");
            var (frames, firstTrade) = WireToOrder.Script(cycles, paceMs: 150);
            var fx = FakeExchangeProcess.StartAsync(frames, paceMs: 150).GetAwaiter().GetResult();
            var dir = Directory.CreateTempSubdirectory("upbithft-first-order-");
            try
            {
                var config = Path.Combine(dir.FullName, "strategy.json");
                File.WriteAllText(config, """{"CooldownMs": 0}""");
                var summary = Path.Combine(dir.FullName, "summary.json");
                var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
                foreach (var a in new[]
                {
                    Path.Combine(AppContext.BaseDirectory, "upbithft.dll"), "live", "--confirm-live", "--rest-url", fx.Rest.ToString(), "--ws-url", fx.Ws.ToString(),
                    "--ws-private-url", fx.Private.ToString(), "--journal", Path.Combine(dir.FullName, "journal.db"), "--summary-json", summary,
                    "--config", config, "--quiet", "--max-runtime", Math.Max(14, 8 + (cycles * 2 * 0.15)).ToString("F0", System.Globalization.CultureInfo.InvariantCulture),
                })
                {
                    start.ArgumentList.Add(a);
                }

                if (Environment.GetEnvironmentVariable("UPBITHFT_FIRST_ORDER_JIT_LOG") is { } jitLog)
                {
                    // Diagnostics: every method the engine process compiles, in order (to see what the first order still JITs).
                    start.Environment["DOTNET_JitStdOutFile"] = Path.Combine(jitLog, $"jit-{r + 1}.txt");
                    start.Environment["DOTNET_JitDisasmSummary"] = "1";
                }

                start.Environment["UPBIT_ACCESS_KEY"] = WireToOrder.FakeKeys.AccessKey;
                start.Environment["UPBIT_SECRET_KEY"] = WireToOrder.FakeKeys.SecretKey;
                using var engine = Process.Start(start)!;
                var stderr = engine.StandardError.ReadToEndAsync();
                _ = engine.StandardOutput.ReadToEndAsync();
                if (!engine.WaitForExit(TimeSpan.FromSeconds(60)))
                {
                    engine.Kill(entireProcessTree: true);
                }

                var stamps = fx.StopAsync().GetAwaiter().GetResult();
                var (steady, first) = WireToOrder.Pair(stamps, firstTrade);
                if (!File.Exists(summary) || first == 0)
                {
                    throw new InvalidOperationException($"engine run {r + 1} gave no order: {stderr.Result}");
                }

                if (Environment.GetEnvironmentVariable("UPBITHFT_KEEP_FIRST_ORDER") is { } keep)
                {
                    File.Copy(summary, Path.Combine(keep, $"first-order-{r + 1}.json"), overwrite: true);
                    File.WriteAllText(Path.Combine(keep, $"first-order-{r + 1}.log"), stderr.Result);
                }

                using var doc = JsonDocument.Parse(File.ReadAllBytes(summary));
                var path = doc.RootElement.GetProperty("order_path");
                var firstOrder = path.GetProperty("first_order_ns");

                // The first order's two hops outside the engine: the fake writing the frame → the engine receiving it,
                // the engine writing the request → the fake's handler (both processes stamp the same clock).
                var (received, written) = (firstOrder.GetProperty("received_at").GetInt64(), firstOrder.GetProperty("written_at").GetInt64());
                var k = Array.FindLastIndex(stamps.FrameSentNs, s => s != 0 && s <= received);
                var arrived = stamps.OrderArrivedNs.Where(a => a >= written).DefaultIfEmpty(0).Min();
                list.Add(new Run(first, firstOrder.GetProperty("receive_to_written").GetInt64(),
                    path.GetProperty("steady_ns").GetProperty("receive_to_written").GetProperty("p50").GetInt64(),
                    path.GetProperty("warm_up_orders").GetInt64(), path.GetProperty("order_connections").GetInt64(),
                    k >= 0 ? received - stamps.FrameSentNs[k] : 0, arrived > 0 ? arrived - written : 0));
                LatencyHistograms.Record(firstWire, first);
                steadyWire.Add(steady);
            }
            finally
            {
                fx.DisposeAsync().AsTask().GetAwaiter().GetResult();
                dir.Delete(recursive: true);
            }
        }

        return new Result(list, firstWire, steadyWire);
    }
}
