namespace UpbitHft.Gateway.Errors;

/// <summary>What an Upbit error means for the engine (docs/upbit.md#errors), whatever its exact name or HTTP status.</summary>
public enum UpbitErrorCode
{
    Unknown = 0,
    InsufficientFunds,
    UnderMinimum,
    OverMaximum,
    InvalidPrice,
    InvalidTimeInForce,
    InvalidPostOnly,
    DuplicatedIdentifier,
    InvalidParameter,
    MarketNotFound,
    NonceUsed,
    AuthenticationFailed,
    IpNotAllowed,
    OutOfScope,
    MarketOffline,
    OrderNotFound,
    RateLimited,
    Blocked,
    ServerError,
    /// <summary>No answer in time: the request may or may not have reached the exchange.</summary>
    Timeout,
    /// <summary>The connection failed or dropped: the request may or may not have reached the exchange.</summary>
    ConnectionFailed,
    /// <summary>The gateway refused to send it (rate-limit policy, validation).</summary>
    NotSent,
}
