using System.Text;
using UpbitHft.Feed.Connection;

namespace UpbitHft.Feed.Recording;

/// <summary>What a conversion did.</summary>
public sealed record ConversionResult
{
    /// <summary>Frames converted.</summary>
    public long Frames { get; init; }

    /// <summary>Start of the recording (written or read): the first frame's receive time, truncated to the millisecond.</summary>
    public DateTimeOffset Start { get; init; }

    /// <summary>JSONL lines without <c>recv_ts</c> (stamped with the previous frame's receive time, or the Unix epoch before any).</summary>
    public long MissingReceiveTimes { get; init; }

    /// <summary>JSONL lines with fields other than <c>recv_ts</c>, <c>frame</c> and <c>source</c> (those fields are not kept).</summary>
    public long DroppedFields { get; init; }

    /// <summary>The recording ended in a torn or corrupt record (ignored, as replay ignores it).</summary>
    public bool TornTail { get; init; }
}

/// <summary>
/// Converts between the two capture formats replay reads: JSONL (<c>{"recv_ts": &lt;unix seconds&gt;, "frame":
/// "&lt;frame text&gt;"}</c> per line) and the binary recording (<see cref="RecordingFormat"/>).
/// </summary>
/// <remarks>
/// <para>Frames are kept byte for byte both ways: a JSONL frame is the UTF-8 of its unescaped string; a recorded frame
/// must be valid UTF-8 to be written as JSONL (a frame that is not is an error, never altered).</para>
/// <para>Receive times: a recording keeps its start in whole milliseconds (header) and each record's receive time in
/// nanoseconds; replay reads a record's time as start + (its ns − the first record's ns). So JSONL → recording takes
/// the start from the first frame's <c>recv_ts</c> truncated to the millisecond and stores every frame's offset from
/// the first exactly to the nanosecond (from the decimal text, not a double). Back to JSONL, every <c>recv_ts</c>
/// comes back exact relative to the first frame; the first frame's own sub-millisecond part is lost, which shifts
/// all times by that same amount (under 1 ms). Captures stamped in whole milliseconds (<c>upbithft simulate</c>)
/// come back exactly, and a second round trip changes nothing.</para>
/// <para>JSONL is written as Python's <c>json.dumps</c> writes it by default (<c>", "</c> and <c>": "</c> separators,
/// non-ASCII as <c>\uXXXX</c>); <c>recv_ts</c> has 3, 6 or 9 decimals — the fewest that hold it exactly. A private
/// socket's record gets <c>"source": "private"</c>, which the other direction reads back.</para>
/// </remarks>
public static partial class CaptureConverter
{
    private const long NsPerMs = 1_000_000;
    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Converts <paramref name="input"/> to <paramref name="output"/>; the direction is the input's: a recording (by its magic) becomes JSONL, anything else is read as JSONL and becomes a recording.</summary>
    public static ConversionResult Convert(string input, string output)
    {
        var toJsonl = RecordingReader.IsRecording(input);
        using var source = new FileStream(input, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        using var target = new FileStream(output, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        return toJsonl ? RecordingToJsonl(source, target) : JsonlToRecording(source, target);
    }

    /// <summary>Reads a JSONL capture and writes a recording; both streams are left open.</summary>
    /// <exception cref="InvalidDataException">A line that is not a capture line (its number is in the message).</exception>
    public static ConversionResult JsonlToRecording(Stream jsonl, Stream recording)
    {
        var frame = new byte[64 * 1024];
        var buffer = new byte[1 << 20];
        int start = 0, end = 0;
        long lineNumber = 0, frames = 0, missing = 0, dropped = 0;
        long? firstNs = null;
        long previousNs = 0;
        RecordingFileWriter? writer = null;
        var output = new BufferedStream(recording, 1 << 16);
        try
        {
            while (true)
            {
                var newline = buffer.AsSpan(start, end - start).IndexOf((byte)'\n');
                ReadOnlySpan<byte> line;
                if (newline >= 0)
                {
                    line = buffer.AsSpan(start, newline);
                    start += newline + 1;
                }
                else
                {
                    if (start > 0)
                    {
                        Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                        end -= start;
                        start = 0;
                    }

                    if (end == buffer.Length)
                    {
                        Array.Resize(ref buffer, buffer.Length * 2);
                    }

                    var read = jsonl.Read(buffer, end, buffer.Length - end);
                    if (read > 0)
                    {
                        end += read;
                        continue;
                    }

                    if (end == start)
                    {
                        break;
                    }

                    line = buffer.AsSpan(start, end - start); // a last line without a newline
                    start = end;
                }

                lineNumber++;
                line = line.TrimEnd((byte)'\r');
                if (line.Trim((byte)' ').IsEmpty)
                {
                    continue;
                }

                var parsed = ParseLine(line, ref frame, lineNumber);
                if (parsed.ReceiveNs is null)
                {
                    missing++;
                }

                dropped += parsed.OtherFields ? 1 : 0;
                var ns = parsed.ReceiveNs ?? previousNs;
                previousNs = ns;
                if (firstNs is null)
                {
                    firstNs = ns;
                    writer = new RecordingFileWriter(output, DateTimeOffset.FromUnixTimeMilliseconds(FloorDiv(ns, NsPerMs)), leaveOpen: true);
                }

                writer!.Append(frame.AsSpan(0, parsed.FrameLength), ns - firstNs.Value, parsed.Source);
                frames++;
            }

            writer ??= new RecordingFileWriter(output, DateTimeOffset.UnixEpoch, leaveOpen: true);
        }
        finally
        {
            writer?.Dispose();
            output.Flush();
        }

        return new ConversionResult
        {
            Frames = frames,
            Start = DateTimeOffset.FromUnixTimeMilliseconds(FloorDiv(firstNs ?? 0, NsPerMs)),
            MissingReceiveTimes = missing,
            DroppedFields = dropped,
        };
    }

    /// <summary>Reads a recording and writes a JSONL capture; <paramref name="jsonl"/> is left open.</summary>
    /// <exception cref="InvalidDataException">Not a recording, or a frame that is not UTF-8 (JSONL cannot hold it exactly).</exception>
    public static ConversionResult RecordingToJsonl(Stream recording, Stream jsonl)
    {
        var reader = new RecordingReader(recording);
        var startNs = (Int128)reader.Start.ToUnixTimeMilliseconds() * NsPerMs;
        long? firstNs = null;
        var line = new StringBuilder(4096);
        var bytes = new byte[8192];
        var output = new BufferedStream(jsonl, 1 << 16);
        while (reader.TryReadNext(out var frame, out var ns, out var source))
        {
            firstNs ??= ns;
            string text;
            try
            {
                text = s_strictUtf8.GetString(frame);
            }
            catch (DecoderFallbackException)
            {
                throw new InvalidDataException($"record {reader.Records}: the frame is not UTF-8 text, so a JSONL line cannot hold it exactly.");
            }

            line.Clear().Append("{\"recv_ts\": ");
            AppendSeconds(line, startNs + ns - firstNs.Value);
            line.Append(", \"frame\": \"");
            AppendEscaped(line, text);
            line.Append('"');
            if (source == FeedSource.Private)
            {
                line.Append(", \"source\": \"private\"");
            }

            line.Append("}\n");
            var needed = Encoding.ASCII.GetMaxByteCount(line.Length);
            if (needed > bytes.Length)
            {
                bytes = new byte[Math.Max(needed, bytes.Length * 2)];
            }

            var length = 0;
            foreach (var chunk in line.GetChunks())
            {
                length += Encoding.ASCII.GetBytes(chunk.Span, bytes.AsSpan(length));
            }

            output.Write(bytes, 0, length);
        }

        output.Flush();
        return new ConversionResult { Frames = reader.Records, Start = reader.Start, TornTail = reader.TornTail };
    }
}
