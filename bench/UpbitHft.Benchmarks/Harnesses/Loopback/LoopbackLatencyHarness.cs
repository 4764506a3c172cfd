using System.Globalization;
using System.Text;
using HdrHistogram;
using UpbitHft.Engine.Reports;

namespace UpbitHft.Benchmarks.Harnesses.Loopback;

/// <summary>
/// Latency over loopback, all in one run so the ratios are side by side (docs/design.md#performance-goals):
/// <list type="bullet">
/// <item>floors: a cache-line round trip between two threads, a 64-byte loopback TCP round trip, the same over TLS;</item>
/// <item>wire → decision, ours against the common way (<see cref="WireToDecision"/>);</item>
/// <item>wire → order against the fake exchange in its own process, plain and TLS: the whole live engine (in this
/// process, after warm-up) and the common way (<see cref="CommonWay"/>), alternating; the engine's per-hop stamps;</item>
/// <item>one order request sent by the engine's <c>HttpClient</c> against a minimal HTTP/1.1 writer on a raw socket;</item>
/// <item>the first order of a run: fresh <c>upbithft live</c> processes, first order against the rest.</item>
/// </list>
/// Run: <c>dotnet run -c Release --project bench/UpbitHft.Benchmarks -- loopback [rate] [seconds] [outDir]</c>; writes
/// <c>.hgrm</c> files, a plot and <c>summary.json</c> to outDir and prints a markdown report.
/// </summary>
public static class LoopbackLatencyHarness
{
    public static string Run(int rate, int seconds, string outDir, int cycles = 300, int firstOrderRuns = 5)
    {
        Directory.CreateDirectory(outDir);
        var started = DateTimeOffset.UtcNow;
        var gen0 = GC.CollectionCount(0);
        var series = new List<(string Name, HistogramBase Histogram)>();

        Console.Error.WriteLine("floors: cache line, loopback TCP, loopback TLS ...");
        var cacheLine = RingLatencyHarness.CacheLine(50_000);
        var tcp = WireToDecision.TcpRoundTrip(20_000);
        var tls = TlsFloor.RoundTrip(20_000);
        series.Add(("floor_cache_line_round_trip", cacheLine));
        series.Add(("floor_loopback_tcp_round_trip", tcp));
        series.Add(("floor_loopback_tls_round_trip", tls));

        var frames = WireToDecision.TradeFrames(WireToDecision.WarmupFrames + (rate * seconds));
        (LongHistogram Histogram, int Missing) ours = (Harness.NewHistogram(), 0), baseline = (Harness.NewHistogram(), 0);
        for (var round = 0; round < 2; round++)
        {
            Console.Error.WriteLine($"wire -> decision, round {round + 1}: ours, then the common way ...");
            ours = WireToDecision.Measure(frames, rate, WireToDecision.Ours);
            baseline = WireToDecision.Measure(frames, rate, WireToDecision.Baseline);
        }

        series.Add(("wire_to_decision_ours", ours.Histogram));
        series.Add(("wire_to_decision_baseline", baseline.Histogram));

        // Wire → order, plain: two alternating rounds, the second kept (the first warms this process; the first order
        // of a cold process is measured apart, below).
        WireToOrder.Result engine = null!, common = null!;
        for (var round = 0; round < 2; round++)
        {
            Console.Error.WriteLine($"wire -> order, round {round + 1}: the live engine, then the common way (fake exchange in its own process) ...");
            engine = WireToOrder.Engine(cycles, tls: false);
            common = CommonWay.Run(cycles, tls: false);
        }

        Console.Error.WriteLine("wire -> order over TLS: the live engine, then the common way ...");
        var engineTls = WireToOrder.Engine(cycles, tls: true);
        var commonTls = CommonWay.Run(cycles, tls: true);
        series.Add(("wire_to_order_live_engine", engine.Steady));
        series.Add(("wire_to_order_baseline", common.Steady));
        series.Add(("wire_to_order_live_engine_tls", engineTls.Steady));
        series.Add(("wire_to_order_baseline_tls", commonTls.Steady));
        var path = engine.Engine!.OrderPath!;
        series.Add(("receive_to_signed_order_live_engine", path.ReceiveToSigned));
        series.Add(("receive_to_written_live_engine", path.ReceiveToWritten));
        var (wireIn, wireOut) = WireToOrder.WireHops(engine.Stamps, path, engine.FirstTrade);
        series.Add(("hop_fake_written_to_received", wireIn));
        series.AddRange(path.HopHistograms().Select(h => ("hop_" + h.Name, h.Histogram)));
        series.Add(("hop_written_to_fake_handler", wireOut));
        series.Add(("hop_answer_to_applied", engine.Engine.AnswerToAppliedHistogram!));
        series.Add(("receive_to_written_live_engine_tls", engineTls.Engine!.OrderPath!.ReceiveToWritten));
        series.Add(("hop_signed_to_written_tls", engineTls.Engine.OrderPath.HopHistograms().First(h => h.Name == "signed_to_written").Histogram));

        Console.Error.WriteLine("one order request: HttpClient against a raw HTTP/1.1 socket ...");
        var send = OrderSendComparison.Run(perRound: 500, rounds: 4);
        series.Add(("order_round_trip_httpclient", send.HttpClient));
        series.Add(("order_round_trip_raw_socket", send.RawSocket));

        var first = FirstOrderRuns.Measure(firstOrderRuns, cycles: 10);
        series.Add(("first_order_wire_to_order_fresh_process", first.FirstWire));
        series.Add(("steady_wire_to_order_fresh_process", first.SteadyWire));

        foreach (var (name, h) in series)
        {
            PerfReport.WriteHgrm(h, Path.Combine(outDir, name + ".hgrm"));
        }

        PerfReport.Plot(series.Where(s => s.Name.StartsWith("wire_to_order", StringComparison.Ordinal) || s.Name.StartsWith("floor_loopback", StringComparison.Ordinal)),
            Path.Combine(outDir, "loopback-percentiles.png"), "UpbitHft wire → order over loopback, by percentile", logY: true);

        // The first order of each fresh process against the steady state: the same process's later orders when it made
        // any, else the warm in-process engine's steady wire → order p50 of this run.
        var steadyP50 = first.SteadyWire.TotalCount > 0 ? first.SteadyWire.GetValueAtPercentile(50) : engine.Steady.GetValueAtPercentile(50);
        var firstOverSteady = first.Runs.Select(r => (double)r.FirstWireNs / Math.Max(1, steadyP50)).ToList();
        var ratios = new Dictionary<string, double>
        {
            ["wire_to_order_p50_over_tcp_p50"] = Harness.Ratio(engine.Steady, tcp, 50),
            ["wire_to_order_p99_over_tcp_p50"] = (double)engine.Steady.GetValueAtPercentile(99) / Math.Max(1, tcp.GetValueAtPercentile(50)),
            ["wire_to_order_p99_over_tcp_p99"] = Harness.Ratio(engine.Steady, tcp, 99),
            ["baseline_over_engine_wire_to_order_p50"] = Harness.Ratio(common.Steady, engine.Steady, 50),
            ["baseline_over_engine_wire_to_order_p99"] = Harness.Ratio(common.Steady, engine.Steady, 99),
            ["baseline_over_engine_wire_to_order_tls_p50"] = Harness.Ratio(commonTls.Steady, engineTls.Steady, 50),
            ["baseline_over_engine_wire_to_order_tls_p99"] = Harness.Ratio(commonTls.Steady, engineTls.Steady, 99),
            ["tls_over_plain_wire_to_order_p50"] = Harness.Ratio(engineTls.Steady, engine.Steady, 50),
            ["httpclient_over_raw_socket_p50"] = Harness.Ratio(send.HttpClient, send.RawSocket, 50),
            ["httpclient_over_raw_socket_p99"] = Harness.Ratio(send.HttpClient, send.RawSocket, 99),
            ["first_order_over_steady_p50_worst"] = firstOverSteady.Max(),
            ["first_order_over_steady_p50_median"] = firstOverSteady.Order().ElementAt(firstOverSteady.Count / 2),
        };
        var c = CultureInfo.InvariantCulture;
        var notes = new Dictionary<string, string>
        {
            ["command"] = string.Create(c, $"dotnet run -c Release --project bench/UpbitHft.Benchmarks -- loopback {rate} {seconds} {outDir}"),
            ["wire_to_order"] = string.Create(c, $"{cycles * 2} trades 20 ms apart, each triggering one order; fake exchange in its own process; the first order of each run left out (see first_order_*); the engine in this process after a first round"),
            ["first_order"] = string.Join("; ", first.Runs.Select((r, i) => string.Create(c, $"run {i + 1}: first {r.FirstWireNs / 1000.0:F0} µs wire→order, {r.FirstReceiveToWrittenNs / 1000.0:F0} µs tick→written (steady p50 {r.SteadyReceiveToWrittenP50Ns / 1000.0:F0} µs), fake written→received {r.FirstWireInNs / 1000.0:F0} µs, written→fake's handler {r.FirstWireOutNs / 1000.0:F0} µs; {r.WarmUpOrders} warm-up test orders, {r.OrderConnections} order connections"))),
            ["raw_socket_correctness"] = string.Create(c, $"{send.RawAnswers} answers read, {send.RawChunked} chunked, {send.RawAnswersWithRemainingReq} with a usable Remaining-Req"),
            ["order_connections_live_engine"] = string.Create(c, $"{engine.Engine.OrderConnections} order connections for {engine.Stamps.Orders} orders; the fake accepted {engine.Stamps.Connections} connections in all"),
        };
        Harness.WriteSummary(Path.Combine(outDir, "summary.json"), series, ratios, notes);

        var sb = new StringBuilder();
        sb.AppendLine(Provenance.Line(started));
        sb.AppendLine(string.Create(c, $"- wire → decision: {rate:N0} frames/s for {seconds} s; wire → order: {notes["wire_to_order"]}; GC gen0 during the run: {GC.CollectionCount(0) - gen0}"));
        sb.AppendLine();
        sb.AppendLine("| series | count | p50 µs | p90 µs | p99 µs | p99.9 µs | max µs |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var (name, h) in series)
        {
            sb.AppendLine(string.Create(c, $"| {name} | {h.TotalCount:N0} | {Harness.UsText(h, 50)} | {Harness.UsText(h, 90)} | {Harness.UsText(h, 99)} | {Harness.UsText(h, 99.9)} | {(h.TotalCount == 0 ? "" : (h.GetMaxValue() / 1000.0).ToString("F1", c))} |"));
        }

        sb.AppendLine();
        foreach (var (name, value) in ratios)
        {
            sb.AppendLine(string.Create(c, $"- {name}: {value:F2}"));
        }

        foreach (var (name, value) in notes)
        {
            sb.AppendLine($"- {name}: {value}");
        }

        return sb.ToString();
    }
}
