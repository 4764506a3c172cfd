using HdrHistogram;
using UpbitHft.Engine.Decisions;
using UpbitHft.Engine.Modes;
using UpbitHft.Engine.Runtime;
using UpbitHft.Gateway.Auth;
using UpbitHft.Gateway.RateLimits;
using UpbitHft.TestSupport.FakeUpbit;
using UpbitHft.TestSupport.FakeUpbit.Rest;

namespace UpbitHft.Benchmarks.Harnesses.Loopback;

/// <summary>
/// Wire → order against the fake exchange in its own process: after a surge, a crossed book (asks at 500,000, bids at
/// 501,500) and trades alternating 500,000 / 501,500 with no cooldown make every trade trigger exactly one order — a
/// buy, then the take-profit sell of that position, then a buy again. The fake stamps each trade frame as it starts
/// writing it and each order request as it reaches its handler; each order is paired with the last trade written
/// before it. The first order of a run is kept apart from the rest.
/// </summary>
internal static class WireToOrder
{
    public sealed record Result(LongHistogram Steady, long FirstNs, ExchangeStamps Stamps, RunResult? Engine, int FirstTrade);

    /// <summary>
    /// The session: surge, crossed book, then <paramref name="cycles"/> × (buy trigger, take-profit trigger). The trades'
    /// exchange times advance by <paramref name="paceMs"/>, the pace the fake plays them at, and the book is sent again
    /// every second of them: a live engine moves its clock on with the monotonic clock between events, so a script
    /// whose times stood still (as this one's did before) had its one book go stale after 5 s and the engine stop
    /// entering, leaving a run's later trades without an order.
    /// </summary>
    public static (List<byte[]> Frames, int FirstTrade) Script(int cycles, int paceMs = 20)
    {
        var m31 = SessionScript.Minute31;
        var script = new SessionScript().Surge("KRW-BTC").Book("KRW-BTC", m31 + 60_300, 501_500, 500_000, 10, 5);
        var firstTrade = script.Count;
        var every = Math.Max(1, 1_000 / paceMs);
        var ms = m31 + 61_000L;
        for (var i = 0; i < cycles * 2; i++)
        {
            if (i > 0 && i % every == 0)
            {
                script.Book("KRW-BTC", ms, 501_500, 500_000, 10, 5);
                ms += paceMs;
            }

            script.Trade("KRW-BTC", ms, i % 2 == 0 ? 500_000 : 501_500, 0.01m);
            ms += paceMs;
        }

        return (script.Frames, firstTrade);
    }

    public static FakeUpbitRestOptions FakeKeys { get; } = new();

    /// <summary>
    /// Pairs each order arrival with the last trade frame written before it. The first order is the first to arrive,
    /// whatever frame set it off (the engine may buy on a frame of the surge, before the scripted trades); the steady
    /// state is every later order set off by a scripted trade.
    /// </summary>
    public static (LongHistogram Steady, long FirstNs) Pair(ExchangeStamps stamps, int firstTrade)
    {
        var h = Harness.NewHistogram();
        var first = 0L;
        var sent = stamps.FrameSentNs;
        foreach (var a in stamps.OrderArrivedNs.Order())
        {
            var k = Array.FindLastIndex(sent, s => s != 0 && s <= a);
            if (k < 0)
            {
                continue;
            }

            if (first == 0)
            {
                first = a - sent[k];
            }
            else if (k >= firstTrade)
            {
                LatencyHistograms.Record(h, a - sent[k]);
            }
        }

        return (h, first);
    }

    /// <summary>
    /// The two hops outside the engine, from both processes' stamps on the shared clock, for the orders <see cref="Pair"/>
    /// counts as steady (set off by a scripted trade, the first order of the run apart): the fake starting to write the
    /// frame → the engine receiving it (the last frame written before the receive), and the engine writing the request
    /// → the fake's handler seeing it (the first arrival after the write).
    /// </summary>
    public static (LongHistogram WireIn, LongHistogram WireOut) WireHops(ExchangeStamps stamps, OrderPathStats path, int firstTrade)
    {
        var wireIn = Harness.NewHistogram();
        var wireOut = Harness.NewHistogram();
        var sent = stamps.FrameSentNs;
        var arrived = stamps.OrderArrivedNs.Order().ToArray();
        var firstIntent = path.First?.IntentId;
        foreach (var t in path.Traces().Where(t => t.ReceivedNs > 0 && t.WrittenNs > 0 && t.IntentId != firstIntent))
        {
            var k = Array.FindLastIndex(sent, s => s != 0 && s <= t.ReceivedNs);
            var a = Array.Find(arrived, x => x >= t.WrittenNs);
            if (k < firstTrade)
            {
                continue; // set off by a frame of the surge: not in the steady figures
            }

            if (k >= 0)
            {
                LatencyHistograms.Record(wireIn, t.ReceivedNs - sent[k]);
            }

            if (a > 0)
            {
                LatencyHistograms.Record(wireOut, a - t.WrittenNs);
            }
        }

        return (wireIn, wireOut);
    }

    /// <summary>One run in a few lines: wire → order, the engine's hops at p50/p99, and the connections the fake accepted.</summary>
    public static string Describe(Result r)
    {
        var c = System.Globalization.CultureInfo.InvariantCulture;
        var sb = new System.Text.StringBuilder();
        sb.AppendLine(string.Create(c, $"wire -> order: {r.Steady.TotalCount} orders, p50 {Harness.UsText(r.Steady, 50)} µs, p99 {Harness.UsText(r.Steady, 99)} µs; first {r.FirstNs / 1000.0:F0} µs"));
        sb.AppendLine(string.Create(c, $"fake: {r.Stamps.Orders} orders, {r.Stamps.Tests} test orders, {r.Stamps.Connections} connections accepted; engine order connections {r.Engine?.OrderConnections}"));
        sb.AppendLine(string.Create(c, $"entries foreseen {r.Engine?.EntriesForeseen}, signed ahead (kept / taken / dropped) {r.Engine?.SignedAhead}"));
        if (r.Engine?.OrderPath is { } path)
        {
            var (wireIn, wireOut) = WireHops(r.Stamps, path, r.FirstTrade);
            foreach (var (name, h) in path.HopHistograms().Prepend(("fake_written_to_received", wireIn)).Append(("written_to_fake_handler", wireOut)))
            {
                sb.AppendLine(string.Create(c, $"  {name}: p50 {Harness.UsText(h, 50)} µs, p99 {Harness.UsText(h, 99)} µs ({h.TotalCount})"));
            }
        }

        return sb.ToString();
    }

    /// <summary>
    /// The whole live engine (<c>live</c> mode) in this process against the fake exchange process; <paramref name="rehearse"/>
    /// false turns the gateway's signing rehearsal off, <paramref name="signAhead"/> false its signing of foreseen entries (A/B).
    /// </summary>
    public static Result Engine(int cycles, bool tls, bool rehearse = true, bool signAhead = true)
    {
        var (frames, firstTrade) = Script(cycles);
        var fx = FakeExchangeProcess.StartAsync(frames, tls: tls).GetAwaiter().GetResult();
        var journal = Path.Combine(Path.GetTempPath(), $"upbithft-loopback-{Guid.NewGuid():N}.db");
        try
        {
            var settings = new EngineSettings { InputPath = "loopback", JournalPath = journal, StatusLines = false, Strategy = new DecisionOptions { CooldownMs = 0 } };
            var live = new LiveSettings
            {
                RestUrl = fx.Rest,
                WsUrl = fx.Ws,
                PrivateWsUrl = fx.Private,
                RateLimits = new RateLimitOptions { OrderPerSecond = 1_000, DefaultPerSecond = 1_000, OrderTestPerSecond = 1_000 }, // the fake allows it; Upbit allows 8-12
                ServerCertificateValidation = fx.Validation,
                GatewayRehearsal = rehearse ? new LiveSettings().GatewayRehearsal : TimeSpan.Zero,
                SignAhead = signAhead,
            };
            using var stop = new CancellationTokenSource();
            var run = LiveRunner.RunLiveAsync(settings, live, new UpbitCredentials(FakeKeys.AccessKey, FakeKeys.SecretKey), TextWriter.Null, stop.Token);

            // Until the fake has played the whole script (or the engine stopped), then a second for the last answers.
            Task.WhenAny(fx.Played, run).Wait(TimeSpan.FromMilliseconds((frames.Count * 50) + 60_000));
            Thread.Sleep(1_000);
            stop.Cancel();
            var result = run.GetAwaiter().GetResult();
            var stamps = fx.StopAsync().GetAwaiter().GetResult();
            var (steady, first) = Pair(stamps, firstTrade);
            return new Result(steady, first, stamps, result, firstTrade);
        }
        finally
        {
            fx.DisposeAsync().AsTask().GetAwaiter().GetResult();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var f in new[] { journal, journal + "-wal", journal + "-shm" })
            {
                File.Delete(f);
            }
        }
    }
}
