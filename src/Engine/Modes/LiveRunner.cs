using System.Globalization;
using UpbitHft.Engine.Journal;
using UpbitHft.Engine.Markets;
using UpbitHft.Engine.Ring;
using UpbitHft.Feed.Connection;
using UpbitHft.Feed.Parsing;
using UpbitHft.Feed.Recording;
using UpbitHft.Feed.Subscriptions;
using UpbitHft.Gateway.Auth;
using UpbitHft.Gateway.Orders;
using UpbitHft.Gateway.Rest;
using UpbitHft.Engine.Runtime;
using UpbitHft.Engine.Execution;
using UpbitHft.Engine.Reconciliation;

namespace UpbitHft.Engine.Modes;

/// <summary>
/// The live-data modes. <c>paper</c>: market list and warm-up candles over REST, then the public WebSocket feeds the
/// same pipeline as replay, orders go to the paper exchange. <c>record</c>: the feed goes to a recording file.
/// </summary>
public static class LiveRunner
{
    public static async Task<RunResult> RunPaperAsync(EngineSettings settings, LiveSettings live, TextWriter status, CancellationToken cancel)
    {
        using var rest = new UpbitRestClient(live.Rest, log: status.WriteLine);
        var markets = await MarketsAsync(rest, live, cancel).ConfigureAwait(false);
        var journalState = JournalState.Load(settings.JournalPath);
        var pipeline = new EnginePipeline(settings, addUnknownMarkets: false, multiProducer: true);
        await using var scope = pipeline.ConfigureAwait(false);
        var jit = Task.Run(() => JitWarmUp.Prepare(JitWarmUp.TradingPath, live.Time, settings.Strategy), cancel); // while the REST warm-up waits on the network
        RegisterMarkets(pipeline, markets);

        await WarmUpAsync(rest, pipeline, markets, live.WarmupCandles, status, cancel).ConfigureAwait(false);
        pipeline.Core.Risk.Restore(journalState.RecentTrades, live.Time.GetUtcNow().ToUnixTimeMilliseconds());
        using var stop = StopAfter(settings.MaxRuntimeSeconds, cancel);
        await JitWarmUp.ReportAsync(jit, status).ConfigureAwait(false);

        using var statusTimer = settings.StatusLines ? new Timer(_ => status.WriteLine(pipeline.StatusLine()), null, 2_000, 2_000) : null;
        pipeline.Start();
        await using var services = LiveServices.Start(pipeline, rest, settings, live, status, stop);
        var feed = new UpbitFeed<PipelineFrameHandler>(live.Feed(live.WsUrl),
            SubscriptionRequest.Public(Guid.NewGuid().ToString(), [.. markets.Select(m => m.Market)]), new PipelineFrameHandler(pipeline), log: status.WriteLine);
        pipeline.Engine.MarketStale = market => feed.RequestReconnect($"held market {market} is silent");
        await using (feed.ConfigureAwait(false))
        {
            await feed.RunAsync(stop.Token).ConfigureAwait(false);
        }

        await services.DisposeAsync().ConfigureAwait(false);
        return await pipeline.FinishAsync(status, 0).ConfigureAwait(false);
    }

    /// <summary>
    /// Real orders (docs/design.md#modes <c>live</c>): market list, warm-up, reconciliation with the exchange and the journal,
    /// then the public and private feeds and the REST gateway all publish into one multi-producer ring consumed by
    /// the engine thread. Shutdown (Ctrl+C, <c>--max-runtime</c>) goes through the ring too: entries stop, positions
    /// are flattened or kept per the settings, and the run waits for the answers before it reports.
    /// </summary>
    public static async Task<RunResult> RunLiveAsync(EngineSettings settings, LiveSettings live, UpbitCredentials credentials, TextWriter status, CancellationToken cancel)
    {
        var signer = new JwtSigner(credentials);
        using var rest = new UpbitRestClient(live.Rest, signer, log: status.WriteLine);
        var markets = await MarketsAsync(rest, live, cancel).ConfigureAwait(false);
        var journalState = JournalState.Load(settings.JournalPath);
        var identifiers = new OrderIdentifiers();
        var firstIntent = journalState.MaxIntent + 1;
        var pipeline = new EnginePipeline(settings, addUnknownMarkets: false, liveIdentifierPrefix: identifiers.RunPrefix, firstIntentId: firstIntent);
        await using var scope = pipeline.ConfigureAwait(false);
        var jit = Task.Run(() => JitWarmUp.Prepare(JitWarmUp.TradingPath, live.Time, settings.Strategy), cancel); // while the REST warm-up waits on the network
        pipeline.Journal.Enqueue(new JournalEntry(JournalKind.Session, firstIntent, "", default, default, "live " + identifiers.RunId));
        RegisterMarkets(pipeline, markets);

        var validator = new OrderValidator { MinTotalKrw = settings.Strategy.MinOrderKrw };
        var instruments = await rest.GetInstrumentsAsync(markets.Select(m => m.Market), cancel).ConfigureAwait(false);
        if (instruments.IsSuccess)
        {
            foreach (var i in instruments.Value!)
            {
                validator.SetTickSize(i.Market, i.TickSize);
            }
        }
        else
        {
            await status.WriteLineAsync($"warning: no tick sizes from the instruments endpoint ({instruments.Error}); the KRW tick table is used").ConfigureAwait(false);
        }

        await WarmUpAsync(rest, pipeline, markets, live.WarmupCandles, status, cancel).ConfigureAwait(false);
        var watched = markets.Select(m => m.Market).ToHashSet(StringComparer.Ordinal);
        var reconciliation = await LiveReconciler.RunAsync(rest, watched, journalState, settings.Strategy.MinOrderKrw, settings.Logging.CreateLogger(typeof(LiveReconciler).FullName!), cancel, time: live.Time).ConfigureAwait(false);
        ReconciliationJournal.Write(pipeline.Journal, reconciliation);
        pipeline.Core.Risk.Restore(journalState.RecentTrades, live.Time.GetUtcNow().ToUnixTimeMilliseconds());

        // The order path: engine thread → gateway ring → gateway thread (signs, writes) → order connections.
        var orderPath = new OrderPathStats();
        var gateway = new UpbitOrderGateway(rest, validator, identifiers, new RingOrderEventSink(pipeline.Ring, pipeline.Answers!, pipeline.Markets), status.WriteLine, live.Gateway, live.Time)
        {
            OrderTraced = orderPath.Record,
        };
        await using var gatewayScope = gateway.ConfigureAwait(false);
        var rehearsed = markets.Count > 0 ? markets[0].Market : null; // any listed market signs like the one of the next order
        // While it waits, the gateway thread signs the engine's foreseen entries ahead, else rehearses (docs/design.md, "Signing ahead").
        var hints = live.SignAhead ? new EntryHints() : null;
        var idle = GatewayIdleWork.Create(hints, c => gateway.Presign(c), rehearsed is null ? null : () => gateway.Rehearse(rehearsed), live.GatewayRehearsal,
            ex => status.WriteLine($"gateway: signing ahead or rehearsal failed ({ex.GetType().Name}: {ex.Message}); turned off, orders are signed as they come"));
        var handoff = new GatewayHandoff(gateway, pipeline.Markets, wait: live.GatewayWait, log: status.WriteLine, rehearsal: idle);
        handoff.Start();
        pipeline.Engine.AttachGateway(handoff);
        pipeline.Engine.AttachHints(hints);
        pipeline.Engine.KeepOrderPathWarm = live.KeepOrderPathWarm;
        pipeline.Engine.OrderConnections = live.OrderConnections;
        pipeline.OrderPath = orderPath;
        pipeline.OrderConnections = () => rest.OrderConnectionsOpened;
        pipeline.SignedAhead = () => gateway.Presigned;

        // Before the engine thread starts (ordered before it by Start): the exchange's balances become the engine's.
        var restoredCost = reconciliation.Positions.Sum(p => p.Volume * p.AvgPrice);
        pipeline.Core.SetFreeKrw(Math.Max(0, Math.Min(reconciliation.KrwBalance, settings.Strategy.CapitalKrw - restoredCost)));
        foreach (var p in reconciliation.Positions)
        {
            var funds = p.Volume * p.AvgPrice;
            pipeline.Engine.RestorePosition(pipeline.Markets.GetOrAdd(p.Market), p.Volume, (double)p.AvgPrice, funds, funds * settings.Strategy.FeeRate);
        }

        using var stop = StopAfter(settings.MaxRuntimeSeconds, cancel);

        await JitWarmUp.ReportAsync(jit, status).ConfigureAwait(false);
        using var statusTimer = settings.StatusLines ? new Timer(_ => status.WriteLine(pipeline.StatusLine()), null, 2_000, 2_000) : null;
        pipeline.Start();
        await WarmOrderPathAsync(pipeline, gateway, rest, live, status, stop.Token).ConfigureAwait(false);
        await using var services = LiveServices.Start(pipeline, rest, settings, live, status, stop);
        var publicFeed = new UpbitFeed<PipelineFrameHandler>(live.Feed(live.WsUrl),
            SubscriptionRequest.Public(Guid.NewGuid().ToString(), [.. markets.Select(m => m.Market)]), new PipelineFrameHandler(pipeline), log: status.WriteLine);
        var privateFeed = new UpbitFeed<PipelineFrameHandler>(live.Feed(live.PrivateWsUrl, FeedSource.Private),
            SubscriptionRequest.Private(Guid.NewGuid().ToString()), new PipelineFrameHandler(pipeline), authorization: () => signer.AuthorizationHeader(""), log: status.WriteLine);
        pipeline.Engine.MarketStale = market => publicFeed.RequestReconnect($"held market {market} is silent");
        await using (publicFeed.ConfigureAwait(false))
        await using (privateFeed.ConfigureAwait(false))
        {
            var feeds = Task.WhenAll(publicFeed.RunAsync(stop.Token), privateFeed.RunAsync(stop.Token));
            try
            {
                await feeds.ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }

            // Shutdown runs on the engine thread (the answers to its exit orders arrive through the ring).
            pipeline.PublishControl(ControlCommand.Shutdown);
            await WaitForExitsAsync(pipeline, settings.FlattenOnShutdown, live.ShutdownTimeout, live.Time, status).ConfigureAwait(false);
        }

        await services.DisposeAsync().ConfigureAwait(false);
        handoff.DrainAndHalt(TimeSpan.FromSeconds(5), live.Time);
        await gateway.DisposeAsync().ConfigureAwait(false);
        return await pipeline.FinishAsync(status, 0).ConfigureAwait(false);
    }

    /// <summary>
    /// Before the feeds start: rounds of test orders down the whole order path (engine thread, gateway ring, gateway
    /// thread, signing, the order connections, <c>POST /v1/orders/test</c>), one per order connection at a time, so
    /// the first real order finds its code compiled, its caches filled and its connections open.
    /// </summary>
    private static async Task WarmOrderPathAsync(EnginePipeline pipeline, UpbitOrderGateway gateway, UpbitRestClient rest, LiveSettings live, TextWriter status, CancellationToken cancel)
    {
        if (live.OrderWarmUpRounds == 0)
        {
            return;
        }

        var started = live.Time.GetTimestamp();
        await rest.OpenOrderConnectionsAsync(cancel).ConfigureAwait(false);
        for (var round = 0; round < live.OrderWarmUpRounds && !cancel.IsCancellationRequested; round++)
        {
            var (_, answered, failed) = gateway.Tests;
            pipeline.PublishControl(ControlCommand.WarmOrderPath);
            while (gateway.Tests.Answered + gateway.Tests.Failed < answered + failed + live.OrderConnections && live.Time.GetElapsedTime(started) < TimeSpan.FromSeconds(10))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(2), live.Time, cancel).ConfigureAwait(false);
            }
        }

        var t = gateway.Tests;
        await status.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"live: order path warmed with {t.Answered} of {t.Sent} test orders answered over {rest.OrderConnectionsOpened} order connection(s) in {live.Time.GetElapsedTime(started).TotalMilliseconds:0} ms")).ConfigureAwait(false);
    }

    private static async Task WaitForExitsAsync(EnginePipeline pipeline, bool flatten, TimeSpan timeout, TimeProvider time, TextWriter status)
    {
        var started = time.GetTimestamp();
        while (time.GetElapsedTime(started) < timeout)
        {
            // Racy reads of engine state, for waiting only: the decision is the engine thread's.
            if (pipeline.Engine.IsShutDown && (!(flatten || pipeline.Engine.KillRequested) || pipeline.Core.OpenPositions == 0))
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), time, CancellationToken.None).ConfigureAwait(false);
        }

        await status.WriteLineAsync($"warning: {pipeline.Core.OpenPositions} position(s) still open after {timeout.TotalSeconds:0} s of shutdown; they stay at the exchange and the next start reconciles them").ConfigureAwait(false);
    }

    public static async Task<long> RecordAsync(LiveSettings live, string outPath, double? maxRuntimeSeconds, TextWriter status, CancellationToken cancel)
    {
        using var rest = new UpbitRestClient(live.Rest, log: status.WriteLine);
        var markets = await MarketsAsync(rest, live, cancel).ConfigureAwait(false);
        using var stop = StopAfter(maxRuntimeSeconds, cancel);

        var writer = new RecordingWriter(outPath, live.Time.GetUtcNow());
        await using (writer.ConfigureAwait(false))
        {
            var feed = new UpbitFeed<RecordingFrameHandler>(live.Feed(live.WsUrl),
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

    /// <summary>The market list into the table; warning-flagged markets are watched but never entered.</summary>
    private static void RegisterMarkets(EnginePipeline pipeline, List<MarketInfo> markets)
    {
        foreach (var m in markets)
        {
            pipeline.Core.SetMarketStatus(pipeline.Markets.GetOrAdd(m.Market), tradable: !m.IsWarning);
        }
    }

    /// <summary>A token cancelled by the caller's, or after <paramref name="maxRuntimeSeconds"/> (<c>--max-runtime</c>).</summary>
    private static CancellationTokenSource StopAfter(double? maxRuntimeSeconds, CancellationToken cancel)
    {
        var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        if (maxRuntimeSeconds is { } max)
        {
            stop.CancelAfter(TimeSpan.FromSeconds(max));
        }

        return stop;
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
