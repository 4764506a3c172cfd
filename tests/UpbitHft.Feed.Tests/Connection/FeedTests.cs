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

    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    /// <summary>What the feed and the server saw, for a failed wait.</summary>
    private static Func<string> Seen(Collected data, FakeUpbitWebSocketServer server) => () =>
        $"frames {data.Frames.Count}; statuses [{string.Join("; ", data.Statuses)}]; connections {server.Connections}; server received [{string.Join(", ", server.Received)}]";

    /// <summary>
    /// Moves the feed's fake clock forward <paramref name="step"/> at a time until <paramref name="condition"/> holds,
    /// giving the real loopback socket a moment between steps. Timeouts, pings and backoff follow the fake clock; the
    /// bytes still travel in real time.
    /// </summary>
    private static Task AdvanceUntil(FakeTimeProvider time, TimeSpan step, Func<bool> condition, string what, Func<string> seen) =>
        Eventually.TrueAsync(
            () =>
            {
                if (condition())
                {
                    return true;
                }

                time.Advance(step);
                return false;
            },
            s_wait, what, seen);

    [Fact]
    public async Task All_real_frames_arrive_in_order_byte_for_byte_and_the_subscription_is_sent()
    {
        var frames = RealFrames(449);
        await using var server = await FakeUpbitWebSocketServer.StartAsync(frames);
        var (data, feed, run, stop) = await StartAsync(server);
        await Eventually.TrueAsync(() => data.Frames.Count >= frames.Count, s_wait, "every frame delivered", Seen(data, server));
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
        await Eventually.TrueAsync(() => data.Frames.Count >= frames.Count, s_wait, "every split frame delivered whole", Seen(data, server));
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
        await Eventually.TrueAsync(() => data.Frames.Count >= frames.Count, s_wait, "every frame delivered across the reconnect", Seen(data, server));
        await stop.CancelAsync();
        await run;
        Assert.Equal(frames, data.Frames.ToList());
        Assert.Equal(2, server.Connections);
        Assert.Equal(2, feed.Connects);
        var subscriptions = server.Received.Where(r => r != "PING").ToList();
        Assert.Equal([s_subscription, s_subscription], subscriptions); // the same set again
        Assert.Equal([FeedStatus.Up, FeedStatus.Down, FeedStatus.Up], data.Statuses.Select(s => s.Status).ToList());
        var down = data.Statuses.Single(s => s.Status == FeedStatus.Down).Reason;
        Assert.True(down.StartsWith("server closed", StringComparison.Ordinal), down); // the socket's own reason, not the pipe's
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
        await Eventually.TrueAsync(() => data.Frames.Count >= 30, s_wait, "the frames before the silence", Seen(data, server));
        Assert.Equal(1, server.Connections);
        // No PING goes out before the timeout, so nothing at all arrives: "silent", then a new connection.
        await AdvanceUntil(time, TimeSpan.FromSeconds(5), () => data.Statuses.Any(s => s.Status == FeedStatus.Down), "the silent connection declared down", Seen(data, server));
        Assert.True(time.GetUtcNow() - time.Start > options.SilenceTimeout);
        await AdvanceUntil(time, TimeSpan.FromMilliseconds(100), () => data.Frames.Count >= frames.Count, "every frame delivered on the new connection", Seen(data, server));
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
        await Eventually.TrueAsync(() => data.Frames.Count >= 30, s_wait, "the frames before the data stops", Seen(data, server));
        await Eventually.TrueAsync(
            () =>
            {
                if (data.Statuses.Any(s => s.Status == FeedStatus.Down))
                {
                    return true;
                }

                // Every PING sent is answered (over the real socket) before the clock moves on: the server provably
                // still answers while no market data flows. One step is the watchdog's tick (a quarter of the interval).
                if (Answers() >= feed.PingsSent)
                {
                    time.Advance(TimeSpan.FromSeconds(2.5));
                }

                return false;
            },
            s_wait, "the data-less connection declared down", Seen(data, server));

        Assert.True(feed.PingsSent >= 2, $"{feed.PingsSent} PINGs before the timeout");
        await AdvanceUntil(time, TimeSpan.FromMilliseconds(100), () => data.Frames.Count(f => !f.AsSpan().StartsWith("{\"status\""u8)) >= frames.Count,
            "every frame delivered on the new connection", Seen(data, server));
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
        await Eventually.TrueAsync(() => data.Frames.Count >= 20, s_wait, "the first frames", Seen(data, server));
        feed.RequestReconnect("a held market is silent");
        await Eventually.TrueAsync(() => server.Connections == 2 && data.Frames.Count >= 100, s_wait, "a second connection carrying the stream on", Seen(data, server));
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
        await Eventually.TrueAsync(() => server.Received.Count >= 1, s_wait, "the subscription", Seen(data, server));
        Assert.DoesNotContain("PING", server.Received); // not before the interval
        await AdvanceUntil(time, TimeSpan.FromSeconds(7.5), () => server.Received.Count(r => r == "PING") >= 2 && data.Frames.Any(f => f.AsSpan().SequenceEqual("{\"status\":\"UP\"}"u8)),
            "two PINGs and a status UP answer", Seen(data, server));
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
        await Eventually.TrueAsync(() => data.Frames.Count >= 4, s_wait, "the error frame and three frames", () => $"frames {data.Frames.Count}; log [{string.Join("; ", log)}]");
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
        await Eventually.TrueAsync(() => data.Frames.Count >= 20, s_wait, "every frame across the private reconnect", Seen(data, server));
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
        await Eventually.TrueAsync(() => server.Received.Count >= 1, s_wait, "the first subscription", Seen(data, server));
        var resubscribing = Task.Run(async () =>
        {
            for (var i = 0; i < 7; i++)
            {
                await feed.ResubscribeAsync(SubscriptionRequest.Public("t" + i, ["KRW-BTC", "KRW-ETH"]));
            }
        });

        // 1 initial + 4 resubscriptions fill the second; the clock stands still, so the 6th message waits.
        await Eventually.TrueAsync(() => server.Received.Count >= 5, s_wait, "five subscription messages", Seen(data, server));
        Assert.False(resubscribing.IsCompleted);
        Assert.Equal(5, server.Received.Count);
        await AdvanceUntil(time, TimeSpan.FromMilliseconds(100), () => resubscribing.IsCompleted && server.Received.Count >= 8, "all eight subscription messages", Seen(data, server));
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
