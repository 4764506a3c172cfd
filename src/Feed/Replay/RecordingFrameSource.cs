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

    /// <summary>Opens <paramref name="path"/> as a recording or a JSONL capture, by its first bytes.</summary>
    public static IFrameSource Open(string path) =>
        RecordingReader.IsRecording(path) ? new RecordingFrameSource(path) : new CaptureReader(path);

    public void Dispose() => _reader.Dispose();
}
