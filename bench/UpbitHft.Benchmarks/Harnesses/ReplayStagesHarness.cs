using System.Globalization;
using System.Text;
using UpbitHft.Engine.Runtime;
using UpbitHft.Feed.Events;
using UpbitHft.Feed.Markets;
using UpbitHft.Feed.Parsing;
using UpbitHft.Feed.Replay;

namespace UpbitHft.Benchmarks.Harnesses;

/// <summary>
/// Where a replayed frame's time goes on the reader thread, stage by stage, single-threaded over the same file: reading
/// the frames (JSONL decoding or recording records), reading + parsing into a ring-sized slot, and the clock read the
/// pipeline stamps frames with. Each stage is timed over the whole file after two warm-up passes; the difference
/// between stages is the stage's own cost.
/// Run: <c>dotnet run -c Release --project bench/UpbitHft.Benchmarks -- replay-stages FILE [passes]</c>.
/// </summary>
public static class ReplayStagesHarness
{
    public static string Run(string path, int passes)
    {
        var sb = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        var frames = 0L;
        double Time(Func<long> pass)
        {
            pass();
            pass();
            var best = double.MaxValue;
            for (var i = 0; i < passes; i++)
            {
                var t0 = LatencyClock.NowNs();
                frames = pass();
                best = Math.Min(best, (LatencyClock.NowNs() - t0) / (double)frames);
            }

            return best;
        }

        var read = Time(() =>
        {
            using var source = RecordingFrameSource.Open(path);
            long n = 0, bytes = 0;
            while (source.TryReadNext(out var frame, out _))
            {
                n++;
                bytes += frame.Length;
            }

            return n;
        });
        var readFrames = frames;
        var markets = new MarketTable(EnginePipeline.MarketCapacity);
        var parser = new UpbitMessageParser(markets, new UpbitParserOptions { AddUnknownMarkets = true });
        var slotCount = int.Parse(Environment.GetEnvironmentVariable("STAGES_SLOTS") ?? "4096", System.Globalization.CultureInfo.InvariantCulture);
        var slots = new MarketEvent[slotCount];
        var parse = Time(() =>
        {
            using var source = RecordingFrameSource.Open(path);
            long n = 0;
            while (source.TryReadNext(out var frame, out _))
            {
                parser.Parse(frame, 0, ref slots[n++ & (slotCount - 1)]);
            }

            return n;
        });
        var clock = Time(() =>
        {
            long sum = 0;
            for (var i = 0; i < 1_000_000; i++)
            {
                sum += LatencyClock.NowNs() & 1;
            }

            return 1_000_000 + (sum & 0);
        });

        sb.AppendLine(string.Create(c, $"- input: `{path}`, {readFrames:N0} frames; best of {passes} passes after 2 warm-up passes, one thread"));
        sb.AppendLine();
        sb.AppendLine("| stage | ns/frame | frames/s alone |");
        sb.AppendLine("|---|---:|---:|");
        sb.AppendLine(string.Create(c, $"| read (decode the file into frames) | {read:F0} | {1e9 / read:N0} |"));
        sb.AppendLine(string.Create(c, $"| parse (read + parse − read) | {parse - read:F0} | {1e9 / (parse - read):N0} |"));
        sb.AppendLine(string.Create(c, $"| read + parse | {parse:F0} | {1e9 / parse:N0} |"));
        sb.AppendLine(string.Create(c, $"| one latency-clock read | {clock:F1} | |"));
        return sb.ToString();
    }
}
