using System.Globalization;
using System.IO.Pipes;
using System.Text;
using HdrHistogram;
using UpbitHft.Benchmarks.Harnesses.Loopback;
using UpbitHft.Feed.Events;

namespace UpbitHft.Benchmarks.Harnesses;

/// <summary>
/// What one thread waking another costs on this machine, by what the machine did before: a one-byte round trip
/// through two OS pipes to an echo thread blocked in <c>read</c> (each way is a wake-up), after a pause of
/// <c>gap</c> that the requesting thread spends asleep, or spinning, or spinning while a third thread keeps the other
/// CPU busy yielding. A trading engine waits for rare events in exactly these ways, and on a virtual machine a CPU
/// that went idle is woken by the host, not by the guest's scheduler. Each round trip is timed alone; no
/// coordinated-omission correction is needed (one at a time, nothing queues).
/// Run: <c>dotnet run -c Release --project bench/UpbitHft.Benchmarks -- wake-floor [gapMs] [roundTrips]</c>.
/// </summary>
public static class WakeFloorHarness
{
    private enum Pause
    {
        None,
        Sleep,
        Spin,
        SpinWithOtherCpuBusy,
    }

    public static string Run(int gapMs, int roundTrips)
    {
        var started = DateTimeOffset.UtcNow;
        var rows = new List<(string Name, LongHistogram Histogram)>
        {
            ("back to back (no pause)", Measure(Pause.None, 0, roundTrips * 10)),
            ($"after {gapMs} ms asleep", Measure(Pause.Sleep, gapMs, roundTrips)),
            ($"after {gapMs} ms spinning", Measure(Pause.Spin, gapMs, roundTrips)),
            ($"after {gapMs} ms spinning, a third thread yielding in a loop", Measure(Pause.SpinWithOtherCpuBusy, gapMs, roundTrips)),
        };

        var sb = new StringBuilder();
        sb.AppendLine(Provenance.Line(started)).AppendLine();
        sb.AppendLine("| wake-up round trip (pipe, blocked echo thread) | count | p50 µs | p90 µs | p99 µs | max µs |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (var (name, h) in rows)
        {
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {h.TotalCount:N0} | {Harness.UsText(h, 50)} | {Harness.UsText(h, 90)} | {Harness.UsText(h, 99)} | {h.GetMaxValue() / 1000.0:F1} |"));
        }

        return sb.ToString();
    }

    private static LongHistogram Measure(Pause pause, int gapMs, int roundTrips)
    {
        var h = Harness.NewHistogram();
        using var toEcho = new AnonymousPipeServerStream(PipeDirection.Out);
        using var echoIn = new AnonymousPipeClientStream(PipeDirection.In, toEcho.ClientSafePipeHandle);
        using var fromEcho = new AnonymousPipeServerStream(PipeDirection.In);
        using var echoOut = new AnonymousPipeClientStream(PipeDirection.Out, fromEcho.ClientSafePipeHandle);
        var echo = new Thread(() =>
        {
            var b = new byte[1];
            while (echoIn.Read(b, 0, 1) == 1 && b[0] != 0)
            {
                echoOut.Write(b, 0, 1); // blocking pipe I/O: every read that waits is a sleep, every write a wake-up
            }
        }) { IsBackground = true, Name = "wake-floor-echo" };
        echo.Start();
        var stop = false;
        Thread? busy = null;
        if (pause == Pause.SpinWithOtherCpuBusy)
        {
            busy = new Thread(() =>
            {
                while (!Volatile.Read(ref stop))
                {
                    Thread.Yield();
                }
            }) { IsBackground = true, Name = "wake-floor-busy" };
            busy.Start();
        }

        var one = new byte[] { 1 };
        var back = new byte[1];
        var gapNs = gapMs * 1_000_000L;
        for (var i = 0; i < roundTrips + 10; i++)
        {
            switch (pause)
            {
                case Pause.Sleep:
                    Thread.Sleep(gapMs);
                    break;
                case Pause.Spin or Pause.SpinWithOtherCpuBusy:
                    var until = LatencyClock.NowNs() + gapNs;
                    while (LatencyClock.NowNs() < until)
                    {
                        Thread.SpinWait(10);
                    }

                    break;
            }

            var start = LatencyClock.NowNs();
            toEcho.Write(one, 0, 1);
            fromEcho.ReadExactly(back, 0, 1);
            if (i >= 10)
            {
                h.RecordValue(LatencyClock.NowNs() - start); // the first 10 warm the path
            }
        }

        Volatile.Write(ref stop, true);
        toEcho.Write([0], 0, 1);
        echo.Join();
        busy?.Join();
        return h;
    }
}
