using System.Buffers;
using System.Diagnostics;
using UpbitHft.Feed.Connection;
using UpbitHft.Feed.Events;
using UpbitHft.Feed.Markets;
using UpbitHft.Feed.Parsing;
using UpbitHft.Feed.Subscriptions;

namespace UpbitHft.Feed.Tests.Connection;

/// <summary>Tests that read process-wide counters run alone (no other test class allocating meanwhile).</summary>
[CollectionDefinition(nameof(RunsAlone), DisableParallelization = true)]
public sealed class RunsAlone;

/// <summary>
/// Allocation per received message on the real socket path (ClientWebSocket → pipe → framing → parse into a slot),
/// with the server in another process so that only the client is counted.
/// </summary>
[Collection(nameof(RunsAlone))]
public class FeedAllocationTests
{
    private const int Frames = 13_000;
    private const int Warmup = 3_000;
    private const int Window = 2_000;

    private sealed class Probe
    {
        public readonly UpbitMessageParser Parser = new(new MarketTable());
        public MarketEvent Slot;
        public int Seen;
        public readonly List<long> Checkpoints = new(16);
        public readonly TaskCompletionSource Done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private readonly struct ProbeHandler(Probe probe) : IFrameHandler
    {
        public void OnFrame(in ReadOnlySequence<byte> frame, long receiveTimestampNs, FeedSource source)
        {
            probe.Parser.Parse(frame, receiveTimestampNs, ref probe.Slot);
            var n = ++probe.Seen;
            if (n >= Warmup && (n - Warmup) % Window == 0)
            {
                probe.Checkpoints.Add(GC.GetTotalAllocatedBytes(precise: true)); // capacity reserved up front
            }

            if (n == Frames)
            {
                probe.Done.TrySetResult();
            }
        }

        public void OnFeedStatus(FeedSource source, FeedStatus status, string reason)
        {
        }
    }

    [Fact]
    public async Task Receiving_and_parsing_allocates_nothing_per_message_once_warm()
    {
        var host = AppContext.BaseDirectory.Replace("UpbitHft.Feed.Tests", "UpbitHft.FakeUpbit.Host", StringComparison.Ordinal);
        var hostDll = Path.Combine(host, "UpbitHft.FakeUpbit.Host.dll");
        Assert.True(File.Exists(hostDll), $"the fake Upbit host is not built: {hostDll}");
        var capture = Path.Combine(AppContext.BaseDirectory, "data", "sample-session.jsonl");
        using var server = Process.Start(new ProcessStartInfo("dotnet", $"\"{hostDll}\" \"{capture}\" {Frames}")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        })!;
        try
        {
            var url = await server.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.NotNull(url);
            using var listener = new AllocListener();
            var probe = new Probe();
            var feed = new UpbitFeed<ProbeHandler>(new FeedOptions { Url = new Uri(url!), JitterSeed = 1 }, SubscriptionRequest.Public("alloc", ["KRW-BTC"]), new ProbeHandler(probe), log: _ => { });
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var run = feed.RunAsync(stop.Token);
            await probe.Done.Task.WaitAsync(TimeSpan.FromSeconds(60));
            await stop.CancelAsync();
            await run;

            Assert.Equal(0, probe.Parser.Rejected);
            // The counter is process-wide, so other threads' bursts (the test runner, disposal of other tests' servers)
            // land in some windows; the quietest of five 2,000-message windows is the client's own rate. Any allocation
            // per message would be ≥ 24 B in every window.
            Assert.Equal(6, probe.Checkpoints.Count);
            var perMessage = probe.Checkpoints.Zip(probe.Checkpoints.Skip(1), (a, b) => b - a).Min() / (double)Window;
            Assert.True(perMessage < 2.0, $"{perMessage:F2} bytes allocated per received message; " + string.Join(", ", listener.Types.OrderByDescending(kv => kv.Value).Take(8).Select(kv => kv.Key + "=" + kv.Value)));
        }
        finally
        {
            server.StandardInput.Close();
            if (!server.WaitForExit(10_000))
            {
                server.Kill();
            }
        }
    }
}
