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

namespace UpbitHft.Benchmarks.Harnesses.Loopback;

/// <summary>
/// The machine's floors (a loopback TCP round trip; the cache-line floor is <see cref="RingLatencyHarness.CacheLine"/>)
/// and wire → decision: a WebSocket server on 127.0.0.1 writes trade frames at a fixed rate, stamping each frame's due
/// time (coordinated-omission correction); the client stamps when the decision core has handled it. Ours (Pipelines
/// feed → zero-allocation parser → ring → engine thread) against the common way (ClientWebSocket → string →
/// JsonSerializer → Channel&lt;T&gt; → consumer task), both running the same decision core.
/// </summary>
internal static class WireToDecision
{
    public const int WarmupFrames = 5_000;

    private static LongHistogram NewHistogram() => Harness.NewHistogram();

    // ---- floors ---------------------------------------------------------------------------------------------------

    public static LongHistogram TcpRoundTrip(int n)
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

    public static List<byte[]> TradeFrames(int n)
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

    public static (LongHistogram Histogram, int Missing) Measure(List<byte[]> frames, int rate, Func<Uri, long[], Task<Action>> client)
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
    public static async Task<Action> Ours(Uri url, long[] handled)
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
    public static async Task<Action> Baseline(Uri url, long[] handled)
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
                    var text = await Harness.ReceiveTextAsync(socket, buffer, stop.Token);
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
}
