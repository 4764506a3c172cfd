namespace UpbitHft.Feed.Events;

/// <summary>
/// One parsed Upbit WebSocket message in the single preallocated shape the engine ring carries.
/// A mutable struct on purpose: ring slots are reused by <c>ref</c> and overwritten in place, never copied.
/// The parser owns the exact field set (see <c>UpbitMessageParser</c>); fields that do not apply to a kind are left 0.
/// </summary>
public struct MarketEvent
{
    public MarketEventKind Kind;

    /// <summary>Small integer id from the <c>MarketTable</c>; -1 when the message has no market.</summary>
    public int MarketId;

    /// <summary>Monotonic receive stamp in nanoseconds (from <c>Stopwatch.GetTimestamp</c>), set by the feed.</summary>
    public long ReceiveTimestampNs;

    /// <summary>Exchange <c>timestamp</c> in Unix milliseconds (a 16-digit microsecond value is scaled down).</summary>
    public long TimestampMs;
}
