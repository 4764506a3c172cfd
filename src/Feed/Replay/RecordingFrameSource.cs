using UpbitHft.Feed.Recording;

namespace UpbitHft.Feed.Replay;

/// <summary>A binary recording as a replay source: receive times are the recording's start plus the recorded monotonic offsets.</summary>
public sealed class RecordingFrameSource : IFrameSource
{
    private readonly RecordingReader _reader;
    private long _firstNs = long.MinValue;

    public RecordingFrameSource(string path)
    {
        _reader = new RecordingReader(path);
    }

    private RecordingFrameSource(Stream stream)
    {
        _reader = new RecordingReader(stream);
    }

    /// <inheritdoc/>
    public long Unreadable => _reader.TornTail ? 1 : 0;

    /// <inheritdoc/>
    public long BytesRead => _reader.BytesRead;

    /// <inheritdoc/>
    public long TotalBytes => _reader.TotalBytes;

    /// <inheritdoc/>
    public bool TryReadNext(out ReadOnlySpan<byte> frame, out double receiveUnixSeconds)
    {
        if (!_reader.TryReadNext(out frame, out var ns, out _))
        {
            receiveUnixSeconds = 0;
            return false;
        }

        _firstNs = _firstNs == long.MinValue ? ns : _firstNs;
        receiveUnixSeconds = (_reader.Start.ToUnixTimeMilliseconds() / 1000.0) + ((ns - _firstNs) / 1e9);
        return true;
    }

    /// <summary>
    /// Opens <paramref name="path"/> as a recording or a JSONL capture, by its first bytes. The input is opened once:
    /// a pipe (<c>/dev/stdin</c>, a FIFO) keeps the bytes read to tell its format, and its
    /// <see cref="IFrameSource.TotalBytes"/> is 0 (its size is unknown).
    /// </summary>
    public static IFrameSource Open(string path)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
        try
        {
            var magic = new byte[RecordingFormat.Magic.Length];
            var read = stream.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false);
            var recording = read == magic.Length && magic.AsSpan().SequenceEqual(RecordingFormat.Magic);
            Stream input;
            if (stream.CanSeek)
            {
                stream.Position = 0;
                input = stream;
            }
            else
            {
                input = new PrefixedStream(magic[..read], stream);
            }

            return recording ? new RecordingFrameSource(input) : new CaptureReader(input);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    public void Dispose() => _reader.Dispose();
}
