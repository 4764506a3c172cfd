namespace UpbitHft.Engine.Modes;

/// <summary>Where the live modes connect, and what they subscribe to.</summary>
public sealed record LiveSettings
{
    public Uri RestUrl { get; init; } = new("https://api.upbit.com");
    public Uri WsUrl { get; init; } = new("wss://api.upbit.com/websocket/v1");

    /// <summary>The private WebSocket (myOrder), live mode only.</summary>
    public Uri PrivateWsUrl { get; init; } = new("wss://api.upbit.com/websocket/v1/private");

    /// <summary>Upbit's per-group limits (the <c>order</c> group is 8/s by default, 12/s where Upbit allows it).</summary>
    public UpbitHft.Gateway.RateLimits.RateLimitOptions RateLimits { get; init; } = new();

    /// <summary>A socket that received nothing for this long is replaced (PING every third of it, at most every 30 s).</summary>
    public TimeSpan SilenceTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The REST client's options for this run.</summary>
    public UpbitHft.Gateway.Rest.UpbitRestOptions Rest => new() { BaseUrl = RestUrl, RateLimits = RateLimits, ServerCertificateValidation = ServerCertificateValidation, OrderConnections = OrderConnections };

    /// <summary>Feed options for <paramref name="url"/> with this run's timings.</summary>
    public UpbitHft.Feed.Connection.FeedOptions Feed(Uri url, UpbitHft.Feed.Connection.FeedSource source = UpbitHft.Feed.Connection.FeedSource.Public) => new()
    {
        Url = url,
        Source = source,
        ServerCertificateValidation = ServerCertificateValidation,
        SilenceTimeout = SilenceTimeout,
        PingInterval = TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(30).Ticks, SilenceTimeout.Ticks / 3)),
    };

    /// <summary>Live: how long shutdown waits for exit orders to be answered before it gives up and reports.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Markets to watch; null = every KRW market from the market list (warning-flagged ones are watched but not traded).</summary>
    public IReadOnlyList<string>? Markets { get; init; }

    /// <summary>1-minute candles fetched per market at start-up to warm RSI and the volume window (0 = none).</summary>
    public int WarmupCandles { get; init; } = 40;

    /// <summary>How often a held market whose feed is stale or down has its price read over REST (<c>ticker</c> group).</summary>
    public TimeSpan RestWatchInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How often the engine's clock is moved on when no market data arrives.</summary>
    public TimeSpan TimerInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How the gateway thread waits for the engine's next order command (it spins 50 µs, then parks, by default).</summary>
    public UpbitHft.Engine.Ring.WaitStrategyKind GatewayWait { get; init; } = UpbitHft.Engine.Ring.WaitStrategyKind.SpinThenBlock;

    /// <summary>
    /// While it waits for an order, the gateway thread signs one it never sends at most this often, so the next real
    /// order is signed by hot code (zero = never). A parked gateway thread wakes this often to do it.
    /// </summary>
    public TimeSpan GatewayRehearsal { get; init; } = TimeSpan.FromMilliseconds(1);

    /// <summary>
    /// While it waits, the gateway thread signs the entries the engine foresees, so a foreseen entry goes out without
    /// being signed on its way (docs/design.md, "Signing ahead"). A parked gateway thread looks at least every millisecond.
    /// </summary>
    public bool SignAhead { get; init; } = true;

    /// <summary>Order connections opened at start and kept warm: as many as orders that may be in flight at once (two positions).</summary>
    public int OrderConnections { get; init; } = 2;

    /// <summary>Rounds of test orders (<c>POST /v1/orders/test</c>, one per order connection) sent down the whole order path at start (0 = none).</summary>
    public int OrderWarmUpRounds { get; init; } = 4;

    /// <summary>After this long without an order, test orders keep the order path warm (zero = never).</summary>
    public TimeSpan KeepOrderPathWarm { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Checks the exchange's TLS certificate instead of the system's trust (a test exchange with its own); null = the system's.</summary>
    public System.Net.Security.RemoteCertificateValidationCallback? ServerCertificateValidation { get; init; }

    /// <summary>The order gateway's timings (lookups, polls, cancels).</summary>
    public UpbitHft.Gateway.Orders.OrderGatewayOptions Gateway { get; init; } = new();

    /// <summary>Metrics endpoint and alerts (<c>--metrics-port</c>, <c>--notify-url</c>, …); none by default.</summary>
    public UpbitHft.Engine.Operations.OperationsSettings Operations { get; init; } = new();

    /// <summary>Wall time and waits (a fake clock in tests).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
