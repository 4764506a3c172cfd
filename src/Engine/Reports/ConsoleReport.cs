using System.Globalization;
using UpbitHft.Engine.Runtime;

namespace UpbitHft.Engine.Reports;

/// <summary>The final summary table printed at the end of a run.</summary>
public static class ConsoleReport
{
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
        o.WriteLine(string.Create(c, $"  tick-to-decision ns: p50 {r.TickToDecision.P50:N0}  p99 {r.TickToDecision.P99:N0}  p99.9 {r.TickToDecision.P999:N0}  max {r.TickToDecision.Max:N0}  (n={r.TickToDecision.Count:N0})"));
        o.WriteLine(string.Create(c, $"  tick-to-order    ns: p50 {r.TickToOrder.P50:N0}  p99 {r.TickToOrder.P99:N0}  p99.9 {r.TickToOrder.P999:N0}  max {r.TickToOrder.Max:N0}  (n={r.TickToOrder.Count:N0})"));
        o.WriteLine("  (receive = when the frame was handed to the parser; at max speed the stamps include waiting in the ring —");
        o.WriteLine("   use --rate N for latency at a fixed input rate, with coordinated-omission correction)");
    }
}
