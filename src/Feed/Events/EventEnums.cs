namespace UpbitHft.Feed.Events;

/// <summary>Which Upbit key spelling the message used (docs/upbit.md#simple-format).</summary>
public enum MessageFormat : byte
{
    Unknown = 0,
    Default,
    Simple,
}

/// <summary>Upbit <c>stream_type</c>.</summary>
public enum StreamType : byte
{
    Unknown = 0,
    Snapshot,
    Realtime,
}

/// <summary>Upbit <c>ask_bid</c>: ASK = the aggressor sold, BID = the aggressor bought.</summary>
public enum TradeSide : byte
{
    Unknown = 0,
    Ask,
    Bid,
}

/// <summary>Ticker <c>market_state</c>.</summary>
public enum MarketState : byte
{
    Unknown = 0,
    Preview,
    Active,
    Delisted,
}

/// <summary>myOrder <c>state</c> (docs/upbit.md#numbers, §6).</summary>
public enum OrderState : byte
{
    Unknown = 0,
    Wait,
    Watch,
    Trade,
    Done,
    Cancel,
    Prevented,
}

/// <summary>Upbit <c>ord_type</c> / myOrder <c>order_type</c>.</summary>
public enum OrderType : byte
{
    Unknown = 0,
    Limit,
    /// <summary>Market buy by KRW amount.</summary>
    Price,
    /// <summary>Market sell by volume.</summary>
    Market,
    Best,
}

/// <summary>Non-market status frames.</summary>
public enum StatusCode : byte
{
    None = 0,
    /// <summary>The <c>{"status":"UP"}</c> keep-alive reply.</summary>
    Up,
    /// <summary>A <c>LIST_SUBSCRIPTIONS</c> reply (contents not kept).</summary>
    SubscriptionList,
    /// <summary>A <c>status</c> other than UP.</summary>
    Other,
}

/// <summary>WebSocket <c>error.name</c> values (docs/upbit.md#websocket-errors).</summary>
public enum UpbitErrorName : byte
{
    None = 0,
    Unknown,
    InvalidAuth,
    WrongFormat,
    NoTicket,
    NoType,
    NoCodes,
    InvalidParam,
    TooManyRequests,
    Teapot,
    /// <summary>The name was a number (quotation style); see <see cref="MarketEvent.ErrorNumber"/>.</summary>
    Numeric,
}
