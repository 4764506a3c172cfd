using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading.Channels;
using HdrHistogram;
using UpbitHft.Benchmarks.Ring;
using UpbitHft.Engine.Ring;

namespace UpbitHft.Benchmarks.Harnesses;

/// <summary>
/// Ping-pong round trips across two threads, recorded in HdrHistogram: the ring with each wait strategy (the echo
/// side is a <see cref="BatchEventProcessor{T, THandler}"/> publishing into a second ring), Channel&lt;T&gt; in both
/// directions, and the machine's floor — two threads bouncing one padded long.
/// Run: <c>dotnet run -c Release --project bench/UpbitHft.Benchmarks -- ring-latency [roundTrips]</c>.
/// </summary>
public static class RingLatencyHarness
{
    public static string Run(int roundTrips)
    {
        var started = DateTimeOffset.UtcNow;
        var rows = new List<(string Name, LongHistogram Histogram)>
        {
            ("bare cache-line ping-pong (floor)", CacheLine(roundTrips)),
        };
        foreach (var kind in new[] { WaitStrategyKind.BusySpin, WaitStrategyKind.Yielding, WaitStrategyKind.Sleeping, WaitStrategyKind.Blocking })
        {
            rows.Add(($"ring, {kind}", RingPingPong(kind, roundTrips)));
        }

        rows.Add(("Channel<T> (unbounded, single reader/writer)", ChannelPingPong(roundTrips)));

        var sb = new StringBuilder();
        sb.AppendLine(Provenance.Line(started)).AppendLine();
        sb.AppendLine("| round trip | p50 µs | p90 µs | p99 µs | p99.9 µs | max µs | count |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var (name, h) in rows)
        {
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {Us(h, 50)} | {Us(h, 90)} | {Us(h, 99)} | {Us(h, 99.9)} | {h.GetMaxValue() / 1000.0:F2} | {h.TotalCount} |"));
        }

        return sb.ToString();
    }

    private static string Us(LongHistogram h, double percentile) =>
        (h.GetValueAtPercentile(percentile) / 1000.0).ToString("F2", CultureInfo.InvariantCulture);

    private static LongHistogram NewHistogram() => new(TimeSpan.TicksPerSecond * 10, 3);

    private static long ElapsedNs(long start) => (long)((Stopwatch.GetTimestamp() - start) * (1e9 / Stopwatch.Frequency));

    internal static LongHistogram CacheLine(int n)
    {
        var cells = new Cells();
        var h = NewHistogram();
        var echo = new Thread(() =>
        {
            for (long i = 1; i <= n + 1000; i++)
            {
                while (Volatile.Read(ref cells.Ping.Value) != i)
                {
                    Thread.SpinWait(1);
                }

                Volatile.Write(ref cells.Pong.Value, i);
            }
        }) { IsBackground = true };
        echo.Start();
        for (long i = 1; i <= n + 1000; i++)
        {
            var t0 = Stopwatch.GetTimestamp();
            Volatile.Write(ref cells.Ping.Value, i);
            while (Volatile.Read(ref cells.Pong.Value) != i)
            {
                Thread.SpinWait(1);
            }

            if (i > 1000)
            {
                h.RecordValue(ElapsedNs(t0));
            }
        }

        echo.Join();
        return h;
    }

    private static LongHistogram RingPingPong(WaitStrategyKind kind, int n)
    {
        var ping = RingBuffer<BenchEvent>.CreateSingleProducer(1024, WaitStrategies.Create(kind));
        var pong = RingBuffer<BenchEvent>.CreateSingleProducer(1024, WaitStrategies.Create(kind));
        var echo = new BatchEventProcessor<BenchEvent, EchoHandler>(ping, ping.NewBarrier(), new EchoHandler { Pong = pong }, "echo");
        ping.AddGatingSequences(echo.Sequence);
        var mine = new Sequence();
        pong.AddGatingSequences(mine);
        var barrier = pong.NewBarrier();
        echo.Start();
        var h = NewHistogram();
        for (long i = 0; i < n + 1000; i++)
        {
            var t0 = Stopwatch.GetTimestamp();
            using (var claim = ping.Claim())
            {
                claim.Event.Value = i;
            }

            barrier.WaitFor(i);
            mine.SetValue(i);
            if (i >= 1000)
            {
                h.RecordValue(ElapsedNs(t0));
            }
        }

        echo.Halt();
        return h;
    }

    private static LongHistogram ChannelPingPong(int n)
    {
        var ping = Channel.CreateUnbounded<BenchEvent>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var pong = Channel.CreateUnbounded<BenchEvent>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var echo = new Thread(() =>
        {
            for (var i = 0; i < n + 1000; i++)
            {
                BenchEvent ev;
                while (!ping.Reader.TryRead(out ev))
                {
                    ping.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult();
                }

                pong.Writer.TryWrite(ev);
            }
        }) { IsBackground = true };
        echo.Start();
        var h = NewHistogram();
        for (var i = 0; i < n + 1000; i++)
        {
            var t0 = Stopwatch.GetTimestamp();
            ping.Writer.TryWrite(new BenchEvent { Value = i });
            while (!pong.Reader.TryRead(out _))
            {
                pong.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult();
            }

            if (i >= 1000)
            {
                h.RecordValue(ElapsedNs(t0));
            }
        }

        echo.Join();
        return h;
    }

    private struct EchoHandler : IEventHandler<BenchEvent>
    {
        public RingBuffer<BenchEvent> Pong;

        public readonly void OnEvent(ref BenchEvent ev, long sequence, bool endOfBatch)
        {
            using var claim = Pong.Claim();
            claim.Event.Value = ev.Value;
        }

        public readonly void OnStart()
        {
        }

        public readonly void OnShutdown()
        {
        }
    }

    private sealed class Cells
    {
        public Padded Ping;
        public Padded Pong;
    }

    [StructLayout(LayoutKind.Explicit, Size = 128)]
    private struct Padded
    {
        [FieldOffset(64)]
        public long Value;
    }
}
