using System.Text;
using UpbitHft.Feed.Replay;
using UpbitHft.TestSupport;

namespace UpbitHft.Feed.Tests.Replay;

public class CaptureReaderTests
{
    private static readonly string s_dir = Path.Combine(AppContext.BaseDirectory, "TestData", "Samples");

    [Fact]
    public void Reads_every_frame_of_a_real_capture_byte_for_byte()
    {
        var expected = SampleFrames.Load(s_dir, "upbit-simple-2021-04-17.jsonl");
        var reader = new CaptureReader(Path.Combine(s_dir, "upbit-simple-2021-04-17.jsonl"));
        var i = 0;
        while (reader.TryReadNext(out var frame, out var ts))
        {
            Assert.Equal(expected[i].Bytes, frame.ToArray());
            Assert.Equal(expected[i].ReceiveTs!.Value, ts);
            i++;
        }

        Assert.Equal(449, i);
        Assert.Equal(0, reader.MalformedLines);
    }

    [Fact]
    public void Malformed_lines_are_counted_and_skipped()
    {
        var text = "{\"recv_ts\": 1.5, \"frame\": \"{\\\"status\\\":\\\"UP\\\"}\"}\n"
            + "garbage\n"
            + "\n"
            + "{\"recv_ts\": 2.0}\n"
            + "{\"frame\": \"x\"}\n"
            + "{\"recv_ts\": \"soon\", \"frame\": \"x\"}\n"
            + "{\"recv_ts\": 3.0, \"frame\": \"tab\\tand \\u00e9\", \"extra\": [1, {\"a\": 2}]}\r\n"
            + "{\"recv_ts\": 4.0, \"frame\": \"unterminated";
        var reader = new CaptureReader(Encoding.UTF8.GetBytes(text));
        Assert.True(reader.TryReadNext(out var first, out var ts1));
        Assert.Equal("{\"status\":\"UP\"}", Encoding.UTF8.GetString(first));
        Assert.Equal(1.5, ts1);
        Assert.True(reader.TryReadNext(out var second, out var ts2));
        Assert.Equal("tab\tand é", Encoding.UTF8.GetString(second));
        Assert.Equal(3.0, ts2);
        Assert.False(reader.TryReadNext(out _, out _));
        Assert.Equal(5, reader.MalformedLines);
        Assert.Equal(7, reader.Lines);
    }
}
