using Microsoft.Extensions.Time.Testing;
using UpbitHft.Engine.Modes;
using UpbitHft.Feed.Replay;

namespace UpbitHft.Engine.Tests.Modes;

/// <summary>The replay's progress line: frames, share read, rate and time left, rewritten in place as the fake clock moves.</summary>
public class ReplayProgressTests
{
    [Theory]
    [InlineData(250_000, 100_000_000, 400_000_000, 0.25, "replay: 250,000 frames, 25 % of 400 MB, 1,000,000 msg/s, 0:01 left")]
    [InlineData(10, 0, 400_000_000, 0.0, "replay: 10 frames, 0 % of 400 MB, 0 msg/s, ? left")]
    [InlineData(3_600_000, 1, 2, 1_800.0, "replay: 3,600,000 frames, 50 % of 0 MB, 2,000 msg/s, 30:00 left")]
    [InlineData(100, 1, 4, 3_600.0, "replay: 100 frames, 25 % of 0 MB, 0 msg/s, 3:00:00 left")]
    [InlineData(5_000, 70, 0, 2.0, "replay: 5,000 frames, 2,500 msg/s")]
    public void The_line_says_frames_share_rate_and_time_left(long frames, long read, long total, double seconds, string expected) =>
        Assert.Equal(expected, ReplayProgress.Format(frames, read, total, seconds));

    [Fact]
    public void The_line_is_rewritten_in_place_as_time_passes_and_ended_once()
    {
        var time = new FakeTimeProvider();
        var source = new Source { TotalBytes = 1_000 };
        long frames = 0;
        var output = new StringWriter();
        using (new ReplayProgress(output, source, () => frames, time))
        {
            Assert.Equal("", output.ToString()); // nothing before the first tick
            frames = 500;
            source.BytesRead = 500;
            time.Advance(TimeSpan.FromMilliseconds(500));
            frames = 1_000;
            source.BytesRead = 1_000;
            time.Advance(TimeSpan.FromMilliseconds(500));
        }

        var text = output.ToString();
        Assert.Equal(2, text.Count(ch => ch == '\r'));
        Assert.Contains("\rreplay: 500 frames, 50 % of 0 MB, 1,000 msg/s, 0:01 left", text, StringComparison.Ordinal);
        Assert.Contains("\rreplay: 1,000 frames, 100 % of 0 MB, 1,000 msg/s, 0:00 left", text, StringComparison.Ordinal);
        Assert.EndsWith(Environment.NewLine, text, StringComparison.Ordinal);
    }

    private sealed class Source : IFrameSource
    {
        public long BytesRead { get; set; }

        public long TotalBytes { get; set; }

        public long Unreadable => 0;

        public bool TryReadNext(out ReadOnlySpan<byte> frame, out double receiveUnixSeconds)
        {
            frame = default;
            receiveUnixSeconds = 0;
            return false;
        }

        public void Dispose()
        {
        }
    }
}
