namespace UpbitHft.Feed.Connection;

/// <summary>Options of one WebSocket feed connection.</summary>
public sealed record FeedOptions
{
    public Uri Url { get; init; } = new("wss://api.upbit.com/websocket/v1");

    /// <summary>Checks the server's TLS certificate instead of the system's trust (a test exchange with its own); null = the system's.</summary>
    public System.Net.Security.RemoteCertificateValidationCallback? ServerCertificateValidation { get; init; }

    public FeedSource Source { get; init; } = FeedSource.Public;

    /// <summary>Text PING sent this often while connected (Upbit closes after 120 s without traffic).</summary>
    public TimeSpan PingInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A connection that received nothing for this long is treated as dead and replaced.</summary>
    public TimeSpan SilenceTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan ReconnectMinDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    public TimeSpan ReconnectMaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Seed of the reconnect jitter (tests fix it).</summary>
    public int JitterSeed { get; init; } = Random.Shared.Next();

    /// <summary>Pipe buffer before the reader waits for the consumer.</summary>
    public long PauseWriterThreshold { get; init; } = 4 * 1024 * 1024;

    public void Validate()
    {
        if (Url.Scheme is not ("ws" or "wss"))
        {
            throw new ArgumentException($"Feed URL must be ws:// or wss:// (got {Url}).");
        }

        if (PingInterval <= TimeSpan.Zero || SilenceTimeout <= TimeSpan.Zero || ReconnectMinDelay <= TimeSpan.Zero || ReconnectMaxDelay < ReconnectMinDelay)
        {
            throw new ArgumentException("Feed timings must be positive and the maximum reconnect delay at least the minimum.");
        }
    }
}
