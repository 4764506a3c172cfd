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

    [Fact]
    public void A_frame_is_decoded_into_the_callers_buffer_when_its_line_fits_and_comes_out_the_same()
    {
        var expected = SampleFrames.Load(s_dir, "upbit-simple-2021-04-17.jsonl");
        var reader = new CaptureReader(Path.Combine(s_dir, "upbit-simple-2021-04-17.jsonl"));
        var destination = new byte[64 * 1024];
        var i = 0;
        while (reader.TryReadNext(destination, out var frame, out var ts))
        {
            Assert.True(System.Runtime.CompilerServices.Unsafe.AreSame(
                ref System.Runtime.InteropServices.MemoryMarshal.GetReference(frame), ref destination[0]));
            Assert.Equal(expected[i].Bytes, frame.ToArray());
            Assert.Equal(expected[i].ReceiveTs!.Value, ts);
            i++;
        }

        Assert.Equal(449, i);
    }

    [Fact]
    public void A_destination_shorter_than_the_line_or_a_line_of_unusual_shape_leaves_the_frame_in_the_readers_buffer()
    {
        var text = "{\"recv_ts\": 1.5, \"frame\": \"{\\\"status\\\":\\\"UP\\\"}\"}\n"
            + "{\"recv_ts\": 3.0, \"frame\": \"caf\\u00e9\"}\n"
            + "{\"recv_ts\": 4.0, \"frame\": \"{\\\"status\\\":\\\"DOWN\\\"}\"}\n";
        var reader = new CaptureReader(Encoding.UTF8.GetBytes(text));
        var small = new byte[16];
        var large = new byte[4096];
        Assert.True(reader.TryReadNext(small, out var first, out _));
        Assert.Equal("{\"status\":\"UP\"}", Encoding.UTF8.GetString(first));
        Assert.False(Overlaps(first, small));
        Assert.True(reader.TryReadNext(large, out var second, out _)); // a \u escape: the general reader decodes it
        Assert.Equal("café", Encoding.UTF8.GetString(second));
        Assert.False(Overlaps(second, large));
        Assert.True(reader.TryReadNext(large, out var third, out var ts));
        Assert.Equal("{\"status\":\"DOWN\"}", Encoding.UTF8.GetString(third));
        Assert.True(Overlaps(third, large));
        Assert.Equal(4.0, ts);
        Assert.Equal(0, reader.MalformedLines);
    }

    [Fact]
    public void An_object_is_a_frame_only_when_nothing_but_whitespace_follows_it_on_its_line()
    {
        // The reader decodes a line's object before it looks for the line's end: what follows the object decides.
        const string Up = "{\"recv_ts\": 1.5, \"frame\": \"{\\\"status\\\":\\\"UP\\\"}\"}";
        var text = Up + " x\n" // trailing garbage
            + Up + Up + "\n" // two objects on one line
            + "{\"recv_ts\": 2.5,\n \"frame\": \"x\"}\n" // an object broken over two lines: two malformed lines
            + Up.Replace("1.5", "3.5") + " \t\r\n" // whitespace, then the newline: a frame
            + Up.Replace("1.5", "4.5"); // the last line, without a newline: a frame
        var reader = new CaptureReader(Encoding.UTF8.GetBytes(text));
        Assert.True(reader.TryReadNext(out var first, out var ts1));
        Assert.Equal(("{\"status\":\"UP\"}", 3.5), (Encoding.UTF8.GetString(first), ts1));
        Assert.Equal(5, reader.LineNumber);
        Assert.True(reader.TryReadNext(out var second, out var ts2));
        Assert.Equal(("{\"status\":\"UP\"}", 4.5), (Encoding.UTF8.GetString(second), ts2));
        Assert.False(reader.TryReadNext(out _, out _));
        Assert.Equal(4, reader.MalformedLines);
        Assert.Equal(6, reader.Lines);
    }

    private static bool Overlaps(ReadOnlySpan<byte> frame, byte[] buffer) => buffer.AsSpan().Overlaps(frame);
}
