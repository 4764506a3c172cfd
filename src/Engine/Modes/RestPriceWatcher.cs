using UpbitHft.Gateway.Rest;
using UpbitHft.Engine.Runtime;
using UpbitHft.Engine.Execution;

namespace UpbitHft.Engine.Modes;

/// <summary>
/// The REST fallback for stale data: while a held market's feed is stale or down, its last trade price is read with
/// <c>GET /v1/ticker</c> (one request for every watched market, inside the <c>ticker</c> group's limit) and published
/// into the ring, so its stop still fires. Which markets to watch is the engine thread's decision
/// (<see cref="MarketWatchList"/>); this thread only reads and publishes.
/// </summary>
public sealed class RestPriceWatcher(UpbitRestClient rest, EnginePipeline pipeline, TimeSpan interval, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>REST prices published so far.</summary>
    public long Published => Interlocked.Read(ref _published);

    private long _published;

    /// <summary>Polls until <paramref name="stop"/>.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        var watched = pipeline.Engine.Watched;
        var markets = pipeline.Markets;
        var codes = new List<string>();
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(interval, _time, stop).ConfigureAwait(false);
                if (watched.Count == 0)
                {
                    continue;
                }

                codes.Clear();
                for (var i = 0; i < markets.Count; i++)
                {
                    if (watched.IsWatched(i))
                    {
                        codes.Add(markets.GetCode(i));
                    }
                }

                if (codes.Count == 0)
                {
                    continue;
                }

                var r = await rest.GetTickersAsync(codes, stop).ConfigureAwait(false);
                if (!r.IsSuccess)
                {
                    continue; // asked again next interval; the feed may be back first
                }

                foreach (var t in r.Value!)
                {
                    if (markets.TryGetId(System.Text.Encoding.ASCII.GetBytes(t.Market), out var id) && watched.IsWatched(id))
                    {
                        pipeline.PublishRestPrice(id, t.Timestamp, (double)t.TradePrice);
                        Interlocked.Increment(ref _published);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }
}
