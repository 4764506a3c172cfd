namespace UpbitHft.Feed.Events;

/// <summary>What a <see cref="MarketEvent"/> slot holds: one Upbit WebSocket message.</summary>
public enum MarketEventKind : byte
{
    /// <summary>Nothing valid: a slot that failed to parse is left in this state.</summary>
    None = 0,
    Trade,
    Ticker,
    Orderbook,
    Candle,
    MyOrder,
    MyAsset,
    /// <summary>The <c>{"status":"UP"}</c> keep-alive.</summary>
    Status,
    /// <summary>An <c>{"error":{…}}</c> frame from Upbit.</summary>
    Error,
}
