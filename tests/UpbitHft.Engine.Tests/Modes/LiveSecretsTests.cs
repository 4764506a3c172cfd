using System.CommandLine;
using Microsoft.Data.Sqlite;
using UpbitHft.Engine.Cli;
using UpbitHft.Engine.Modes;
using UpbitHft.Engine.Runtime;
using UpbitHft.Gateway.Auth;
using UpbitHft.TestSupport;
using UpbitHft.TestSupport.FakeUpbit;

namespace UpbitHft.Engine.Tests.Modes;

/// <summary>
/// The secret key never reaches a log or the journal: a live run against the fake Upbit (signed orders, the private
/// socket's JWT, reconciliation) with <c>--log-file</c> at the most verbose level, then both files are searched for it.
/// </summary>
public sealed class LiveSecretsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("upbithft-secrets-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task A_live_run_logs_to_its_file_and_journals_without_ever_writing_the_secret_key()
    {
        var minute31 = SessionScript.Minute31;
        var script = new SessionScript()
            .Surge("KRW-BTC")
            .Quiet("KRW-BTC", minute31 + 61_000, 60)
            .MoveTo("KRW-BTC", minute31 + 62_000, 501_500)
            .Quiet("KRW-BTC", minute31 + 63_000, 40, bid: 501_500).Frames;
        await using var x = await FakeUpbitExchange.StartAsync(script);
        x.WebSocket.Pace = TimeSpan.FromMilliseconds(20);
        var secret = x.Rest.Options.SecretKey;
        var logFile = Path.Combine(_dir, "engine.log");
        var journal = Path.Combine(_dir, "live.db");

        // The CLI's own option set turns --log-file and --log-level into the run's logging.
        var ops = new OperationsOptionSet();
        var command = new Command("live");
        ops.AddTo(command);
        var console = new StringWriter();
        var settings = new EngineSettings { InputPath = "live", JournalPath = journal, StatusLines = true };
        var live = new LiveSettings { RestUrl = x.Rest.BaseUrl, WsUrl = x.WebSocket.Url, PrivateWsUrl = x.PrivateUrl, ShutdownTimeout = TimeSpan.FromSeconds(10) };
        RunResult result;
        using (var operations = ops.Start(command.Parse(["--log-file", logFile, "--log-level", "Trace"]), TextWriter.Synchronized(console), TimeProvider.System))
        {
            using var stop = new CancellationTokenSource();
            var credentials = new UpbitCredentials(x.Rest.Options.AccessKey, secret);
            operations.Status.WriteLine($"live: REAL ORDERS on {live.RestUrl} with {credentials}");
            var run = LiveRunner.RunLiveAsync(settings with { Logging = operations.Logging }, live with { Operations = operations.Settings }, credentials, operations.Status, stop.Token);
            try
            {
                await Eventually.TrueAsync(() => run.IsCompleted || (x.WebSocket.Sent >= script.Count && x.Rest.Orders.Count(o => o.Side == "ask" && o.State == "done") == 1),
                    TimeSpan.FromSeconds(30), "the trade is done");
            }
            finally
            {
                await stop.CancelAsync();
            }

            result = await run.WaitAsync(TimeSpan.FromSeconds(60));
        }

        Assert.Single(result.ClosedTrades);
        var log = await File.ReadAllTextAsync(logFile);
        Assert.Contains("\"message\":\"reconcile: KRW", log, StringComparison.Ordinal); // the file has the run's records
        Assert.Contains("REAL ORDERS", log, StringComparison.Ordinal);
        Assert.Contains("\"level\":\"Information\"", log, StringComparison.Ordinal);
        Assert.Contains("reconcile: KRW", console.ToString(), StringComparison.Ordinal);

        var files = new[] { logFile, journal, journal + "-wal" }.Where(File.Exists).ToArray();
        foreach (var file in files)
        {
            var bytes = await File.ReadAllBytesAsync(file);
            Assert.True(IndexOf(bytes, System.Text.Encoding.UTF8.GetBytes(secret)) < 0, $"the secret key is in {Path.GetFileName(file)}");
        }

        Assert.DoesNotContain(secret, console.ToString(), StringComparison.Ordinal);
    }

    private static int IndexOf(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle);
}
