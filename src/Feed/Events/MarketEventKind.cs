namespace UpbitHft.Feed.Events;

/// <summary>What a <see cref="MarketEvent"/> slot holds.</summary>
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
    /// <summary>Emitted by the feed (not Upbit): a socket went down or silent.</summary>
    FeedDown,
    /// <summary>Emitted by the feed (not Upbit): a socket is back and resubscribed.</summary>
    FeedUp,
    /// <summary>Emitted by the order gateway (not Upbit): an answer about one of the engine's orders (<see cref="MarketEvent.Answer"/>).</summary>
    OrderAnswer,
    /// <summary>Emitted by the host (not Upbit): a command for the engine thread (<see cref="MarketEvent.Control"/>).</summary>
    Control,
}

/// <summary>What an <see cref="MarketEventKind.OrderAnswer"/> says about an order (the gateway's view).</summary>
public enum OrderAnswerKind : byte
{
    None = 0,
    Accepted,
    Fill,
    Done,
    Cancelled,
    Rejected,
}

/// <summary>What a <see cref="MarketEventKind.Control"/> event asks of the engine thread.</summary>
public enum ControlCommand : byte
{
    None = 0,
    /// <summary>Stop entries; flatten or keep positions per the settings.</summary>
    Shutdown,
    /// <summary>Stop entries and sell every position (reason kill_switch).</summary>
    KillSwitch,
}
