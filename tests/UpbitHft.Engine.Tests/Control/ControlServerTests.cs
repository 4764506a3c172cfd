using UpbitHft.Engine.Tests.Logging;
using Microsoft.Data.Sqlite;
using UpbitHft.Engine.Control;
using UpbitHft.Engine.Runtime;
using UpbitHft.Engine.Execution;
using UpbitHft.Engine.Reconciliation;
using UpbitHft.Engine.Modes;
using UpbitHft.Engine.Decisions;
using UpbitHft.TestSupport;

namespace UpbitHft.Engine.Tests.Control;

/// <summary>The operator's control socket next to the journal, in process against a running engine thread.</summary>
public sealed class ControlServerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("upbithft-ctl-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Pause_resume_and_status_reach_the_engine_thread_through_an_owner_only_socket()
    {
        var journal = Path.Combine(_dir, "j.db");
        var pipeline = new EnginePipeline(new EngineSettings { InputPath = "test", JournalPath = journal, StatusLines = false }, addUnknownMarkets: true, multiProducer: true);
        await using var scope = pipeline;
        pipeline.Start();
        await using var server = ControlServer.Start(journal, pipeline, CapturingLogger.Discard());
        Assert.Equal(journal + ".ctl", server.Path);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(server.Path));
        }

        Assert.StartsWith("ok", await ControlClient.SendAsync(server.Path, "pause"), StringComparison.Ordinal);
        await Eventually.TrueAsync(() => pipeline.Core.Paused, TimeSpan.FromSeconds(5), "the engine is paused");
        Assert.StartsWith("ok", await ControlClient.SendAsync(server.Path, "resume"), StringComparison.Ordinal);
        await Eventually.TrueAsync(() => !pipeline.Core.Paused, TimeSpan.FromSeconds(5), "the engine resumed");

        var status = await ControlClient.SendAsync(server.Path, "status");
        Assert.Contains("entries allowed", status, StringComparison.Ordinal);
        Assert.Contains("positions 0", status, StringComparison.Ordinal);
        Assert.StartsWith("error", await ControlClient.SendAsync(server.Path, "launch"), StringComparison.Ordinal);

        // Two engines on one journal: the second is refused while the first answers.
        var refused = Assert.Throws<InvalidOperationException>(() => ControlServer.Start(journal, pipeline, CapturingLogger.Discard()));
        Assert.Contains("another engine", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_socket_file_left_by_a_crash_is_replaced_and_no_engine_means_a_clear_error()
    {
        var journal = Path.Combine(_dir, "k.db");
        await Assert.ThrowsAsync<IOException>(() => ControlClient.SendAsync(ControlServer.PathFor(journal), "status"));
        await File.WriteAllTextAsync(ControlServer.PathFor(journal), ""); // a stale file nobody listens on
        var pipeline = new EnginePipeline(new EngineSettings { InputPath = "test", JournalPath = journal, StatusLines = false }, addUnknownMarkets: true, multiProducer: true);
        await using var scope = pipeline;
        pipeline.Start();
        await using var server = ControlServer.Start(journal, pipeline, CapturingLogger.Discard());
        Assert.StartsWith("ok", await ControlClient.SendAsync(server.Path, "pause"), StringComparison.Ordinal);
    }
}
