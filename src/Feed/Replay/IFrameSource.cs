namespace UpbitHft.Feed.Replay;

/// <summary>Recorded frames in order, each with its receive time (Unix seconds), for replay.</summary>
public interface IFrameSource : IDisposable
{
    /// <summary>The next frame (valid until the next call); false at the end.</summary>
    bool TryReadNext(out ReadOnlySpan<byte> frame, out double receiveUnixSeconds);

    /// <summary>
    /// The next frame, as <see cref="TryReadNext(out ReadOnlySpan{byte}, out double)"/>; a source that has to decode
    /// its frames (a JSONL capture) writes this one into <paramref name="destination"/> when it fits, so a caller
    /// that wants the frame there is spared a copy. <paramref name="frame"/> says where it is.
    /// </summary>
    bool TryReadNext(Span<byte> destination, out ReadOnlySpan<byte> frame, out double receiveUnixSeconds) =>
        TryReadNext(out frame, out receiveUnixSeconds);

    /// <summary>Lines or records that could not be read (skipped, counted).</summary>
    long Unreadable { get; }

    /// <summary>Bytes of the input read so far (another thread may read it, for progress).</summary>
    long BytesRead { get; }

    /// <summary>Size of the input in bytes, 0 when unknown.</summary>
    long TotalBytes { get; }
}
