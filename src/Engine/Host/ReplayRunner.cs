using System.Diagnostics;
using UpbitHft.Feed.Replay;

namespace UpbitHft.Engine.Host;

/// <summary>
/// Paper trading on a recorded session (a JSONL capture or a binary recording) through the live pipeline: this
/// thread reads frames and parses each straight into a claimed ring slot, as the feed does.
/// </summary>
public static class ReplayRunner
{
    /// <summary>Runs the replay to the end of the file (or <see cref="EngineSettings.MaxRuntimeSeconds"/>, or cancellation).</summary>
    public static async Task<RunResult> RunAsync(EngineSettings settings, TextWriter status, CancellationToken cancel)
    {
        using var source = RecordingFrameSource.Open(settings.InputPath);
        var pipeline = new EnginePipeline(settings, addUnknownMarkets: true);
        await using var scope = pipeline.ConfigureAwait(false);
        using var statusTimer = settings.StatusLines ? new Timer(_ => status.WriteLine(pipeline.StatusLine()), null, 2_000, 2_000) : null;
        pipeline.Start();
        Pump(source, pipeline, settings.RealtimePacing, settings.MaxRuntimeSeconds ?? double.MaxValue, cancel);
        return await pipeline.FinishAsync(status, source.Unreadable).ConfigureAwait(false);
    }

    /// <summary>The replay thread: read, parse into the claimed slot, publish — paced by the recorded times if asked.</summary>
    private static void Pump(IFrameSource source, EnginePipeline pipeline, bool realtime, double deadlineSeconds, CancellationToken cancel)
    {
        var firstTs = double.NaN;
        var clock = Stopwatch.StartNew();
        while (!cancel.IsCancellationRequested && clock.Elapsed.TotalSeconds < deadlineSeconds && source.TryReadNext(out var frame, out var receiveTs))
        {
            if (realtime)
            {
                firstTs = double.IsNaN(firstTs) ? receiveTs : firstTs;
                var wait = receiveTs - firstTs - clock.Elapsed.TotalSeconds;
                if (wait > 0.001)
                {
                    Thread.Sleep(TimeSpan.FromSeconds(Math.Min(wait, 1)));
                }
            }

            // A frame that does not parse is published as Kind=None, skipped by the engine and counted by the parser.
            pipeline.Publish(frame, MonotonicClock.NowNs());
        }
    }
}
