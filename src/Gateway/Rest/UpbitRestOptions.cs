using UpbitHft.Gateway.RateLimits;

namespace UpbitHft.Gateway.Rest;

/// <summary>Options of <see cref="UpbitRestClient"/>.</summary>
public sealed record UpbitRestOptions
{
    /// <summary>REST base (configurable to run against a test exchange).</summary>
    public Uri BaseUrl { get; init; } = new("https://api.upbit.com");

    /// <summary>Per-request timeout; after it the outcome of an order is unknown and is looked up.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(3);

    public RateLimitOptions RateLimits { get; init; } = new();

    /// <summary>Longest a request waits for its rate-limit group; beyond it the request is refused (NotSent).</summary>
    public TimeSpan MaxRateLimitWait { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a group stops after HTTP 418 when the response does not say (Retry-After).</summary>
    public TimeSpan DefaultBlock { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Kept-open connections for orders (<c>POST /v1/orders</c> and <c>/v1/orders/test</c>), written by a minimal HTTP/1.1
    /// writer on the gateway thread: as many as orders that may be in flight at once. 0 sends orders with HttpClient.
    /// </summary>
    public int OrderConnections { get; init; } = 2;

    /// <summary>
    /// Checks the server's TLS certificate instead of the system's trust store (a test exchange with its own
    /// certificate); null, the default, trusts what the system trusts.
    /// </summary>
    public System.Net.Security.RemoteCertificateValidationCallback? ServerCertificateValidation { get; init; }
}
