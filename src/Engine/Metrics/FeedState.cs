using UpbitHft.Feed.Events;

namespace UpbitHft.Engine.Metrics;

/// <summary>
/// One socket's connection state for metrics, health and alerts, written by that feed's thread when it reports up or
/// down (<c>PipelineFrameHandler.OnFeedStatus</c>) and read by any thread: plain longs, one writer each.
/// </summary>
public sealed class FeedState
{
    private long _up;
    private long _connections;
    private long _changedNs;

    /// <summary>Whether the socket is connected and subscribed.</summary>
    public bool IsUp => Volatile.Read(ref _up) == 1;

    /// <summary>Successful connections (each connect and subscribe).</summary>
    public long Connections => Volatile.Read(ref _connections);

    /// <summary>Connections after the first: reconnects.</summary>
    public long Reconnects => Math.Max(0, Connections - 1);

    /// <summary>Whether the socket has connected at least once.</summary>
    public bool EverUp => Connections > 0;

    /// <summary>When it last went up or down (<see cref="LatencyClock"/> ns), 0 before the first report.</summary>
    public long ChangedNs => Volatile.Read(ref _changedNs);

    /// <summary>The feed went up or down (its own thread). A down while already down keeps the first down's time.</summary>
    public void OnStatus(bool up)
    {
        var wasUp = Volatile.Read(ref _up) == 1;
        if (up)
        {
            Volatile.Write(ref _connections, _connections + 1);
        }

        if (up != wasUp || _changedNs == 0)
        {
            Volatile.Write(ref _changedNs, LatencyClock.NowNs());
        }

        Volatile.Write(ref _up, up ? 1 : 0);
    }
}
