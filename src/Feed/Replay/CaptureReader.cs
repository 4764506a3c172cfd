using System.Text.Json;

namespace UpbitHft.Feed.Replay;

/// <summary>
/// Reads a JSONL capture — one <c>{"recv_ts": &lt;unix seconds&gt;, "frame": "&lt;exact frame text&gt;"}</c> per line, the
/// format of the shared samples and of <c>upbithft simulate</c> — and hands out each frame's exact bytes.
/// </summary>
/// <remarks>
/// The file is streamed in large blocks, and each frame is unescaped into one reusable buffer — or into the caller's,
/// when it asks for that — so iterating allocates nothing per line. A line of the usual shape (the two keys, a plain
/// number, a string whose only escapes are the short ones) is decoded by a direct scan that copies the runs between
/// escapes in bulk (<see cref="CaptureLine"/>); anything else goes through <see cref="Utf8JsonReader"/>, which also
/// judges what is malformed. A line that is not such an object is counted in <see cref="MalformedLines"/> and skipped,
/// never fatal. Not thread-safe: one reader thread.
/// </remarks>
public sealed class CaptureReader : IFrameSource
{
    /// <summary>
    /// Bytes read from the file at a time: small enough that a block is still in the core's cache when its lines are
    /// decoded (alternating runs of the 520,000-frame capture: 1.51 → 1.59 M msg/s median with 64 KiB instead of
    /// 4 MiB, ahead in 4 of 4; as <see cref="Recording.RecordingReader.BlockBytes"/>). A longer line grows the buffer.
    /// </summary>
    public const int BlockBytes = 64 * 1024;

    private readonly Stream _stream;
    private long _bytesRead;
    private byte[] _data = new byte[BlockBytes];
    private int _position;
    private int _end;
    private bool _eof;
    private byte[] _frame = new byte[64 * 1024];

    /// <summary>Streams <paramref name="path"/>.</summary>
    public CaptureReader(string path)
        : this(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0))
    {
    }

    /// <summary>Reads from a capture already in memory.</summary>
    public CaptureReader(byte[] data)
        : this(new MemoryStream(data, writable: false))
    {
    }

    /// <summary>Reads from <paramref name="stream"/> (owned: disposed with the reader); its size is known only when it can seek.</summary>
    internal CaptureReader(Stream stream)
    {
        _stream = stream;
        TotalBytes = stream.CanSeek ? stream.Length : 0;
    }

    /// <inheritdoc/>
    public long Unreadable => MalformedLines;

    /// <inheritdoc/>
    /// <inheritdoc/>
    public long BytesRead => Volatile.Read(ref _bytesRead);

    /// <inheritdoc/>
    public long TotalBytes { get; }

    public void Dispose() => _stream.Dispose();

    /// <summary>Lines skipped because they were not a valid capture line.</summary>
    public long MalformedLines { get; private set; }

    /// <summary>Lines read so far (blank lines excluded).</summary>
    public long Lines { get; private set; }

    /// <summary>Line number of the last frame returned (1-based), for error messages.</summary>
    public long LineNumber { get; private set; }

    /// <summary>Advances to the next frame; false at the end. <paramref name="frame"/> is valid until the next call.</summary>
    public bool TryReadNext(out ReadOnlySpan<byte> frame, out double receiveUnixSeconds) =>
        TryReadNext(default, out frame, out receiveUnixSeconds);

    /// <inheritdoc/>
    public bool TryReadNext(Span<byte> destination, out ReadOnlySpan<byte> frame, out double receiveUnixSeconds)
    {
        // The usual line is decoded where it lies in the block, before its end is looked for: the object's tokens hold no
        // newline, so when one follows the decoded object, that was the whole line (CaptureLine.TryDecodeObject). A
        // search for the newline first read each line twice, and handing the line over through memory made the decoder's
        // first load wait for the stores still draining from the last frame's copy (the JSONL reader's profile:
        // 13 % of its samples on that load, 4 % the search, 3 % trimming). Any other line — blank, unusual,
        // malformed, too long for the output, or running past the block — is read below as before.
        if (_position < _end && _data[_position] == (byte)'{')
        {
            var output = destination.IsEmpty ? _frame : destination;
            var rest = _data.AsSpan(_position, _end - _position);
            if (CaptureLine.TryDecodeObject(rest, output, out var length, out receiveUnixSeconds, out var end) == CaptureLine.Result.Ok
                && end < rest.Length && rest[end] == (byte)'\n')
            {
                _position += end + 1;
                LineNumber++;
                Lines++;
                frame = output[..length];
                return true;
            }
        }

        while (NextLine(out var line))
        {
            LineNumber++;
            if (line.IsEmpty || line.Trim((byte)'\r').Trim((byte)' ').IsEmpty)
            {
                continue;
            }

            Lines++;
            if (line.Length > _frame.Length)
            {
                _frame = new byte[Math.Max(line.Length, _frame.Length * 2)]; // a frame is never longer than its escaped line
            }

            // The destination takes the frame only when the whole line fits: the decoder then never runs out of room.
            Span<byte> output = destination.Length >= line.Length ? destination : _frame;
            var decoded = CaptureLine.TryDecode(line, output, out var length, out receiveUnixSeconds);
            if (decoded == CaptureLine.Result.Ok)
            {
                frame = output[..length];
                return true;
            }

            if (decoded == CaptureLine.Result.Unusual && TryParseLine(line, out length, out receiveUnixSeconds))
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

    /// <summary>The next line (without its newline), reading more of the stream as needed; false at the end.</summary>
    private bool NextLine(out ReadOnlySpan<byte> line)
    {
        while (true)
        {
            var rest = _data.AsSpan(_position, _end - _position);
            var newline = rest.IndexOf((byte)'\n');
            if (newline >= 0)
            {
                line = rest[..newline];
                _position += newline + 1;
                return true;
            }

            if (_eof)
            {
                line = rest;
                _position = _end;
                return !rest.IsEmpty;
            }

            // Keep the partial line, read more (a line longer than the buffer grows it).
            Buffer.BlockCopy(_data, _position, _data, 0, rest.Length);
            _end = rest.Length;
            _position = 0;
            if (_end == _data.Length)
            {
                Array.Resize(ref _data, _data.Length * 2);
            }

            var n = _stream.Read(_data, _end, _data.Length - _end);
            Volatile.Write(ref _bytesRead, _bytesRead + n);
            _eof = n == 0;
            _end += n;
        }
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

            // Nothing but whitespace may follow the object: a second object or a torn line's rest makes the line malformed.
            return frameLength >= 0 && double.IsFinite(receiveTs) && reader.TokenType == JsonTokenType.EndObject
                && line[(int)reader.BytesConsumed..].IndexOfAnyExcept(" \t\r"u8) < 0;
        }
        catch (JsonException)
        {
            // Utf8JsonReader reports malformed JSON by throwing; this runs on the replay reader thread, not the
            // engine thread, and only for broken lines.
            return false;
        }
    }
}
