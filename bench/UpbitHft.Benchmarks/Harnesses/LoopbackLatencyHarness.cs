using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.Channels;
using HdrHistogram;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using UpbitHft.Engine.Decisions;
using UpbitHft.Engine.Runtime;
using UpbitHft.Engine.Execution;
using UpbitHft.Engine.Reconciliation;
using UpbitHft.Engine.Modes;
using UpbitHft.Engine.Control;
using UpbitHft.Engine.Reports;
using UpbitHft.Engine.Ring;
using UpbitHft.Feed.Connection;
using UpbitHft.Feed.Events;
using UpbitHft.Feed.Markets;
using UpbitHft.Feed.Parsing;
using UpbitHft.Feed.Subscriptions;
using UpbitHft.Gateway.Auth;
using UpbitHft.Gateway.RateLimits;
using UpbitHft.TestSupport.FakeUpbit;
using UpbitHft.TestSupport.FakeUpbit.Rest;

namespace UpbitHft.Benchmarks.Harnesses;

/// <summary>
/// Latency over loopback, all in one run so the ratios are side by side:
/// <list type="bullet">
/// <item>the machine's floors: a cache-line round trip between two threads and a loopback TCP round trip;</item>
/// <item>wire → decision: a WebSocket server on 127.0.0.1 sends trade frames at a fixed rate, stamping each frame's
/// due time (coordinated-omission correction); the client stamps when the decision core has handled it. Ours
/// (Pipelines feed → zero-allocation parser → ring → engine thread) against the common way (ClientWebSocket → string
/// → JsonSerializer → Channel&lt;T&gt; → consumer task), both running the same decision core;</item>
/// <item>wire → order: the whole live engine (<c>live</c> mode, in process) against the fake Upbit; the fake stamps
/// each trade frame it writes and each order request it receives, and every trade triggers one order.</item>
/// </list>
/// Run: <c>dotnet run -c Release --project bench/UpbitHft.Benchmarks -- loopback [rate] [seconds] [outDir]</c>.
/// </summary>
public static class LoopbackLatencyHarness
{
    private const int WarmupFrames = 5_000;

    public static string Run(int rate, int seconds, string outDir)
    {
        Directory.CreateDirectory(outDir);
        var gen0 = GC.CollectionCount(0);
        var gen1 = GC.CollectionCount(1);
        var gen2 = GC.CollectionCount(2);
        var started = DateTimeOffset.UtcNow;

        Console.Error.WriteLine("floors: cache line, loopback TCP ...");
        var cacheLine = RingLatencyHarness.CacheLine(50_000);
        var tcp = TcpRoundTrip(20_000);

        var frames = TradeFrames(WarmupFrames + (rate * seconds));
        var results = new List<(string Name, LongHistogram Histogram, int Missing)>();
        for (var round = 0; round < 2; round++)
        {
            Console.Error.WriteLine($"wire -> decision, round {round + 1}: ours ...");
            var ours = WireToDecision(frames, rate, Ours);
            Console.Error.WriteLine($"wire -> decision, round {round + 1}: baseline ...");
            var baseline = WireToDecision(frames, rate, Baseline);
            if (round == 1)
            {
                results.Add(("wire_to_decision_ours", ours.Histogram, ours.Missing));
                results.Add(("wire_to_decision_baseline", baseline.Histogram, baseline.Missing));
            }
        }

        Console.Error.WriteLine("wire -> order: the live engine against the fake Upbit ...");
        var (wireToOrder, engineToSigned, engineToDecision, orders) = WireToOrder(cycles: 300);

        var all = new List<(string Name, HistogramBase Histogram)>
        {
            ("floor_cache_line_round_trip", cacheLine),
            ("floor_loopback_tcp_round_trip", tcp),
        };
        all.AddRange(results.Select(r => (r.Name, (HistogramBase)r.Histogram)));
        all.Add(("wire_to_order_live_engine", wireToOrder));
        all.Add(("receive_to_signed_order_live_engine", engineToSigned));
        all.Add(("receive_to_decision_live_engine", engineToDecision));
        foreach (var (name, h) in all)
        {
            PerfReport.WriteHgrm(h, Path.Combine(outDir, name + ".hgrm"));
        }

        PerfReport.Plot(all.Where(a => !a.Name.StartsWith("floor_cache", StringComparison.Ordinal)), Path.Combine(outDir, "loopback-percentiles.png"), "UpbitHft loopback latency by percentile", logY: true);

        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(Provenance.Line(started));
        sb.AppendLine(string.Create(c, $"- wire → decision: {rate:N0} frames/s for {seconds} s after {WarmupFrames:N0} warm-up frames, second of two alternating rounds; GC during the whole run: gen0 {GC.CollectionCount(0) - gen0}, gen1 {GC.CollectionCount(1) - gen1}, gen2 {GC.CollectionCount(2) - gen2}"));
        sb.AppendLine(string.Create(c, $"- wire → order: {orders} orders, one per trade frame (a trade every 20 ms), fake exchange in the same process"));
        sb.AppendLine();
        sb.AppendLine("| series | count | p50 µs | p90 µs | p99 µs | p99.9 µs | max µs |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var (name, h) in all)
        {
            sb.AppendLine(string.Create(c, $"| {name} | {h.TotalCount:N0} | {Us(h, 50)} | {Us(h, 90)} | {Us(h, 99)} | {Us(h, 99.9)} | {h.GetMaxValue() / 1000.0:F1} |"));
        }

        var o = results[0].Histogram;
        var b = results[1].Histogram;
        sb.AppendLine();
        sb.AppendLine(string.Create(c, $"- ours vs baseline, wire → decision: p50 {Ratio(b, o, 50)}×, p99 {Ratio(b, o, 99)}×, p99.9 {Ratio(b, o, 99.9)}× faster (frames never handled: ours {results[0].Missing}, baseline {results[1].Missing})"));
        sb.AppendLine(string.Create(c, $"- ours wire → decision p50 = {Ratio(o, tcp, 50)}× the loopback TCP round trip; wire → order p50 = {Ratio(wireToOrder, tcp, 50)}× it"));
        return sb.ToString();
    }

    private static string Us(HistogramBase h, double p) => h.TotalCount == 0 ? "" : (h.GetValueAtPercentile(p) / 1000.0).ToString("F1", CultureInfo.InvariantCulture);

    private static string Ratio(HistogramBase num, HistogramBase den, double p) =>
        ((double)num.GetValueAtPercentile(p) / Math.Max(1, den.GetValueAtPercentile(p))).ToString("F1", CultureInfo.InvariantCulture);

    private static LongHistogram NewHistogram() => new(60_000_000_000L, 3);



    // ---- floors ---------------------------------------------------------------------------------------------------

    private static LongHistogram TcpRoundTrip(int n)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var server = Task.Run(() =>
        {
            using var s = listener.AcceptSocket();
            s.NoDelay = true;
            var buf = new byte[64];
            while (true)
            {
                var got = 0;
                while (got < buf.Length)
                {
                    var r = s.Receive(buf, got, buf.Length - got, SocketFlags.None);
                    if (r == 0)
                    {
                        return;
                    }

                    got += r;
                }

                s.Send(buf);
            }
        });
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        client.Connect(IPAddress.Loopback, port);
        var msg = new byte[64];
        var h = NewHistogram();
        for (var i = 0; i < n + 1_000; i++)
        {
            var t0 = LatencyClock.NowNs();
            client.Send(msg);
            var got = 0;
            while (got < msg.Length)
            {
                got += client.Receive(msg, got, msg.Length - got, SocketFlags.None);
            }

            if (i >= 1_000)
            {
                LatencyHistograms.Record(h, LatencyClock.NowNs() - t0);
            }
        }

        client.Shutdown(SocketShutdown.Both);
        server.Wait(TimeSpan.FromSeconds(5));
        return h;
    }

    // ---- wire → decision ------------------------------------------------------------------------------------------

    private static List<byte[]> TradeFrames(int n)
    {
        var frames = new List<byte[]>(n);
        var t0 = new DateTimeOffset(2026, 11, 2, 0, 31, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        for (var i = 0; i < n; i++)
        {
            var price = 500_000m + ((i % 7) * 500);
            frames.Add(SessionScript.TradeFrame("KRW-BTC", t0 + (i / 10), price, 0.01m + ((i % 5) * 0.001m), i));
        }

        return frames;
    }

    /// <summary>
    /// A WebSocket endpoint that, once subscribed to, writes the frames at a fixed rate. Each frame's stamp is its due
    /// time, so a late writer shows up as latency (coordinated-omission correction).
    /// </summary>
    private sealed class FixedRateSource : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private FixedRateSource(WebApplication app, long[] due)
        {
            _app = app;
            Due = due;
        }

        public long[] Due { get; }

        public Uri Url { get; private set; } = null!;

        public TaskCompletionSource Finished { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public static async Task<FixedRateSource> StartAsync(List<byte[]> frames, int rate)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            var source = new FixedRateSource(app, new long[frames.Count]);
            app.UseWebSockets();
            app.Map("/websocket/v1", async (HttpContext context) =>
            {
                using var socket = await context.WebSockets.AcceptWebSocketAsync();
                var buffer = new byte[4096];
                await socket.ReceiveAsync(buffer, CancellationToken.None); // the subscription
                var period = 1_000_000_000L / rate;
                var start = LatencyClock.NowNs() + 1_000_000;
                for (var i = 0; i < frames.Count; i++)
                {
                    var due = start + (i * period);
                    while (LatencyClock.NowNs() < due)
                    {
                        Thread.Yield();
                    }

                    source.Due[i] = due;
                    await socket.SendAsync(frames[i], WebSocketMessageType.Binary, true, CancellationToken.None);
                }

                source.Finished.TrySetResult();
                try
                {
                    await socket.ReceiveAsync(buffer, CancellationToken.None); // until the client goes
                }
                catch (WebSocketException)
                {
                }
            });
            await app.StartAsync();
            var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
            source.Url = new UriBuilder(address) { Scheme = "ws", Path = "/websocket/v1" }.Uri;
            return source;
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private static (LongHistogram Histogram, int Missing) WireToDecision(List<byte[]> frames, int rate, Func<Uri, long[], Task<Action>> client)
    {
        var handled = new long[frames.Count];
        var source = FixedRateSource.StartAsync(frames, rate).GetAwaiter().GetResult();
        try
        {
            var stop = client(source.Url, handled).GetAwaiter().GetResult();
            source.Finished.Task.Wait(TimeSpan.FromSeconds(120));
            Thread.Sleep(500);
            stop();
        }
        finally
        {
            source.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        var h = NewHistogram();
        var missing = 0;
        for (var i = WarmupFrames; i < frames.Count; i++)
        {
            if (Volatile.Read(ref handled[i]) == 0)
            {
                missing++;
                continue;
            }

            LatencyHistograms.Record(h, handled[i] - source.Due[i]);
        }

        return (h, missing);
    }

    private readonly struct FeedToRing(UpbitMessageParser parser, RingBuffer<MarketEvent> ring) : IFrameHandler
    {
        public void OnFrame(in ReadOnlySequence<byte> frame, long receiveTimestampNs, FeedSource source)
        {
            using var claim = ring.Claim();
            parser.Parse(frame, receiveTimestampNs, ref claim.Event);
        }

        public void OnFeedStatus(FeedSource source, FeedStatus status, string reason)
        {
        }
    }

    private readonly struct DecideAndStamp(DecisionCore core, ActionBuffer actions, long[] handled) : IEventHandler<MarketEvent>
    {
        public void OnEvent(ref MarketEvent ev, long sequence, bool endOfBatch)
        {
            if (ev.Kind == MarketEventKind.Trade)
            {
                core.OnTrade(ev.MarketId, ev.TradeTimestampMs, ev.Price, ev.Volume, actions);
                actions.Clear();
                Volatile.Write(ref handled[ev.SequentialId], LatencyClock.NowNs());
            }
        }

        public void OnStart()
        {
        }

        public void OnShutdown()
        {
        }
    }

    /// <summary>Ours: the engine's feed (Pipelines) → zero-allocation parser → ring → engine thread running the decision core.</summary>
    private static async Task<Action> Ours(Uri url, long[] handled)
    {
        var markets = new MarketTable(16);
        markets.GetOrAdd("KRW-BTC");
        var parser = new UpbitMessageParser(markets, new UpbitParserOptions { AddUnknownMarkets = false });
        var ring = RingBuffer<MarketEvent>.Create(new RingOptions { Size = 16_384, WaitStrategy = WaitStrategyKind.Yielding, MultiProducer = false });
        var processor = new BatchEventProcessor<MarketEvent, DecideAndStamp>(ring, ring.NewBarrier(), new DecideAndStamp(new DecisionCore(new DecisionOptions(), 16), new ActionBuffer(), handled), "bench-engine");
        ring.AddGatingSequences(processor.Sequence);
        processor.Start();
        var feed = new UpbitFeed<FeedToRing>(new FeedOptions { Url = url }, SubscriptionRequest.Public("bench", ["KRW-BTC"]), new FeedToRing(parser, ring), log: _ => { });
        var stop = new CancellationTokenSource();
        var run = feed.RunAsync(stop.Token);
        await Task.Yield();
        return () =>
        {
            stop.Cancel();
            run.Wait(TimeSpan.FromSeconds(10));
            feed.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(10));
            processor.DrainAndHalt(TimeSpan.FromSeconds(10));
            stop.Dispose();
        };
    }

    /// <summary>A trade as the common way declares it.</summary>
    public sealed class TradeDto
    {
        [JsonPropertyName("type")] public string? Type { get; set; }
        [JsonPropertyName("code")] public string? Code { get; set; }
        [JsonPropertyName("trade_price")] public double TradePrice { get; set; }
        [JsonPropertyName("trade_volume")] public double TradeVolume { get; set; }
        [JsonPropertyName("trade_timestamp")] public long TradeTimestamp { get; set; }
        [JsonPropertyName("ask_bid")] public string? AskBid { get; set; }
        [JsonPropertyName("sequential_id")] public long SequentialId { get; set; }
    }

    /// <summary>The common way: ClientWebSocket → UTF-8 string → JsonSerializer → Channel&lt;T&gt; → a consumer task running the same decision core.</summary>
    private static async Task<Action> Baseline(Uri url, long[] handled)
    {
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(url, CancellationToken.None);
        await socket.SendAsync(Encoding.UTF8.GetBytes(SubscriptionRequest.Public("bench", ["KRW-BTC"])), WebSocketMessageType.Text, true, CancellationToken.None);
        var channel = Channel.CreateUnbounded<TradeDto>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var ids = new Dictionary<string, int>(StringComparer.Ordinal) { ["KRW-BTC"] = 0 };
        var core = new DecisionCore(new DecisionOptions(), 16);
        var actions = new ActionBuffer();
        var consumer = Task.Run(async () =>
        {
            await foreach (var t in channel.Reader.ReadAllAsync())
            {
                core.OnTrade(ids[t.Code!], t.TradeTimestamp, t.TradePrice, t.TradeVolume, actions);
                actions.Clear();
                Volatile.Write(ref handled[t.SequentialId], LatencyClock.NowNs());
            }
        });
        var options = new JsonSerializerOptions();
        var stop = new CancellationTokenSource();
        var receiver = Task.Run(async () =>
        {
            var buffer = new byte[64 * 1024];
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    var count = 0;
                    ValueWebSocketReceiveResult r;
                    do
                    {
                        r = await socket.ReceiveAsync(buffer.AsMemory(count), stop.Token);
                        count += r.Count;
                    }
                    while (!r.EndOfMessage);
                    var text = Encoding.UTF8.GetString(buffer, 0, count);
                    var dto = JsonSerializer.Deserialize<TradeDto>(text, options);
                    if (dto is { Type: "trade" })
                    {
                        channel.Writer.TryWrite(dto);
                    }
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
            {
            }
        });
        return () =>
        {
            stop.Cancel();
            receiver.Wait(TimeSpan.FromSeconds(10));
            channel.Writer.TryComplete();
            consumer.Wait(TimeSpan.FromSeconds(10));
            socket.Abort();
            socket.Dispose();
            stop.Dispose();
        };
    }

    // ---- wire → order -----------------------------------------------------------------------------------------------

    /// <summary>
    /// The live engine in process against the fake Upbit. After a surge, a crossed book (asks at 500,000, bids at
    /// 501,500) and trades alternating 500,000 / 501,500 with no cooldown make every trade trigger exactly one order: a
    /// buy, then the take-profit sell, then a buy again. The fake stamps each trade frame it writes and each order
    /// request that reaches it; each order is paired with the last trade written before it.
    /// </summary>
    private static (LongHistogram WireToOrder, HistogramBase EngineToSigned, HistogramBase EngineToDecision, int Orders) WireToOrder(int cycles)
    {
        var m31 = SessionScript.Minute31;
        var script = new SessionScript().Surge("KRW-BTC").Book("KRW-BTC", m31 + 60_300, 501_500, 500_000, 10, 5);
        var firstTrade = script.Count;
        for (var i = 0; i < cycles * 2; i++)
        {
            script.Trade("KRW-BTC", m31 + 61_000 + i, i % 2 == 0 ? 500_000 : 501_500, 0.01m);
        }

        var limits = new Dictionary<string, int>(StringComparer.Ordinal) { ["market"] = 100, ["candle"] = 100, ["orderbook"] = 100, ["ticker"] = 100, ["default"] = 1_000, ["order"] = 1_000 };
        var x = FakeUpbitExchange.StartAsync(script.Frames, new FakeUpbitRestOptions { Limits = limits }).GetAwaiter().GetResult();
        var sent = new long[script.Count];
        var index = 0;
        var follow = x.WebSocket.OnSending;
        x.WebSocket.OnSending = frame =>
        {
            follow?.Invoke(frame);
            sent[index++] = LatencyClock.NowNs(); // frames go out one at a time, in order
        };
        var arrivals = new List<long>();
        x.Rest.OrderRequestArrived = () =>
        {
            var now = LatencyClock.NowNs();
            lock (arrivals)
            {
                arrivals.Add(now);
            }
        };
        x.WebSocket.Pace = TimeSpan.FromMilliseconds(20);
        var journal = Path.Combine(Path.GetTempPath(), $"upbithft-loopback-{Guid.NewGuid():N}.db");
        try
        {
            var settings = new EngineSettings { InputPath = "loopback", JournalPath = journal, StatusLines = false, Strategy = new DecisionOptions { CooldownMs = 0 } };
            var live = new LiveSettings
            {
                RestUrl = x.Rest.BaseUrl,
                WsUrl = x.WebSocket.Url,
                PrivateWsUrl = x.PrivateUrl,
                RateLimits = new RateLimitOptions { OrderPerSecond = 1_000, DefaultPerSecond = 1_000 }, // the fake allows it; Upbit allows 8-12
            };
            using var stop = new CancellationTokenSource();
            var run = LiveRunner.RunLiveAsync(settings, live, new UpbitCredentials(x.Rest.Options.AccessKey, x.Rest.Options.SecretKey), TextWriter.Null, stop.Token);
            while (x.WebSocket.Sent < script.Count && !run.IsCompleted)
            {
                Thread.Sleep(100);
            }

            Thread.Sleep(1_000);
            stop.Cancel();
            var result = run.GetAwaiter().GetResult();

            var h = NewHistogram();
            long[] orderTimes;
            lock (arrivals)
            {
                orderTimes = [.. arrivals];
            }

            foreach (var a in orderTimes)
            {
                var k = Array.FindLastIndex(sent, s => s != 0 && s <= a);
                if (k >= firstTrade)
                {
                    LatencyHistograms.Record(h, a - sent[k]);
                }
            }

            return (h, result.TickToOrderHistogram, result.TickToDecisionHistogram, orderTimes.Length);
        }
        finally
        {
            x.DisposeAsync().AsTask().GetAwaiter().GetResult();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var f in new[] { journal, journal + "-wal", journal + "-shm" })
            {
                File.Delete(f);
            }
        }
    }
}
