using System.Diagnostics;
using System.Globalization;
using UpbitHft.Engine.Decisions;
using UpbitHft.Engine.Journal;
using UpbitHft.Engine.Ring;
using UpbitHft.Feed.Events;
using UpbitHft.Feed.Markets;
using UpbitHft.Feed.Parsing;
using UpbitHft.Feed.Replay;
using UpbitHft.Gateway.Paper;

namespace UpbitHft.Engine.Host;

/// <summary>
/// Paper trading on a recorded session through the live pipeline: the replay thread reads frames and parses each
/// straight into a claimed ring slot (as the feed does), the engine thread consumes the ring (market state →
/// strategy/OCO/risk → paper exchange), and the journal writer runs behind it on its own thread.
/// </summary>
public static class ReplayRunner
{
    private const int MarketCapacity = 512;

    /// <summary>Runs the replay to the end of the file (or <see cref="EngineSettings.MaxRuntimeSeconds"/>).</summary>
    public static async Task<RunResult> RunAsync(EngineSettings settings, TextWriter status, CancellationToken cancel)
    {
        settings.Strategy.Validate();
        settings.Ring.Validate();
        var reader = new CaptureReader(settings.InputPath);
        var markets = new MarketTable(MarketCapacity);
        var parser = new UpbitMessageParser(markets, new UpbitParserOptions { AddUnknownMarkets = true });
        var core = new DecisionCore(settings.Strategy, MarketCapacity);
        var paper = new PaperExchange(MarketCapacity, new PaperExchangeOptions { InitialKrw = settings.Strategy.CapitalKrw, FeeRate = settings.Strategy.FeeRate, MinOrderKrw = settings.Strategy.MinOrderKrw });
        var journal = new JournalWriter(settings.JournalPath, settings.CandlesCsvPath);
        await using var journalScope = journal.ConfigureAwait(false);
        var engine = new TradingEngine(core, paper, markets, journal);

        var ring = RingBuffer<MarketEvent>.Create(settings.Ring with { MultiProducer = false });
        var processor = new BatchEventProcessor<MarketEvent, EngineEventHandler>(ring, ring.NewBarrier(), new EngineEventHandler(engine), "upbithft-engine", settings.Ring.OnHandlerException);
        ring.AddGatingSequences(processor.Sequence);

        var gen0 = GC.CollectionCount(0);
        var stopwatch = Stopwatch.StartNew();
        long published = 0;
        using var statusTimer = settings.StatusLines
            ? new Timer(_ => status.WriteLine(StatusLine(engine, Volatile.Read(ref published), stopwatch.Elapsed.TotalSeconds)), null, 2_000, 2_000)
            : null;

        processor.Start();
        var deadline = settings.MaxRuntimeSeconds is { } max ? max : double.MaxValue;
        Pump(reader, parser, ring, settings.RealtimePacing, stopwatch, deadline, ref published, cancel);

        if (!processor.DrainAndHalt(TimeSpan.FromSeconds(60)))
        {
            await status.WriteLineAsync("warning: the engine did not drain the ring within 60 s").ConfigureAwait(false);
        }

        // The engine thread has stopped (joined): finishing on this thread is ordered after everything it did.
        engine.Shutdown(settings.FlattenOnShutdown);
        stopwatch.Stop();
        var messages = engine.Trades + engine.Tickers + engine.Orderbooks + engine.Other;
        return new RunResult
        {
            Messages = published + reader.MalformedLines,
            Trades = engine.Trades,
            Tickers = engine.Tickers,
            Orderbooks = engine.Orderbooks,
            Other = engine.Other,
            Rejected = parser.Rejected + reader.MalformedLines,
            Orders = engine.Orders,
            ClosedTrades = engine.ClosedTrades,
            PnlKrw = core.RealizedPnlKrw,
            ElapsedSeconds = stopwatch.Elapsed.TotalSeconds,
            AllocatedBytesPerMessage = messages == 0 ? 0 : (double)engine.AllocatedBytes / messages,
            Gen0Collections = GC.CollectionCount(0) - gen0,
            TickToDecision = LatencySummary.From(engine.TickToDecision),
            TickToOrder = LatencySummary.From(engine.TickToOrder),
        };
    }

    /// <summary>The replay thread: read, parse into the claimed slot, publish — paced by the recorded times if asked.</summary>
    private static void Pump(CaptureReader reader, UpbitMessageParser parser, RingBuffer<MarketEvent> ring, bool realtime, Stopwatch clock, double deadlineSeconds, ref long published, CancellationToken cancel)
    {
        var firstTs = double.NaN;
        while (!cancel.IsCancellationRequested && clock.Elapsed.TotalSeconds < deadlineSeconds && reader.TryReadNext(out var frame, out var receiveTs))
        {
            if (realtime)
            {
                firstTs = double.IsNaN(firstTs) ? receiveTs : firstTs;
                var wait = receiveTs - firstTs - clock.Elapsed.TotalSeconds;
                if (wait > 0.001)
                {
                    Thread.Sleep(TimeSpan.FromSeconds(Math.Min(wait, 1)));
                }
            }

            // Parse straight into the claimed slot; a frame that does not parse is published as Kind=None and skipped.
            using (var claim = ring.Claim())
            {
                parser.Parse(frame, MonotonicClock.NowNs(), ref claim.Event);
            }

            Volatile.Write(ref published, published + 1);
        }
    }

    private static string StatusLine(TradingEngine engine, long published, double seconds)
    {
        var core = engine.Core;
        var handled = engine.Trades + engine.Orderbooks + engine.Tickers + engine.Other;
        return string.Create(CultureInfo.InvariantCulture,
            $"status: {handled:N0} msgs ({handled / Math.Max(seconds, 1e-9):N0}/s, {published - handled:N0} queued), candidates {core.Candidates.Length}, positions {core.OpenPositions}, orders {engine.Orders}, P&L {core.RealizedPnlKrw:N0} KRW");
    }
}
