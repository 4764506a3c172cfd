namespace UpbitHft.Feed.Replay;

/// <summary>Recorded frames in order, each with its receive time (Unix seconds), for replay.</summary>
public interface IFrameSource : IDisposable
{
    /// <summary>The next frame (valid until the next call); false at the end.</summary>
    bool TryReadNext(out ReadOnlySpan<byte> frame, out double receiveUnixSeconds);

    /// <summary>Lines or records that could not be read (skipped, counted).</summary>
    long Unreadable { get; }

    /// <summary>Bytes of the input read so far (another thread may read it, for progress).</summary>
    long BytesRead { get; }

    /// <summary>Size of the input in bytes, 0 when unknown.</summary>
    long TotalBytes { get; }
}
