namespace UpbitHft.Engine.Host;

/// <summary>Where the live modes connect, and what they subscribe to.</summary>
public sealed record LiveSettings
{
    public Uri RestUrl { get; init; } = new("https://api.upbit.com");
    public Uri WsUrl { get; init; } = new("wss://api.upbit.com/websocket/v1");

    /// <summary>The private WebSocket (myOrder), live mode only.</summary>
    public Uri PrivateWsUrl { get; init; } = new("wss://api.upbit.com/websocket/v1/private");

    /// <summary>Live: how long shutdown waits for exit orders to be answered before it gives up and reports.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Markets to watch; null = every KRW market from the market list (warning-flagged ones are watched but not traded).</summary>
    public IReadOnlyList<string>? Markets { get; init; }

    /// <summary>1-minute candles fetched per market at start-up to warm RSI and the volume window (0 = none).</summary>
    public int WarmupCandles { get; init; } = 40;
}
