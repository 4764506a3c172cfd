using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using UpbitHft.Feed.Connection;
using UpbitHft.Feed.Subscriptions;
using UpbitHft.TestSupport;
using UpbitHft.TestSupport.FakeUpbit.WebSocket;

namespace UpbitHft.Feed.Tests.Connection;

public sealed class Collected
{
    public ConcurrentQueue<byte[]> Frames { get; } = new();
    public ConcurrentQueue<(FeedStatus Status, string Reason)> Statuses { get; } = new();
    public long LastReceiveNs;
}

public struct CollectingHandler(Collected into) : IFrameHandler
{
    public readonly void OnFrame(in ReadOnlySequence<byte> frame, long receiveTimestampNs, FeedSource source)
    {
        into.Frames.Enqueue(frame.ToArray());
        into.LastReceiveNs = receiveTimestampNs;
    }

    public readonly void OnFeedStatus(FeedSource source, FeedStatus status, string reason) => into.Statuses.Enqueue((status, reason));
}

public class FeedTests
{
    private static readonly string s_dir = Path.Combine(AppContext.BaseDirectory, "TestData", "Samples");
    private static readonly string s_subscription = SubscriptionRequest.Public("test-ticket", ["KRW-LAMB", "KRW-WAVES"]);

    private static List<byte[]> RealFrames(int n) => [.. SampleFrames.Load(s_dir, "upbit-simple-2021-04-17.jsonl").Take(n).Select(f => f.Bytes)];

    private static async Task<(Collected Data, UpbitFeed<CollectingHandler> Feed, Task Run, CancellationTokenSource Stop)> StartAsync(FakeUpbitWebSocketServer server, FeedOptions? options = null, Func<string?>? auth = null, TimeProvider? time = null)
    {
        var data = new Collected();
        var feed = new UpbitFeed<CollectingHandler>(options ?? new FeedOptions { Url = server.Url, ReconnectMinDelay = TimeSpan.FromMilliseconds(50), JitterSeed = 1 },
            s_subscription, new CollectingHandler(data), auth, _ => { }, time);
        var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var run = feed.RunAsync(stop.Token);
        await Task.Yield();
        return (data, feed, run, stop);
    }

    private static async Task WaitUntil(Func<bool> condition, int timeoutMs = 10_000)
    {
        var deadline = Environment.TickCount64 + timeoutMs;
        while (!condition())
        {
            Assert.True(Environment.TickCount64 < deadline, "condition not reached in time");
            await Task.Delay(10);
        }
    }

    /// <summary>
    /// Moves the feed's fake clock forward <paramref name="step"/> at a time until <paramref name="condition"/> holds,
    /// giving the real loopback socket a moment between steps. Timeouts, pings and backoff follow the fake clock; the
    /// bytes still travel in real time.
    /// </summary>
    private static async Task AdvanceUntil(FakeTimeProvider time, TimeSpan step, Func<bool> condition, int timeoutMs = 10_000)
    {
        var deadline = Environment.TickCount64 + timeoutMs;
        while (!condition())
        {
            Assert.True(Environment.TickCount64 < deadline, "condition not reached in time");
            time.Advance(step);
            await Task.Delay(5);
        }
    }

    [Fact]
    public async Task All_real_frames_arrive_in_order_byte_for_byte_and_the_subscription_is_sent()
    {
        var frames = RealFrames(449);
        await using var server = await FakeUpbitWebSocketServer.StartAsync(frames);
        var (data, feed, run, stop) = await StartAsync(server);
        await WaitUntil(() => data.Frames.Count >= frames.Count);
        await stop.CancelAsync();
        await run;
        Assert.Equal(frames, data.Frames.ToList());
        Assert.Equal(s_subscription, server.Received.First());
        Assert.Equal(FeedStatus.Up, data.Statuses.First().Status);
        Assert.True(data.LastReceiveNs > 0);
        await feed.DisposeAsync();
    }

    [Fact]
    public async Task A_message_split_across_many_websocket_frames_arrives_whole()
    {
        var frames = RealFrames(60);
        await using var server = await FakeUpbitWebSocketServer.StartAsync(frames);
        server.SplitFramesAt = 7;
        var (data, _, run, stop) = await StartAsync(server);
        await WaitUntil(() => data.Frames.Count >= frames.Count);
        await stop.CancelAsync();
        await run;
        Assert.Equal(frames, data.Frames.ToList());
    }

    [Fact]
    public async Task A_server_close_mid_stream_reconnects_resubscribes_and_resumes()
    {
        var frames = RealFrames(200);
        await using var server = await FakeUpbitWebSocketServer.StartAsync(frames);
        server.CloseFirstConnectionAfter = 50;
        var (data, feed, run, stop) = await StartAsync(server);
        await WaitUntil(() => data.Frames.Count >= frames.Count);
        await stop.CancelAsync();
        await run;
        Assert.Equal(frames, data.Frames.ToList());
        Assert.Equal(2, server.Connections);
        Assert.Equal(2, feed.Connects);
        var subscriptions = server.Received.Where(r => r != "PING").ToList();
        Assert.Equal([s_subscription, s_subscription], subscriptions); // the same set again
        Assert.Equal([FeedStatus.Up, FeedStatus.Down, FeedStatus.Up], data.Statuses.Select(s => s.Status).ToList());
    }

    [Fact]
    public async Task A_silent_connection_is_detected_and_replaced()
    {
        var frames = RealFrames(100);
        await using var server = await FakeUpbitWebSocketServer.StartAsync(frames);
        server.SilenceFirstConnectionAfter = 30;
        var time = new FakeTimeProvider();
        var options = new FeedOptions { Url = server.Url, SilenceTimeout = TimeSpan.FromSeconds(30), PingInterval = TimeSpan.FromMinutes(10), ReconnectMinDelay = TimeSpan.FromMilliseconds(50), JitterSeed = 1 };
        var (data, _, run, stop) = await StartAsync(server, options, time: time);
        await WaitUntil(() => data.Frames.Count >= 30);
        Assert.Equal(1, server.Connections);
        // No PING goes out before the timeout, so nothing at all arrives: "silent", then a new connection.
        await AdvanceUntil(time, TimeSpan.FromSeconds(5), () => data.Statuses.Any(s => s.Status == FeedStatus.Down));
        Assert.True(time.GetUtcNow() - time.Start > options.SilenceTimeout);
        await AdvanceUntil(time, TimeSpan.FromMilliseconds(100), () => data.Frames.Count >= frames.Count);
        await stop.CancelAsync();
        await run;
        Assert.Equal(frames, data.Frames.ToList());
        Assert.Contains(data.Statuses, s => s.Status == FeedStatus.Down && s.Reason.Contains("silent", StringComparison.Ordinal));
        Assert.Equal(2, server.Connections);
    }

    [Fact]
    public async Task A_public_socket_that_answers_pings_but_carries_no_data_is_replaced()
    {
        var frames = RealFrames(100);
        await using var server = await FakeUpbitWebSocketServer.StartAsync(frames);
        server.SilenceFirstConnectionAfter = 30; // the server keeps answering PING with {"status":"UP"}
        var time = new FakeTimeProvider();
        var options = new FeedOptions { Url = server.Url, SilenceTimeout = TimeSpan.FromSeconds(30), PingInterval = TimeSpan.FromSeconds(10), ReconnectMinDelay = TimeSpan.FromMilliseconds(50), JitterSeed = 1 };
        var (data, feed, run, stop) = await StartAsync(server, options, time: time);
        int Answers() => data.Frames.Count(f => f.AsSpan().StartsWith("{\"status\""u8));
        await WaitUntil(() => data.Frames.Count >= 30);
        while (!data.Statuses.Any(s => s.Status == FeedStatus.Down))
        {
            // Every PING sent is answered (over the real socket) before the clock moves on: the server provably
            // still answers while no market data flows. One step is the watchdog's tick (a quarter of the interval).
            await WaitUntil(() => Answers() >= feed.PingsSent || data.Statuses.Any(s => s.Status == FeedStatus.Down));
            time.Advance(TimeSpan.FromSeconds(2.5));
            await Task.Delay(5);
        }

        Assert.True(feed.PingsSent >= 2, $"{feed.PingsSent} PINGs before the timeout");
        await AdvanceUntil(time, TimeSpan.FromMilliseconds(100), () => data.Frames.Count(f => !f.AsSpan().StartsWith("{\"status\""u8)) >= frames.Count);
        await stop.CancelAsync();
        await run;
        Assert.Contains(data.Statuses, s => s.Status == FeedStatus.Down && s.Reason.Contains("no market data", StringComparison.Ordinal));
        Assert.Equal(2, server.Connections);
    }

    [Fact]
    public async Task A_requested_reconnect_replaces_the_connection_and_the_stream_goes_on()
    {
        var frames = RealFrames(300);
        await using var server = await FakeUpbitWebSocketServer.StartAsync(frames);
        server.Pace = TimeSpan.FromMilliseconds(1);
        var (data, feed, run, stop) = await StartAsync(server);
        await WaitUntil(() => data.Frames.Count >= 20);
        feed.RequestReconnect("a held market is silent");
        await WaitUntil(() => server.Connections == 2 && data.Frames.Count >= 100);
        await stop.CancelAsync();
        await run;
        Assert.Contains(data.Statuses, s => s.Status == FeedStatus.Down);
        Assert.Equal(FeedStatus.Up, data.Statuses.Last().Status);
    }

    [Fact]
    public async Task Keep_alive_ping_is_sent_when_idle_and_status_up_comes_back()
    {
        await using var server = await FakeUpbitWebSocketServer.StartAsync([]);
        var time = new FakeTimeProvider();
        var options = new FeedOptions { Url = server.Url, PingInterval = TimeSpan.FromSeconds(30), SilenceTimeout = TimeSpan.FromMinutes(10), JitterSeed = 1 };
        var (data, feed, run, stop) = await StartAsync(server, options, time: time);
        await WaitUntil(() => server.Received.Count >= 1);
        Assert.DoesNotContain("PING", server.Received); // not before the interval
        await AdvanceUntil(time, TimeSpan.FromSeconds(7.5), () => server.Received.Count(r => r == "PING") >= 2 && data.Frames.Any(f => f.AsSpan().SequenceEqual("{\"status\":\"UP\"}"u8)));
        Assert.True(time.GetUtcNow() - time.Start >= 2 * options.PingInterval);
        await stop.CancelAsync();
        await run;
        Assert.True(feed.PingsSent >= 2);
    }

    [Fact]
    public async Task Error_frames_are_surfaced_not_swallowed()
    {
        var error = Encoding.UTF8.GetBytes("{\"error\":{\"name\":\"INVALID_PARAM\",\"message\":\"nope 은 지원하지 않는 타입입니다.\"}}");
        await using var server = await FakeUpbitWebSocketServer.StartAsync([error, .. RealFrames(3)]);
        var log = new ConcurrentQueue<string>();
        var data = new Collected();
        var feed = new UpbitFeed<CollectingHandler>(new FeedOptions { Url = server.Url, JitterSeed = 1 }, s_subscription, new CollectingHandler(data), log: log.Enqueue);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var run = feed.RunAsync(stop.Token);
        await WaitUntil(() => data.Frames.Count >= 4);
        await stop.CancelAsync();
        await run;
        Assert.Equal(1, feed.ErrorFrames);
        Assert.Contains(log, l => l.Contains("INVALID_PARAM", StringComparison.Ordinal) && l.Contains("지원하지", StringComparison.Ordinal));
        Assert.Equal(error, data.Frames.First()); // and the frame itself reaches the handler (the parser makes it an Error event)
    }

    [Fact]
    public async Task The_private_socket_sends_a_fresh_authorization_header_on_every_connect()
    {
        await using var server = await FakeUpbitWebSocketServer.StartAsync(RealFrames(20));
        server.CloseFirstConnectionAfter = 5;
        var n = 0;
        var (data, _, run, stop) = await StartAsync(server, new FeedOptions { Url = new Uri(server.Url, "/websocket/v1/private"), Source = FeedSource.Private, ReconnectMinDelay = TimeSpan.FromMilliseconds(50), JitterSeed = 1 },
            () => "Bearer token-" + Interlocked.Increment(ref n));
        await WaitUntil(() => data.Frames.Count >= 20);
        await stop.CancelAsync();
        await run;
        Assert.Equal(["Bearer token-1", "Bearer token-2"], server.AuthorizationHeaders.ToList());
    }

    [Fact]
    public async Task Resubscribing_sends_the_whole_set_and_never_more_than_5_messages_a_second()
    {
        await using var server = await FakeUpbitWebSocketServer.StartAsync([]);
        var time = new FakeTimeProvider();
        var (data, feed, run, stop) = await StartAsync(server, time: time);
        await WaitUntil(() => server.Received.Count >= 1);
        var resubscribing = Task.Run(async () =>
        {
            for (var i = 0; i < 7; i++)
            {
                await feed.ResubscribeAsync(SubscriptionRequest.Public("t" + i, ["KRW-BTC", "KRW-ETH"]));
            }
        });

        // 1 initial + 4 resubscriptions fill the second; the clock stands still, so the 6th message waits.
        await WaitUntil(() => server.Received.Count >= 5);
        Assert.False(resubscribing.IsCompleted);
        Assert.Equal(5, server.Received.Count);
        await AdvanceUntil(time, TimeSpan.FromMilliseconds(100), () => resubscribing.IsCompleted && server.Received.Count >= 8);
        await resubscribing;
        var elapsed = time.GetUtcNow() - time.Start;
        await stop.CancelAsync();
        await run;
        Assert.True(elapsed >= TimeSpan.FromSeconds(1), $"8 subscription messages went out in {elapsed.TotalMilliseconds} ms");
        Assert.Equal(SubscriptionRequest.Public("t6", ["KRW-BTC", "KRW-ETH"]), server.Received.Last());
        Assert.DoesNotContain(data.Statuses, s => s.Status == FeedStatus.Down);
    }

    [Fact]
    public void Subscription_requests_follow_the_documented_shape()
    {
        Assert.Equal("""[{"ticket":"t"},{"type":"ticker","codes":["KRW-BTC"]},{"type":"trade","codes":["KRW-BTC"]},{"type":"orderbook","codes":["KRW-BTC.15"]},{"format":"SIMPLE"}]""",
            SubscriptionRequest.Public("t", ["KRW-BTC"], StreamFormat.Simple, 15));
        Assert.Equal("""[{"ticket":"t"},{"type":"myOrder"},{"type":"myAsset"},{"format":"DEFAULT"}]""", SubscriptionRequest.Private("t", StreamFormat.Default));
        Assert.Throws<ArgumentException>(() => SubscriptionRequest.Public("t", []));
        Assert.Throws<ArgumentOutOfRangeException>(() => SubscriptionRequest.Public("t", ["KRW-BTC"], orderbookDepth: 7));
        Assert.Throws<ArgumentException>(() => new FeedOptions { Url = new Uri("https://x") }.Validate());
    }
}
