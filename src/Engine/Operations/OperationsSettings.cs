using System.Net;
using UpbitHft.Engine.Notifications;

namespace UpbitHft.Engine.Operations;

/// <summary>What a live-data run (paper or live) offers its operator beyond the console: a metrics endpoint and alerts.</summary>
public sealed record OperationsSettings
{
    /// <summary><c>--metrics-host</c>:<c>--metrics-port</c>; null: no endpoint. Port 0 takes any free port (tests).</summary>
    public IPEndPoint? MetricsEndpoint { get; init; }

    /// <summary>Told where the endpoint listens once it does (tests asking for port 0).</summary>
    public Action<Uri>? MetricsListening { get; init; }

    /// <summary>Where alerts go (<c>--notify-url</c>); null: none. Owned by the caller, which disposes it after the run (so the run's last exits are still sent).</summary>
    public Notifier? Notifier { get; init; }

    /// <summary>A socket down (or never connected) this long is alerted (<c>--notify-feed-down-after</c>).</summary>
    public TimeSpan FeedDownAlertAfter { get; init; } = TimeSpan.FromSeconds(60);
}
