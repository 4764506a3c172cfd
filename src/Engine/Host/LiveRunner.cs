using UpbitHft.Engine.Markets;
using UpbitHft.Feed.Connection;
using UpbitHft.Feed.Parsing;
using UpbitHft.Feed.Recording;
using UpbitHft.Feed.Subscriptions;
using UpbitHft.Gateway.Rest;

namespace UpbitHft.Engine.Host;

/// <summary>
/// The live-data modes. <c>paper</c>: market list and warm-up candles over REST, then the public WebSocket feeds the
/// same pipeline as replay, orders go to the paper exchange. <c>record</c>: the feed goes to a recording file.
/// </summary>
public static class LiveRunner
{
    public static async Task<RunResult> RunPaperAsync(EngineSettings settings, LiveSettings live, TextWriter status, CancellationToken cancel)
    {
        using var rest = new UpbitRestClient(new UpbitRestOptions { BaseUrl = live.RestUrl }, log: status.WriteLine);
        var markets = await MarketsAsync(rest, live, cancel).ConfigureAwait(false);
        var pipeline = new EnginePipeline(settings, addUnknownMarkets: false);
        await using var scope = pipeline.ConfigureAwait(false);
        foreach (var m in markets)
        {
            var id = pipeline.Markets.GetOrAdd(m.Market);
            pipeline.Core.SetMarketStatus(id, tradable: !m.IsWarning);
        }

        await WarmUpAsync(rest, pipeline, markets, live.WarmupCandles, status, cancel).ConfigureAwait(false);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        if (settings.MaxRuntimeSeconds is { } max)
        {
            stop.CancelAfter(TimeSpan.FromSeconds(max));
        }

        using var statusTimer = settings.StatusLines ? new Timer(_ => status.WriteLine(pipeline.StatusLine()), null, 2_000, 2_000) : null;
        pipeline.Start();
        var feed = new UpbitFeed<PipelineFrameHandler>(new FeedOptions { Url = live.WsUrl },
            SubscriptionRequest.Public(Guid.NewGuid().ToString(), [.. markets.Select(m => m.Market)]), new PipelineFrameHandler(pipeline), log: status.WriteLine);
        pipeline.Engine.MarketStale = market => feed.RequestReconnect($"held market {market} is silent");
        await using (feed.ConfigureAwait(false))
        {
            await feed.RunAsync(stop.Token).ConfigureAwait(false);
        }

        return await pipeline.FinishAsync(status, 0).ConfigureAwait(false);
    }

    public static async Task<long> RecordAsync(LiveSettings live, string outPath, double? maxRuntimeSeconds, TextWriter status, CancellationToken cancel)
    {
        using var rest = new UpbitRestClient(new UpbitRestOptions { BaseUrl = live.RestUrl }, log: status.WriteLine);
        var markets = await MarketsAsync(rest, live, cancel).ConfigureAwait(false);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        if (maxRuntimeSeconds is { } max)
        {
            stop.CancelAfter(TimeSpan.FromSeconds(max));
        }

        var writer = new RecordingWriter(outPath, DateTimeOffset.UtcNow);
        await using (writer.ConfigureAwait(false))
        {
            var feed = new UpbitFeed<RecordingFrameHandler>(new FeedOptions { Url = live.WsUrl },
                SubscriptionRequest.Public(Guid.NewGuid().ToString(), [.. markets.Select(m => m.Market)]), new RecordingFrameHandler(writer), log: status.WriteLine);
            await using (feed.ConfigureAwait(false))
            {
                await feed.RunAsync(stop.Token).ConfigureAwait(false);
            }

            await writer.DisposeAsync().ConfigureAwait(false);
            if (writer.Dropped > 0)
            {
                await status.WriteLineAsync($"warning: {writer.Dropped} frames dropped because the disk fell behind").ConfigureAwait(false);
            }

            return writer.Written;
        }
    }

    private static async Task<List<MarketInfo>> MarketsAsync(UpbitRestClient rest, LiveSettings live, CancellationToken cancel)
    {
        var list = await rest.GetMarketsAsync(cancel).ConfigureAwait(false);
        if (!list.IsSuccess)
        {
            throw new IOException($"cannot load the market list from {live.RestUrl}: {list.Error}");
        }

        var krw = list.Value!.Where(m => m.Market.StartsWith("KRW-", StringComparison.Ordinal)).ToList();
        if (live.Markets is { Count: > 0 } wanted)
        {
            krw = [.. krw.Where(m => wanted.Contains(m.Market))];
        }

        return krw.Count == 0 ? throw new IOException("no KRW market to watch") : krw;
    }

    /// <summary>Seeds RSI and the volume window from REST 1-minute candles (newest first from Upbit; seeded oldest first).</summary>
    private static async Task WarmUpAsync(UpbitRestClient rest, EnginePipeline pipeline, List<MarketInfo> markets, int count, TextWriter status, CancellationToken cancel)
    {
        if (count <= 0)
        {
            return;
        }

        foreach (var m in markets)
        {
            var candles = await rest.GetMinuteCandlesAsync(m.Market, count, cancel: cancel).ConfigureAwait(false);
            if (!candles.IsSuccess)
            {
                await status.WriteLineAsync($"warm-up: no candles for {m.Market}: {candles.Error}").ConfigureAwait(false);
                continue;
            }

            var history = candles.Value!
                .Select(c => UpbitTime.TryParseUtcMs(System.Text.Encoding.ASCII.GetBytes(c.CandleDateTimeUtc), out var ms)
                    ? new HistoricalCandle(ms, (double)c.OpeningPrice, (double)c.HighPrice, (double)c.LowPrice, (double)c.TradePrice, (double)c.CandleAccTradeVolume, (double)c.CandleAccTradePrice)
                    : (HistoricalCandle?)null)
                .OfType<HistoricalCandle>()
                .OrderBy(c => c.StartMs)
                .ToArray();
            pipeline.Core.SeedFromCandles(pipeline.Markets.GetOrAdd(m.Market), history);
        }

        await status.WriteLineAsync($"warm-up: seeded {markets.Count} markets with up to {count} one-minute candles").ConfigureAwait(false);
    }
}
