using System.Text.Json;

namespace UpbitHft.Feed.Replay;

/// <summary>
/// Reads a JSONL capture — one <c>{"recv_ts": &lt;unix seconds&gt;, "frame": "&lt;exact frame text&gt;"}</c> per line, the
/// format of the shared samples and of <c>upbithft simulate</c> — and hands out each frame's exact bytes.
/// </summary>
/// <remarks>
/// The whole file is read once (captures are a few MB); each frame is unescaped into one reusable buffer, so
/// iterating allocates nothing per line. A line that is not such an object is counted in <see cref="MalformedLines"/>
/// and skipped, never fatal. Not thread-safe: one reader thread.
/// </remarks>
public sealed class CaptureReader : IFrameSource
{
    private readonly byte[] _data;
    private byte[] _frame = new byte[64 * 1024];
    private int _position;

    /// <summary>Reads <paramref name="path"/> into memory.</summary>
    public CaptureReader(string path)
        : this(File.ReadAllBytes(path))
    {
    }

    /// <summary>Reads from a capture already in memory.</summary>
    public CaptureReader(byte[] data)
    {
        _data = data;
    }

    /// <inheritdoc/>
    public long Unreadable => MalformedLines;

    /// <inheritdoc/>
    public void Dispose()
    {
    }

    /// <summary>Lines skipped because they were not a valid capture line.</summary>
    public long MalformedLines { get; private set; }

    /// <summary>Lines read so far (blank lines excluded).</summary>
    public long Lines { get; private set; }

    /// <summary>Line number of the last frame returned (1-based), for error messages.</summary>
    public long LineNumber { get; private set; }

    /// <summary>Advances to the next frame; false at the end. <paramref name="frame"/> is valid until the next call.</summary>
    public bool TryReadNext(out ReadOnlySpan<byte> frame, out double receiveUnixSeconds)
    {
        while (_position < _data.Length)
        {
            var rest = _data.AsSpan(_position);
            var end = rest.IndexOf((byte)'\n');
            var line = end < 0 ? rest : rest[..end];
            _position += end < 0 ? rest.Length : end + 1;
            LineNumber++;
            if (line.IsEmpty || line.Trim((byte)'\r').Trim((byte)' ').IsEmpty)
            {
                continue;
            }

            Lines++;
            if (TryParseLine(line, out var length, out receiveUnixSeconds))
            {
                frame = _frame.AsSpan(0, length);
                return true;
            }

            MalformedLines++;
        }

        frame = default;
        receiveUnixSeconds = 0;
        return false;
    }

    private bool TryParseLine(ReadOnlySpan<byte> line, out int frameLength, out double receiveTs)
    {
        frameLength = -1;
        receiveTs = double.NaN;
        try
        {
            var reader = new Utf8JsonReader(line);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("frame"u8))
                {
                    if (!reader.Read() || reader.TokenType != JsonTokenType.String)
                    {
                        return false;
                    }

                    var needed = reader.HasValueSequence ? (int)reader.ValueSequence.Length : reader.ValueSpan.Length;
                    if (needed > _frame.Length)
                    {
                        _frame = new byte[Math.Max(needed, _frame.Length * 2)];
                    }

                    frameLength = reader.CopyString(_frame);
                }
                else if (reader.ValueTextEquals("recv_ts"u8))
                {
                    if (!reader.Read() || reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out receiveTs))
                    {
                        return false;
                    }
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            return frameLength >= 0 && double.IsFinite(receiveTs) && reader.TokenType == JsonTokenType.EndObject;
        }
        catch (JsonException)
        {
            // Utf8JsonReader reports malformed JSON by throwing; this runs on the replay reader thread, not the
            // engine thread, and only for broken lines.
            return false;
        }
    }
}
