using UpbitHft.Engine.Modes;
using UpbitHft.Engine.Runtime;

namespace UpbitHft.Engine.Tests.Replay;

/// <summary>
/// The replay's warm-up reads and parses the input's first frames with scratch parsers and compiles the engine
/// thread's code before the clock starts; the run itself is the same run with it or without it.
/// </summary>
public sealed class ReplayWarmUpTests : IDisposable
{
    private static readonly string s_sample = Path.Combine(AppContext.BaseDirectory, "data", "sample-session.jsonl");
    private readonly string _dir = Directory.CreateTempSubdirectory("upbithft-warmup-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void It_reads_and_parses_the_first_frames_of_the_input_and_stops_at_its_end()
    {
        Assert.Equal(ReplayWarmUp.Frames, ReplayWarmUp.ReadAndParse(s_sample, ReplayWarmUp.Frames));

        var short3 = Path.Combine(_dir, "three.jsonl");
        File.WriteAllLines(short3, File.ReadLines(s_sample).Take(3));
        Assert.Equal(3, ReplayWarmUp.ReadAndParse(short3, ReplayWarmUp.Frames));

        var empty = Path.Combine(_dir, "empty.jsonl");
        File.WriteAllText(empty, "");
        Assert.Equal(0, ReplayWarmUp.ReadAndParse(empty, ReplayWarmUp.Frames));
    }

    [Fact]
    public async Task The_run_after_it_is_the_run_without_it()
    {
        var settings = new EngineSettings { InputPath = s_sample, StatusLines = false };
        var warmed = await ReplayRunner.RunAsync(settings, TextWriter.Null, CancellationToken.None);
        var cold = await ReplayRunner.RunAsync(settings with { WarmUp = false }, TextWriter.Null, CancellationToken.None);

        Assert.Equal(13_732, warmed.Messages);
        Assert.Equal((cold.Messages, cold.Trades, cold.Orderbooks, cold.Rejected, cold.Orders), (warmed.Messages, warmed.Trades, warmed.Orderbooks, warmed.Rejected, warmed.Orders));
        Assert.Equal(cold.PnlKrw, warmed.PnlKrw);
        Assert.Equal(
            cold.ClosedTrades.Select(t => (t.Market, t.EntryPrice, t.ExitPrice, t.Volume)),
            warmed.ClosedTrades.Select(t => (t.Market, t.EntryPrice, t.ExitPrice, t.Volume)));
        Assert.Equal(5, warmed.ClosedTrades.Count);
    }

    /// <summary>
    /// <c>cat capture | upbithft replay /dev/stdin</c>: /dev/stdin is a link to a pipe. The warm-up would read the
    /// pipe's first frames, so a run whose input has no size gets none, and every frame reaches the run.
    /// </summary>
    [Fact]
    public async Task An_input_through_a_link_to_a_pipe_gets_no_warm_up_and_loses_nothing()
    {
        using var fifo = UpbitHft.TestSupport.Fifo.Create(Path.Combine(_dir, "in.fifo"), await File.ReadAllBytesAsync(s_sample));
        var link = Path.Combine(_dir, "stdin-like");
        File.CreateSymbolicLink(link, fifo.Path);
        Assert.True(new FileInfo(link).Length > 0); // the link's own size: a size check on the path alone is fooled

        var status = new StringWriter();
        var run = Task.Run(() => ReplayRunner.RunAsync(new EngineSettings { InputPath = link }, status, CancellationToken.None));
        if (await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(60))) != run)
        {
            fifo.Release();
            Assert.Fail("the replay of the pipe did not finish");
        }

        var result = await run;
        Assert.Equal((13_732L, 0L), (result.Messages, result.Rejected));
        Assert.Equal(5, result.ClosedTrades.Count);
        Assert.DoesNotContain("warm-up", status.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task It_says_what_it_did_before_the_run_and_is_silent_when_status_lines_are_off()
    {
        var status = new StringWriter();
        await ReplayRunner.RunAsync(new EngineSettings { InputPath = s_sample, MaxRuntimeSeconds = 0.01 }, status, CancellationToken.None);
        Assert.Contains("warm-up: 4,096 frames read and parsed", status.ToString(), StringComparison.Ordinal);

        var quiet = new StringWriter();
        await ReplayRunner.RunAsync(new EngineSettings { InputPath = s_sample, StatusLines = false, MaxRuntimeSeconds = 0.01 }, quiet, CancellationToken.None);
        Assert.DoesNotContain("warm-up", quiet.ToString(), StringComparison.Ordinal);
    }
}
