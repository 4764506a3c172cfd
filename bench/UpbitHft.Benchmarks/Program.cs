using System.Globalization;
using BenchmarkDotNet.Running;
using UpbitHft.Benchmarks.Harnesses;
using UpbitHft.Benchmarks.Harnesses.Loopback;

namespace UpbitHft.Benchmarks;

/// <summary>
/// Runs any benchmark class in this assembly with <see cref="BenchConfig"/>: <c>dotnet run -c Release --project bench/UpbitHft.Benchmarks -- --filter *Parser*</c>.
/// The HdrHistogram harnesses in <c>Harnesses/</c>, which are not BenchmarkDotNet benchmarks, are named by the first
/// argument (<c>ring-latency</c>, <c>wake-floor [gapMs] [roundTrips]</c>, <c>ring-slots [events] [runs]</c>, <c>feed</c>, <c>latency</c>, <c>tick-to-signed [rate]</c>, <c>loopback</c>, <c>replay-stages FILE</c>,
/// <c>throughput JSONL RECORDING [runs] [dir] [baseline passes]</c>, <c>order-send</c>, and <c>parse-loop FRAME</c>: the best
/// of 15 rounds of 200,000 parses of one benchmark frame, a quick A/B before a BenchmarkDotNet run).
/// </summary>
public static class Program
{
    public static void Main(string[] args)
    {
        if (args.Length > 0 && args[0] is "loopback" or "wire-to-order" or "latency" or "first-order" or "tick-to-signed" && Environment.GetEnvironmentVariable("DOTNET_TieredCompilation") is null)
        {
            // These harnesses run the engine in this process: run it as it ships, with tiered compilation off
            // (src/Engine's project sets it; this process's own settings would otherwise apply). Setting
            // DOTNET_TieredCompilation yourself (0 or 1) runs it as you say.
            Environment.Exit(EngineJit.RunAgainAsTheEngineRuns(args));
        }

        if (args.Length > 0 && args[0] == "wake-floor")
        {
            var gapMs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20;
            var roundTrips = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 300;
            Console.WriteLine(WakeFloorHarness.Run(gapMs, roundTrips));
            return;
        }

        if (args.Length > 0 && args[0] == "ring-latency")
        {
            var roundTrips = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100_000;
            Console.WriteLine(RingLatencyHarness.Run(roundTrips));
            return;
        }

        if (args.Length > 0 && args[0] == "ring-slots")
        {
            var events = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20_000_000;
            var runs = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 7;
            Console.WriteLine(RingSlotHarness.Run(events, runs));
            return;
        }

        if (args.Length > 0 && args[0] == "wire-to-order")
        {
            // One live-engine run of the loopback harness's wire → order, for a quick A/B: [cycles] [tls|plain] [no-rehearsal] [no-sign-ahead].
            var cycles = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 300;
            var tls = args.Length > 2 && args[2] == "tls";
            Console.WriteLine(WireToOrder.Describe(WireToOrder.Engine(cycles, tls, rehearse: !args.Contains("no-rehearsal"), signAhead: !args.Contains("no-sign-ahead"))));
            return;
        }

        if (args.Length > 0 && args[0] == "first-order")
        {
            // The loopback harness's first-order part alone: [runs] fresh engine processes.
            var r = FirstOrderRuns.Measure(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3, args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 10);
            foreach (var run in r.Runs)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"first order: wire -> order {run.FirstWireNs / 1000.0:F0} µs, tick -> written {run.FirstReceiveToWrittenNs / 1000.0:F0} µs (steady p50 {run.SteadyReceiveToWrittenP50Ns / 1000.0:F0} µs); outside the engine: fake written -> received {run.FirstWireInNs / 1000.0:F0} µs, written -> fake's handler {run.FirstWireOutNs / 1000.0:F0} µs"));
            }
            return;
        }

        if (args.Length > 0 && args[0] == "tick-to-signed")
        {
            var rate = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 10_000;
            Console.WriteLine(TickToSignedHarness.Run(rate));
            return;
        }

        if (args.Length > 0 && args[0] == "latency")
        {
            var rate = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 10_000;
            Console.WriteLine(ReplayLatencyHarness.Run(rate));
            return;
        }

        if (args.Length > 0 && args[0] == "loopback")
        {
            var rate = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10_000;
            var seconds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 5;
            var dir = args.Length > 3 ? args[3] : Path.Combine("perf-reports", "latency");
            var cycles = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 300;
            var firstOrderRuns = args.Length > 5 ? int.Parse(args[5], CultureInfo.InvariantCulture) : 5;
            Console.WriteLine(LoopbackLatencyHarness.Run(rate, seconds, dir, cycles, firstOrderRuns));
            return;
        }

        if (args.Length > 1 && args[0] == "replay-stages")
        {
            Console.WriteLine(ReplayStagesHarness.Run(args[1], args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3));
            return;
        }

        if (args.Length > 2 && args[0] == "throughput")
        {
            var runs = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 3;
            var dir = args.Length > 4 ? args[4] : Path.Combine("perf-reports", "throughput");
            var passes = args.Length > 5 ? int.Parse(args[5], CultureInfo.InvariantCulture) : 3;
            Console.WriteLine(ThroughputHarness.Run(args[1], args[2], runs, dir, passes));
            return;
        }

        if (args.Length > 1 && args[0] == "parse-loop")
        {
            // Quick A/B between benchmark runs: the parser and the source-generated baseline, alternating rounds, best
            // round of each (ns per frame) and their ratio. The committed figures come from BenchmarkDotNet.
            foreach (var name in args[1..])
            {
                var bench = new UpbitHft.Benchmarks.Parser.ParserBenchmarks { Frame = name };
                bench.Setup();
                double bestParser = double.MaxValue, bestBaseline = double.MaxValue;
                for (var round = 0; round < 15; round++)
                {
                    var sw = System.Diagnostics.Stopwatch.StartNew();
                    for (var i = 0; i < 100_000; i++)
                    {
                        bench.UpbitParser();
                    }

                    bestParser = Math.Min(bestParser, sw.Elapsed.TotalNanoseconds / 100_000);
                    sw.Restart();
                    for (var i = 0; i < 100_000; i++)
                    {
                        bench.JsonSerializerSourceGen();
                    }

                    bestBaseline = Math.Min(bestBaseline, sw.Elapsed.TotalNanoseconds / 100_000);
                }

                Console.WriteLine($"{name,-16} parser {bestParser,8:F1} ns  JsonSerializer {bestBaseline,8:F1} ns  ×{bestBaseline / bestParser:F2}");
            }

            return;
        }

        if (args.Length > 0 && args[0] == "order-send")
        {
            var perRound = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000;
            var r = OrderSendComparison.Run(perRound, rounds: 5);
            Console.WriteLine($"HttpClient p50 {r.HttpClient.GetValueAtPercentile(50) / 1000.0:F1} µs p99 {r.HttpClient.GetValueAtPercentile(99) / 1000.0:F1} µs; raw socket p50 {r.RawSocket.GetValueAtPercentile(50) / 1000.0:F1} µs p99 {r.RawSocket.GetValueAtPercentile(99) / 1000.0:F1} µs");
            return;
        }

        if (args.Length > 0 && args[0] == "feed")
        {
            var frames = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 13_000;
            Console.WriteLine(FeedHarness.Run(frames));
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, new BenchConfig());
    }
}
