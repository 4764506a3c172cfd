using System.Globalization;
using UpbitHft.Engine.Runtime;

namespace UpbitHft.Engine.Reports;

/// <summary>The final summary table printed at the end of a run.</summary>
public static class ConsoleReport
{
    /// <summary>
    /// Throughput, the engine's service time per event (what each stage costs), and — only where it means something —
    /// latency: at full speed receive → decision is mostly time spent waiting in the ring, so it is not printed.
    /// </summary>
    private static void Speed(RunResult r, TextWriter o)
    {
        var c = CultureInfo.InvariantCulture;
        o.WriteLine();
        o.WriteLine(string.Create(c, $"  throughput: {r.Messages:N0} messages in {r.ElapsedSeconds:F3} s = {r.Messages / Math.Max(r.ElapsedSeconds, 1e-9):N0} msg/s{(r.FullSpeed ? " (full speed: as fast as the reader can feed the engine)" : "")}"));
        if (r.FramesParsedByEngine > 0)
        {
            o.WriteLine(string.Create(c, $"  parsing on both cores: the engine thread parsed {r.FramesParsedByEngine:N0} frames ({100.0 * r.FramesParsedByEngine / Math.Max(r.Messages, 1):F0} %) while it kept up"));
        }

        o.WriteLine(string.Create(c, $"  service time per event, ns{(r.FullSpeed ? " (1 event in 64 stamped)" : "")}:"));
        Header(o);
        Row(o, "parse (reader / feed thread)", r.ParseTimeHistogram);
        Row(o, "hand-off (ring, parsed → engine)", r.HandOffHistogram);
        Row(o, "decision (engine thread)", r.DecisionTimeHistogram);
        if (r.FullSpeed)
        {
            o.WriteLine("  latency: not shown at full speed (events wait in the ring behind each other); --rate N replays at a fixed rate");
            o.WriteLine("           and reports receive → decision with coordinated-omission correction");
            return;
        }

        o.WriteLine(string.Create(c, $"  latency, ns{(r.Paced ? $" (at {r.PacedRate:N0} msg/s, coordinated-omission corrected: each frame stamped when it was due)" : "")}:"));
        Header(o);
        Row(o, "receive → decision", r.TickToDecisionHistogram);
        Row(o, "receive → order", r.TickToOrderHistogram);
    }

    private static void Header(TextWriter o) =>
        o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {"",-40} {"p50",10} {"p99",10} {"p99.9",10} {"n",10}"));

    private static void Row(TextWriter o, string name, HdrHistogram.HistogramBase? h)
    {
        if (h is null || h.TotalCount == 0)
        {
            return;
        }

        o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {name,-40} {h.GetValueAtPercentile(50),10:N0} {h.GetValueAtPercentile(99),10:N0} {h.GetValueAtPercentile(99.9),10:N0} {h.TotalCount,10:N0}"));
    }

    public static void Write(RunResult r, string input, TextWriter o)
    {
        var c = CultureInfo.InvariantCulture;
        o.WriteLine(string.Create(c, $"UpbitHft replay of {input}"));
        o.WriteLine(string.Create(c, $"  messages {r.Messages:N0} (trade {r.Trades:N0}, orderbook {r.Orderbooks:N0}, ticker {r.Tickers:N0}, other {r.Other:N0}, rejected {r.Rejected:N0}) in {r.ElapsedSeconds:F2} s = {r.Messages / Math.Max(r.ElapsedSeconds, 1e-9):N0} msg/s"));
        o.WriteLine(string.Create(c, $"  orders {r.Orders}, closed trades {r.ClosedTrades.Count}, gen0 GCs {r.Gen0Collections}, engine-thread bytes/msg {r.AllocatedBytesPerMessage:F2}"));
        if (r.JournalWriteFailures > 0 || r.OrdersRefused > 0)
        {
            o.WriteLine(string.Create(c, $"  WARNING: journal write failures {r.JournalWriteFailures} (last: {r.JournalLastError ?? "none"}; every record was retried until written), orders refused by a full gateway queue {r.OrdersRefused}"));
        }

        o.WriteLine();
        o.WriteLine("  market        entry           exit            volume          exit          P&L KRW (after fees)");
        foreach (var t in r.ClosedTrades)
        {
            o.WriteLine(string.Create(c, $"  {t.Market,-12}  {t.EntryPrice,-14:N2}  {t.ExitPrice,-14:N2}  {t.Volume,-14:0.########}  {t.ExitReason,-12}  {t.PnlKrw,12:+#,0.##;-#,0.##;0}"));
        }

        var wins = r.ClosedTrades.Count(t => t.PnlKrw > 0);
        o.WriteLine();
        o.WriteLine(string.Create(c, $"  P&L {r.PnlKrw:+#,0.##;-#,0.##;0} KRW after fees; wins {wins}/{r.ClosedTrades.Count}; take-profits {r.ClosedTrades.Count(t => t.ExitReason == "take_profit")}, stop-losses {r.ClosedTrades.Count(t => t.ExitReason == "stop_loss")}, other exits {r.ClosedTrades.Count(t => t.ExitReason is not ("take_profit" or "stop_loss"))}"));
        Speed(r, o);
    }
}
