using System.Text.Json;
using UpbitHft.Engine.Cli;
using UpbitHft.Feed.Recording;
using UpbitHft.Feed.Replay;
using UpbitHft.TestSupport.FakeUpbit.Rest;
using UpbitHft.TestSupport.FakeUpbit.WebSocket;

namespace UpbitHft.Engine.Tests.Modes;

/// <summary>The live-data modes against the fake Upbit (REST + WebSocket on 127.0.0.1), in process.</summary>
public sealed class LiveModeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("upbithft-live-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static IEnumerable<byte[]> SessionFrames(int n)
    {
        var reader = new CaptureReader(CommandLineApp.DefaultSession);
        for (var i = 0; i < n && reader.TryReadNext(out var frame, out _); i++)
        {
            yield return frame.ToArray();
        }
    }

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        return (CommandLineApp.Run(args, stdout, stderr), stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Paper_mode_streams_the_known_markets_warms_up_from_rest_and_rejects_strangers()
    {
        await using var rest = await FakeUpbitRestServer.StartAsync();
        await using var ws = await FakeUpbitWebSocketServer.StartAsync(SessionFrames(2_000));
        var summary = Path.Combine(_dir, "s.json");
        var (code, output, error) = Run("paper", "--rest-url", rest.BaseUrl.ToString(), "--ws-url", ws.Url.ToString(), "--max-runtime", "6", "--quiet", "--summary-json", summary); // warm-up and 2,000 frames with time to spare on a loaded 2-vCPU machine
        Assert.True(code == 0, error);
        Assert.Contains("warm-up: seeded 3 markets", error, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(File.ReadAllText(summary));
        var messages = doc.RootElement.GetProperty("messages");
        Assert.Equal(2_000, messages.GetProperty("total").GetInt64());
        // The session has 12 markets; the market list has KRW-BTC, KRW-ETH, KRW-XRP: the other 9 are unknown and rejected.
        Assert.True(messages.GetProperty("rejected").GetInt64() > 1_000);
        Assert.True(messages.GetProperty("trade").GetInt64() + messages.GetProperty("orderbook").GetInt64() > 100);
        Assert.True(messages.GetProperty("other").GetInt64() >= 1); // the feed-up event
        var subscription = ws.Received.First();
        Assert.Contains("\"KRW-BTC\"", subscription, StringComparison.Ordinal);
        Assert.Contains("UpbitHft replay of ws://", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Record_then_replay_the_recording()
    {
        await using var rest = await FakeUpbitRestServer.StartAsync();
        await using var ws = await FakeUpbitWebSocketServer.StartAsync(SessionFrames(500));
        var file = Path.Combine(_dir, "live.rec");
        var (code, output, error) = Run("record", "--out", file, "--rest-url", rest.BaseUrl.ToString(), "--ws-url", ws.Url.ToString(), "--max-runtime", "2");
        Assert.True(code == 0, error);
        Assert.Contains("recorded 500 frames", output, StringComparison.Ordinal);
        Assert.True(RecordingReader.IsRecording(file));

        var summary = Path.Combine(_dir, "s.json");
        var (replayCode, _, replayError) = Run("replay", file, "--quiet", "--summary-json", summary);
        Assert.True(replayCode == 0, replayError);
        using var doc = JsonDocument.Parse(File.ReadAllText(summary));
        Assert.Equal(500, doc.RootElement.GetProperty("messages").GetProperty("total").GetInt64());
        Assert.Equal(0, doc.RootElement.GetProperty("messages").GetProperty("rejected").GetInt64());
    }

    [Fact]
    public void An_unreachable_exchange_is_a_clear_error()
    {
        var (code, _, error) = Run("record", "--out", Path.Combine(_dir, "x.rec"), "--rest-url", "http://127.0.0.1:9", "--max-runtime", "1");
        Assert.Equal(1, code);
        Assert.StartsWith("upbithft: cannot load the market list", error, StringComparison.Ordinal);
    }
}
