using System.Buffers;

namespace UpbitHft.Feed.Connection;

/// <summary>Which socket a frame came from.</summary>
public enum FeedSource : byte
{
    Public = 0,
    Private = 1,
}

/// <summary>Connection state changes the engine must know about (block entries, fall back to REST polling).</summary>
public enum FeedStatus : byte
{
    /// <summary>Connected and (re)subscribed.</summary>
    Up,
    /// <summary>Closed, failed, or silent beyond the threshold; reconnecting.</summary>
    Down,
}

/// <summary>
/// Receives every complete message of a feed, on the feed's consumer thread. Implement on a struct and pass it as the
/// generic argument so the call is devirtualized. <see cref="OnFrame"/> must not keep the sequence: it is only valid
/// during the call (the engine parses it straight into a ring slot).
/// </summary>
public interface IFrameHandler
{
    void OnFrame(in ReadOnlySequence<byte> frame, long receiveTimestampNs, FeedSource source);

    void OnFeedStatus(FeedSource source, FeedStatus status, string reason);
}
