using System.Net.WebSockets;

namespace UpbitHft.Feed.Connection;

/// <summary>
/// Liveness of one connection: a text PING while we are quiet, and silence treated as death. Timestamps and waits are
/// on the injected <see cref="TimeProvider"/>, so a test can run a 30-second silence timeout in no time.
/// </summary>
public sealed partial class UpbitFeed<THandler>
{
    // Last message of any kind, PING answers included (TimeProvider timestamp).
    private long _lastReceive;

    // Last market-data (non-status) message: a public socket whose server still answers PINGs but carries no data
    // is as dead to the engine as a silent one. The private socket is quiet by nature (myOrder only on order
    // events), so its liveness is any message, PING answers included.
    private long _lastData;

    /// <summary>Notes that bytes arrived now (and, with <paramref name="data"/>, market data). Called by the receive and consume loops.</summary>
    private void MarkAlive(bool data)
    {
        var now = _time.GetTimestamp();
        Volatile.Write(ref _lastReceive, now);
        if (data)
        {
            Volatile.Write(ref _lastData, now);
        }
    }

    /// <summary>Pings while the connection is quiet on our side and declares it dead when the server goes silent.</summary>
    private async Task<string> WatchAsync(ClientWebSocket socket, CancellationToken cancel)
    {
        var silence = _options.SilenceTimeout;
        var tick = TimeSpan.FromMilliseconds(Math.Max(50, Math.Min(_options.PingInterval.TotalMilliseconds, silence.TotalMilliseconds) / 4));
        var lastPing = _time.GetTimestamp();
        while (true)
        {
            await Task.Delay(tick, _time, cancel).ConfigureAwait(false);
            var now = _time.GetTimestamp();
            var last = _options.Source == FeedSource.Public ? Volatile.Read(ref _lastData) : Volatile.Read(ref _lastReceive);
            if (_time.GetElapsedTime(last, now) > silence)
            {
                var reason = _options.Source == FeedSource.Public && _time.GetElapsedTime(Volatile.Read(ref _lastReceive), now) <= silence
                    ? $"no market data for more than {silence.TotalSeconds:0.#} s (the server still answers PINGs)"
                    : $"silent for more than {silence.TotalSeconds:0.#} s";
                Volatile.Write(ref _abortReason, reason);
                socket.Abort();
                return reason;
            }

            if (_time.GetElapsedTime(lastPing, now) >= _options.PingInterval)
            {
                lastPing = now;
                PingsSent++;
                await SendTextAsync(socket, s_ping, cancel).ConfigureAwait(false);
            }
        }
    }
}
