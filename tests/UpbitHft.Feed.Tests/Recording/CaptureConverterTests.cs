using System.Text;
using System.Text.Json;
using UpbitHft.Feed.Connection;
using UpbitHft.Feed.Recording;
using UpbitHft.Feed.Replay;

namespace UpbitHft.Feed.Tests.Recording;

public sealed class CaptureConverterTests : IDisposable
{
    private static readonly string s_samples = Path.Combine(AppContext.BaseDirectory, "TestData", "Samples");
    private static readonly string s_escapes = Path.Combine(AppContext.BaseDirectory, "TestData", "Converter", "escapes.jsonl");
    private static readonly string s_session = Path.Combine(AppContext.BaseDirectory, "data", "sample-session.jsonl");
    private readonly string _dir = Directory.CreateTempSubdirectory("upbithft-convert-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>One JSONL line: the exact frame bytes and recv_ts as decimal text (null when absent).</summary>
    private sealed record Entry(byte[] Frame, decimal? ReceiveTs, string? Source);

    private static List<Entry> Entries(byte[] jsonl)
    {
        var result = new List<Entry>();
        foreach (var line in Encoding.UTF8.GetString(jsonl).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(line));
            byte[]? frame = null;
            decimal? ts = null;
            string? source = null;
            reader.Read();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                reader.Read();
                switch (name)
                {
                    case "frame":
                        frame = Encoding.UTF8.GetBytes(reader.GetString()!);
                        break;
                    case "recv_ts":
                        ts = reader.GetDecimal();
                        break;
                    case "source":
                        source = reader.GetString();
                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }

            result.Add(new Entry(frame!, ts, source));
        }

        return result;
    }

    private static (byte[] Recording, byte[] Jsonl) RoundTrip(byte[] jsonl)
    {
        using var recording = new MemoryStream();
        CaptureConverter.JsonlToRecording(new MemoryStream(jsonl), recording);
        var recorded = recording.ToArray();
        using var back = new MemoryStream();
        CaptureConverter.RecordingToJsonl(new MemoryStream(recorded), back);
        return (recorded, back.ToArray());
    }

    private static byte[] FirstLines(string path, int count) =>
        Encoding.UTF8.GetBytes(string.Concat(File.ReadLines(path).Take(count).Select(l => l + "\n")));

    [Fact]
    public void The_sample_sessions_first_2000_lines_come_back_byte_for_byte()
    {
        var jsonl = FirstLines(s_session, 2_000);
        var (recording, back) = RoundTrip(jsonl);
        Assert.Equal(jsonl, back);

        // The recording replays with the same receive times (the sample is stamped in whole milliseconds).
        var path = Path.Combine(_dir, "s.rec");
        File.WriteAllBytes(path, recording);
        using var source = new RecordingFrameSource(path);
        var entries = Entries(jsonl);
        var i = 0;
        while (source.TryReadNext(out var frame, out var seconds))
        {
            Assert.Equal(entries[i].Frame, frame.ToArray());
            Assert.Equal((double)entries[i].ReceiveTs!.Value, seconds, 6);
            i++;
        }

        Assert.Equal(2_000, i);
    }

    [Theory]
    [InlineData("upbit-simple-2021-04-05.jsonl")]
    [InlineData("upbit-simple-2021-04-17.jsonl")]
    [InlineData("upbit-docs-examples.jsonl")]
    [InlineData("upbit-default-frames.jsonl")]
    public void Real_captures_keep_every_frame_and_every_receive_time_relative_to_the_first(string file)
    {
        var jsonl = File.ReadAllBytes(Path.Combine(s_samples, file));
        var (recording, back) = RoundTrip(jsonl);
        var original = Entries(jsonl);
        var returned = Entries(back);
        Assert.Equal(original.Count, returned.Count);
        Assert.Equal(original.Select(e => e.Frame), returned.Select(e => e.Frame));

        var first = original[0].ReceiveTs ?? 0;
        var firstBack = returned[0].ReceiveTs!.Value;
        Assert.Equal(Math.Floor(first * 1000) / 1000, firstBack); // the start is whole milliseconds
        var previous = 0m;
        for (var i = 0; i < original.Count; i++)
        {
            var expected = original[i].ReceiveTs ?? previous; // no recv_ts: the previous frame's time
            previous = expected;
            Assert.Equal(expected - first, returned[i].ReceiveTs!.Value - firstBack);
        }

        // A second round trip changes nothing: the recordings and the JSONL are the same bytes.
        var (recording2, back2) = RoundTrip(back);
        Assert.Equal(recording, recording2);
        Assert.Equal(back, back2);
    }

    [Fact]
    public void Frames_with_escapes_unicode_and_controls_come_back_exactly_and_are_written_as_python_writes_them()
    {
        var jsonl = File.ReadAllBytes(s_escapes);
        var (recording, back) = RoundTrip(jsonl);
        var original = Entries(jsonl);
        var returned = Entries(back);
        Assert.Equal(original.Select(e => e.Frame), returned.Select(e => e.Frame));
        Assert.Contains(original, e => e.Frame.Length == 0);

        // The first frame is stamped in whole milliseconds, so every time comes back exactly (3, 6, 7 and 9 decimals).
        var previous = 0m;
        for (var i = 0; i < original.Count; i++)
        {
            previous = original[i].ReceiveTs ?? previous;
            Assert.Equal(previous, returned[i].ReceiveTs);
            Assert.Equal(original[i].Source, returned[i].Source);
        }

        // What the recording holds: the UTF-8 bytes of each frame, offsets in ns, the private line's source.
        using var reader = new RecordingReader(new MemoryStream(recording));
        Assert.Equal(1_793_577_600_152, reader.Start.ToUnixTimeMilliseconds());
        var n = 0;
        while (reader.TryReadNext(out var frame, out var ns, out var source))
        {
            Assert.Equal(original[n].Frame, frame.ToArray());
            Assert.Equal(original[n].Source == "private" ? FeedSource.Private : FeedSource.Public, source);
            if (original[n].ReceiveTs is { } ts)
            {
                Assert.Equal((ts - 1_793_577_600.152m) * 1_000_000_000m, ns);
            }

            n++;
        }

        Assert.Equal(original.Count, n);

        // Python's json.dumps spelling: \uXXXX for non-ASCII (surrogate pairs for astral characters), short escapes.
        var lines = Encoding.ASCII.GetString(back).Split('\n');
        Assert.Equal(File.ReadLines(s_escapes).First(), lines[0]);
        Assert.All(back, b => Assert.True(b < 0x80));
        Assert.Contains("\\\"message\\\":\\\"\\ud2f0\\ucf13\\uc774 ", lines[1], StringComparison.Ordinal);
        Assert.Contains("{\\\"emoji\\\":\\\"\\ud83d\\ude00 rocket \\ud83d\\ude80\\\",\\\"cafe\\\":\\\"caf\\u00e9\\\"", lines[3], StringComparison.Ordinal);
        Assert.Contains("\"frame\": \"raw controls: a\\tb\\nc\\rd\\u0001e\\u001bf\\u007fg\\bh\\fi\"", lines[5], StringComparison.Ordinal);
        Assert.Contains("\"recv_ts\": 1793577602.000123456,", lines[6], StringComparison.Ordinal);
        Assert.EndsWith(", \"source\": \"private\"}", lines[6], StringComparison.Ordinal);
        Assert.Contains("\"recv_ts\": 1793577600.152001,", lines[1], StringComparison.Ordinal);
        Assert.Contains("\"recv_ts\": 1793577601.500,", lines[3], StringComparison.Ordinal);
    }

    [Fact]
    public void A_line_that_is_not_a_capture_line_is_an_error_naming_the_line()
    {
        var jsonl = Encoding.UTF8.GetBytes("{\"recv_ts\": 1.5, \"frame\": \"{}\"}\n\n{\"recv_ts\": 2.5, \"frame\": 7}\n");
        var error = Assert.Throws<InvalidDataException>(() => CaptureConverter.JsonlToRecording(new MemoryStream(jsonl), new MemoryStream()));
        Assert.Contains("line 3", error.Message, StringComparison.Ordinal);

        foreach (var bad in new[] { "[1]", "{\"recv_ts\": 1.5}", "{\"recv_ts\": \"1.5\", \"frame\": \"x\"}", "{\"frame\": \"x\"} {}", "{\"frame\": \"\\ud800\"}" })
        {
            Assert.Throws<InvalidDataException>(() => CaptureConverter.JsonlToRecording(new MemoryStream(Encoding.UTF8.GetBytes(bad)), new MemoryStream()));
        }
    }

    [Fact]
    public void A_recorded_frame_that_is_not_utf8_cannot_become_jsonl()
    {
        using var recording = new MemoryStream();
        using (var writer = new RecordingFileWriter(recording, DateTimeOffset.UnixEpoch, leaveOpen: true))
        {
            writer.Append("{\"ok\":1}"u8, 0, FeedSource.Public);
            writer.Append([0x7B, 0xFF, 0x7D], 5, FeedSource.Public);
        }

        var error = Assert.Throws<InvalidDataException>(() => CaptureConverter.RecordingToJsonl(new MemoryStream(recording.ToArray()), new MemoryStream()));
        Assert.Contains("record 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Files_convert_in_the_direction_of_the_input()
    {
        var jsonl = Path.Combine(_dir, "a.jsonl");
        File.WriteAllBytes(jsonl, FirstLines(s_session, 300));
        var rec = Path.Combine(_dir, "a.rec");
        var back = Path.Combine(_dir, "b.jsonl");
        Assert.Equal(300, CaptureConverter.Convert(jsonl, rec).Frames);
        Assert.True(RecordingReader.IsRecording(rec));
        Assert.Equal(300, CaptureConverter.Convert(rec, back).Frames);
        Assert.Equal(File.ReadAllBytes(jsonl), File.ReadAllBytes(back));
    }
}
