using System.Buffers;
using System.Runtime.InteropServices;
using UpbitHft.Feed.Connection;
using UpbitHft.Feed.Events;
using UpbitHft.Feed.Markets;
using UpbitHft.Feed.Parsing;
using UpbitHft.Feed.Recording;
using UpbitHft.Feed.Subscriptions;
using UpbitHft.Feed.Tests.Connection;
using UpbitHft.TestSupport;
using UpbitHft.TestSupport.FakeUpbit.WebSocket;

namespace UpbitHft.Feed.Tests.Recording;

public sealed class RecordingTests : IDisposable
{
    private static readonly string s_dir = Path.Combine(AppContext.BaseDirectory, "TestData", "Samples");
    private readonly string _path = Path.Combine(Path.GetTempPath(), "upbithft-rec-" + Guid.NewGuid().ToString("N") + ".rec");

    public void Dispose() => File.Delete(_path);

    private static List<byte[]> Frames(int n) => [.. SampleFrames.Load(s_dir, "upbit-simple-2021-04-05.jsonl").Take(n).Select(f => f.Bytes)];

    [Fact]
    public async Task Round_trip_is_byte_exact_with_times_and_sources()
    {
        var frames = Frames(500);
        await using (var writer = new RecordingWriter(_path, DateTimeOffset.FromUnixTimeMilliseconds(1_617_646_620_000)))
        {
            for (var i = 0; i < frames.Count; i++)
            {
                Assert.True(writer.TryAppend(new ReadOnlySequence<byte>(frames[i]), 1_000 + i, i % 7 == 0 ? FeedSource.Private : FeedSource.Public));
            }
        }

        using var reader = new RecordingReader(_path);
        Assert.Equal(1_617_646_620_000, reader.Start.ToUnixTimeMilliseconds());
        var i2 = 0;
        while (reader.TryReadNext(out var frame, out var ns, out var source))
        {
            Assert.Equal(frames[i2], frame.ToArray());
            Assert.Equal(1_000 + i2, ns);
            Assert.Equal(i2 % 7 == 0 ? FeedSource.Private : FeedSource.Public, source);
            i2++;
        }

        Assert.Equal(500, i2);
        Assert.False(reader.TornTail);
        Assert.True(RecordingReader.IsRecording(_path));
    }

    [Fact]
    public async Task Records_across_the_readers_blocks_and_longer_than_a_block_are_read_whole()
    {
        // ~1.5 MB of records of varying length, many crossing a block boundary, and a few longer than a block.
        var random = new Random(11);
        var frames = new List<byte[]>();
        for (var total = 0; total < 1_500_000;)
        {
            var frame = new byte[frames.Count % 97 == 5 ? RecordingReader.BlockBytes + random.Next(1, 3 * RecordingReader.BlockBytes) : random.Next(1, 3000)];
            random.NextBytes(frame);
            frames.Add(frame);
            total += frame.Length;
        }

        await using (var writer = new RecordingWriter(_path, DateTimeOffset.UnixEpoch))
        {
            for (var i = 0; i < frames.Count; i++)
            {
                Assert.True(writer.TryAppend(new ReadOnlySequence<byte>(frames[i]), i, FeedSource.Public));
            }
        }

        using var reader = new RecordingReader(_path);
        var k = 0;
        while (reader.TryReadNext(out var frame, out var ns, out _))
        {
            Assert.True(frames[k].AsSpan().SequenceEqual(frame), $"record {k}");
            Assert.Equal(k, ns);
            k++;
        }

        Assert.Equal(frames.Count, k);
        Assert.False(reader.TornTail);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(20)]
    public async Task A_torn_or_corrupt_last_record_is_ignored_and_reported(int cut)
    {
        var frames = Frames(10);
        await using (var writer = new RecordingWriter(_path, DateTimeOffset.UnixEpoch))
        {
            foreach (var f in frames)
            {
                writer.TryAppend(new ReadOnlySequence<byte>(f), 1, FeedSource.Public);
            }
        }

        var bytes = File.ReadAllBytes(_path);
        File.WriteAllBytes(_path, bytes[..^cut]); // a crash in the middle of the last record
        using (var reader = new RecordingReader(_path))
        {
            var n = 0;
            while (reader.TryReadNext(out _, out _, out _))
            {
                n++;
            }

            Assert.Equal(9, n);
            Assert.True(reader.TornTail);
        }

        bytes[^3] ^= 0xFF; // a flipped byte inside the last frame's CRC
        File.WriteAllBytes(_path, bytes);
        using var corrupt = new RecordingReader(_path);
        var m = 0;
        while (corrupt.TryReadNext(out _, out _, out _))
        {
            m++;
        }

        Assert.Equal(9, m);
        Assert.True(corrupt.TornTail);
    }

    [Fact]
    public async Task A_writer_that_falls_behind_counts_every_frame_it_drops()
    {
        // A queue of one slot behind a disk writer: appends outrun it, so some frames are dropped — and every one of
        // them is counted (a DropWrite channel once reported them as queued and lost them silently).
        var frame = new System.Buffers.ReadOnlySequence<byte>(new byte[512]);
        long accepted = 0;
        await using (var writer = new RecordingWriter(_path, DateTimeOffset.UnixEpoch, queueCapacity: 1))
        {
            for (var i = 0; i < 20_000; i++)
            {
                accepted += writer.TryAppend(frame, i, UpbitHft.Feed.Connection.FeedSource.Public) ? 1 : 0;
            }

            await writer.DisposeAsync();
            Assert.True(writer.Dropped > 0, "the writer never fell behind; the test proves nothing");
            Assert.Equal(accepted, writer.Written);
            Assert.Equal(20_000, writer.Written + writer.Dropped);
        }
    }

    [Fact]
    public async Task The_file_is_readable_while_it_is_being_written()
    {
        await using var writer = new RecordingWriter(_path, DateTimeOffset.UnixEpoch);
        foreach (var f in Frames(50))
        {
            writer.TryAppend(new ReadOnlySequence<byte>(f), 1, FeedSource.Public);
        }

        await Eventually.TrueAsync(() => writer.Written >= 50, TimeSpan.FromSeconds(5), "the writer flushing 50 records", () => $"written {writer.Written}");

        using var reader = new RecordingReader(_path);
        var n = 0;
        while (reader.TryReadNext(out _, out _, out _))
        {
            n++;
        }

        Assert.Equal(50, n);
    }

    [Fact]
    public void Not_a_recording_is_refused_clearly()
    {
        File.WriteAllText(_path, "{\"recv_ts\": 1, \"frame\": \"x\"}\n");
        Assert.False(RecordingReader.IsRecording(_path));
        Assert.Throws<InvalidDataException>(() => new RecordingReader(_path));
    }

    /// <summary>Records what the live feed delivered and parses it as it arrives; used to compare with a replay.</summary>
    private sealed class LiveCapture(RecordingWriter writer)
    {
        public RecordingWriter Writer { get; } = writer;
        public UpbitMessageParser Parser { get; } = new(new MarketTable());
        public List<byte[]> Events { get; } = [];
    }

    private struct RecordingParsingHandler(LiveCapture capture) : IFrameHandler
    {
        public readonly void OnFrame(in ReadOnlySequence<byte> frame, long receiveTimestampNs, FeedSource source)
        {
            capture.Writer.TryAppend(frame, receiveTimestampNs, source);
            var ev = default(MarketEvent);
            capture.Parser.Parse(frame, receiveTimestampNs, ref ev);
            capture.Events.Add(MemoryMarshal.AsBytes(MemoryMarshal.CreateSpan(ref ev, 1)).ToArray());
        }

        public readonly void OnFeedStatus(FeedSource source, FeedStatus status, string reason)
        {
        }
    }

    [Fact]
    public async Task Replaying_a_live_recording_yields_the_same_events_as_the_live_run()
    {
        var frames = Frames(300);
        await using var server = await FakeUpbitWebSocketServer.StartAsync(frames);
        server.SplitFramesAt = 100;
        var capture = new LiveCapture(new RecordingWriter(_path, DateTimeOffset.UtcNow));
        var feed = new UpbitFeed<RecordingParsingHandler>(new FeedOptions { Url = server.Url, JitterSeed = 1 }, SubscriptionRequest.Public("t", ["KRW-IQ"]), new RecordingParsingHandler(capture), log: _ => { });
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var run = feed.RunAsync(stop.Token);
        await Eventually.TrueAsync(() => capture.Events.Count >= frames.Count, TimeSpan.FromSeconds(10), "every live frame parsed and recorded", () => $"events {capture.Events.Count} of {frames.Count}");

        await stop.CancelAsync();
        await run;
        await capture.Writer.DisposeAsync();
        Assert.Equal(frames.Count, capture.Events.Count);

        var replayParser = new UpbitMessageParser(new MarketTable());
        using var reader = new RecordingReader(_path);
        var i = 0;
        while (reader.TryReadNext(out var frame, out var ns, out _))
        {
            var ev = default(MarketEvent);
            replayParser.Parse(frame, ns, ref ev);
            Assert.Equal(capture.Events[i], MemoryMarshal.AsBytes(MemoryMarshal.CreateSpan(ref ev, 1)).ToArray());
            i++;
        }

        Assert.Equal(frames.Count, i);
    }
}
