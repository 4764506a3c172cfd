using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using UpbitHft.Engine.Ring;
using UpbitHft.Feed.Connection;
using UpbitHft.Feed.Events;
using UpbitHft.Feed.Markets;
using UpbitHft.Feed.Parsing;
using UpbitHft.Feed.Recording;
using UpbitHft.Feed.Replay;
using UpbitHft.Feed.Subscriptions;
using UpbitHft.TestSupport.FakeUpbit.WebSocket;

namespace UpbitHft.Benchmarks.Harnesses;

/// <summary>
/// Frames per second and ns per frame from bytes to a published ring slot (parsed), two ways: over a loopback
/// WebSocket from the fake Upbit server (Kestrel in the same process), and from a recording file. Allocations:
/// per thread where the path runs on one thread (recording), whole process otherwise (loopback: the in-process
/// server's allocations are included, so it is an upper bound for the client).
/// Run: <c>dotnet run -c Release --project bench/UpbitHft.Benchmarks -- feed [frames]</c>.
/// </summary>
public static class FeedHarness
{
    public static string Run(int frameCount)
    {
        var started = DateTimeOffset.UtcNow;
        var frames = LoadFrames(frameCount);
        var recording = Path.Combine(Path.GetTempPath(), "upbithft-feed-bench.rec");
        WriteRecording(recording, frames);
        var sb = new StringBuilder();
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"frames: {frames.Count:N0} real-format SIMPLE frames (bundled sample session), {frames.Sum(f => f.Length) / frames.Count:N0} bytes on average"));
        sb.AppendLine();
        sb.AppendLine("| path | frames/s | ns/frame | allocated bytes/frame | what was measured |");
        sb.AppendLine("|---|---:|---:|---:|---|");
        for (var pass = 0; pass < 20; pass++)
        {
            FromRecording(recording, frames.Count, new StringBuilder()); // warm-up: let tiered JIT reach optimized code
        }

        OverLoopback(frames, new StringBuilder()).GetAwaiter().GetResult();
        sb.Clear().AppendLine(Provenance.Line(started))
            .AppendLine(string.Create(CultureInfo.InvariantCulture, $"- frames: {frames.Count:N0} SIMPLE frames from the bundled sample session, {frames.Sum(f => f.Length) / frames.Count:N0} bytes on average"))
            .AppendLine().AppendLine("| path | frames/s | ns/frame | allocated bytes/frame | what was measured |").AppendLine("|---|---:|---:|---:|---|");
        FromRecording(recording, frames.Count, sb);
        OverLoopback(frames, sb).GetAwaiter().GetResult();
        File.Delete(recording);
        return sb.ToString();
    }

    private static List<byte[]> LoadFrames(int n)
    {
        var reader = new CaptureReader(Path.Combine(AppContext.BaseDirectory, "data", "sample-session.jsonl"));
        var list = new List<byte[]>(n);
        while (list.Count < n && reader.TryReadNext(out var frame, out _))
        {
            list.Add(frame.ToArray());
        }

        return list;
    }

    private static void WriteRecording(string path, List<byte[]> frames)
    {
        var writer = new RecordingWriter(path, DateTimeOffset.UtcNow, frames.Count + 1);
        foreach (var f in frames)
        {
            writer.TryAppend(new ReadOnlySequence<byte>(f), 1, FeedSource.Public);
        }

        writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    private static void FromRecording(string path, int expected, StringBuilder sb)
    {
        var ring = RingBuffer<MarketEvent>.CreateSingleProducer(65_536, new YieldingWaitStrategy());
        var consumer = new Sequence(long.MaxValue / 2); // no consumer: the ring never fills at this count
        ring.AddGatingSequences(consumer);
        consumer.SetValue(long.MaxValue / 2);
        var parser = new UpbitMessageParser(new MarketTable());
        using var source = new RecordingFrameSource(path);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var sw = Stopwatch.StartNew();
        var n = 0;
        while (source.TryReadNext(out var frame, out _))
        {
            using var claim = ring.Claim();
            parser.Parse(frame, 0, ref claim.Event);
            n++;
        }

        sw.Stop();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        if (n != expected || parser.Rejected != 0)
        {
            throw new InvalidOperationException($"read {n} frames, {parser.Rejected} rejected");
        }

        sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"| recording file → parse → ring slot | {n / sw.Elapsed.TotalSeconds:N0} | {sw.Elapsed.TotalNanoseconds / n:N0} | {(double)allocated / n:F2} | one thread: file read (buffered), CRC check, parse, claim/publish |"));
    }

    private static async Task OverLoopback(List<byte[]> frames, StringBuilder sb)
    {
        await using var server = await FakeUpbitWebSocketServer.StartAsync(frames);
        var sink = new Counter { Expected = frames.Count, Done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        var ring = RingBuffer<MarketEvent>.CreateSingleProducer(65_536, new YieldingWaitStrategy());
        var gate = new Sequence(long.MaxValue / 2);
        ring.AddGatingSequences(gate);
        gate.SetValue(long.MaxValue / 2);
        sink.Ring = ring;
        sink.Parser = new UpbitMessageParser(new MarketTable());
        var feed = new UpbitFeed<RingHandler>(new FeedOptions { Url = server.Url, JitterSeed = 1 }, SubscriptionRequest.Public("bench", ["KRW-BTC"]), new RingHandler(sink), log: _ => { });
        using var stop = new CancellationTokenSource();
        GC.Collect();
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var sw = Stopwatch.StartNew();
        var run = feed.RunAsync(stop.Token);
        await sink.Done.Task.WaitAsync(TimeSpan.FromSeconds(120));
        sw.Stop();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        await stop.CancelAsync();
        await run;
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"| loopback WebSocket (Kestrel server in-process) → pipe → parse → ring slot | {frames.Count / sw.Elapsed.TotalSeconds:N0} | {sw.Elapsed.TotalNanoseconds / frames.Count:N0} | {(double)allocated / frames.Count:F1} | whole process incl. the server and connection set-up: an upper bound for the client |"));
    }

    private sealed class Counter
    {
        public int Expected;
        public int Seen;
        public required TaskCompletionSource Done;
        public RingBuffer<MarketEvent> Ring = null!;
        public UpbitMessageParser Parser = null!;
    }

    private readonly struct RingHandler(Counter counter) : IFrameHandler
    {
        public void OnFrame(in ReadOnlySequence<byte> frame, long receiveTimestampNs, FeedSource source)
        {
            using (var claim = counter.Ring.Claim())
            {
                counter.Parser.Parse(frame, receiveTimestampNs, ref claim.Event);
            }

            if (++counter.Seen == counter.Expected)
            {
                counter.Done.TrySetResult();
            }
        }

        public void OnFeedStatus(FeedSource source, FeedStatus status, string reason)
        {
        }
    }
}
