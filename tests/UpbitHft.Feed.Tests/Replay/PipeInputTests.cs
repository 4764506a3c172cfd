using System.Buffers;
using UpbitHft.Feed.Connection;
using UpbitHft.Feed.Recording;
using UpbitHft.Feed.Replay;
using UpbitHft.TestSupport;

namespace UpbitHft.Feed.Tests.Replay;

/// <summary>
/// A replay's input may be a pipe (<c>upbithft replay /dev/stdin</c>): it is opened once, the bytes read to tell its
/// format are kept, and its size is unknown (0), so nothing reads ahead of the run.
/// </summary>
public sealed class PipeInputTests : IDisposable
{
    private static readonly string s_sample = Path.Combine(AppContext.BaseDirectory, "TestData", "Samples", "upbit-simple-2021-04-05.jsonl");
    private readonly string _dir = Directory.CreateTempSubdirectory("upbithft-pipe-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task A_capture_through_a_pipe_is_read_whole_with_no_size()
    {
        var content = await File.ReadAllBytesAsync(s_sample);
        var expected = Count(RecordingFrameSource.Open(s_sample), out var fileSize);
        Assert.True(expected > 100);
        Assert.Equal(content.Length, fileSize);

        using var fifo = Fifo.Create(Path.Combine(_dir, "capture.fifo"), content);
        var read = await ReadAsync(fifo);
        Assert.Equal((expected, 0L), read);
    }

    [Fact]
    public async Task A_recording_through_a_pipe_is_read_whole_with_no_size()
    {
        var recording = Path.Combine(_dir, "r.rec");
        var frames = SampleFrames.Load(Path.GetDirectoryName(s_sample)!, Path.GetFileName(s_sample)).Take(300).ToList();
        await using (var writer = new RecordingWriter(recording, DateTimeOffset.FromUnixTimeMilliseconds(1_617_646_620_000)))
        {
            for (var i = 0; i < frames.Count; i++)
            {
                Assert.True(writer.TryAppend(new ReadOnlySequence<byte>(frames[i].Bytes), 1_000 + i, FeedSource.Public));
            }
        }

        Assert.Equal(300, Count(RecordingFrameSource.Open(recording), out _));
        using var fifo = Fifo.Create(Path.Combine(_dir, "recording.fifo"), await File.ReadAllBytesAsync(recording));
        Assert.Equal((300, 0L), await ReadAsync(fifo));
    }

    private static async Task<(int Frames, long TotalBytes)> ReadAsync(Fifo fifo)
    {
        var reading = Task.Run(() => (Count(RecordingFrameSource.Open(fifo.Path), out var size), size));
        if (await Task.WhenAny(reading, Task.Delay(TimeSpan.FromSeconds(30))) != reading)
        {
            fifo.Release();
            Assert.Fail("reading the pipe did not finish: was it opened twice?");
        }

        var read = await reading; // a reader's own failure first: the writer then only sees the pipe closed
        Assert.True(await fifo.WrittenAsync(TimeSpan.FromSeconds(10)));
        return read;
    }

    private static int Count(IFrameSource source, out long totalBytes)
    {
        using (source)
        {
            totalBytes = source.TotalBytes;
            var n = 0;
            while (source.TryReadNext(out _, out _))
            {
                n++;
            }

            Assert.Equal(0, source.Unreadable);
            return n;
        }
    }
}
