using UpbitHft.Feed.Events;
using UpbitHft.Feed.Replay;
using UpbitHft.Engine.Runtime;

namespace UpbitHft.Engine.Modes;

/// <summary>
/// Paper trading on a recorded session (a JSONL capture or a binary recording) through the live pipeline: this
/// thread reads frames and parses each straight into a claimed ring slot, as the feed does.
/// </summary>
public static class ReplayRunner
{
    /// <summary>Runs the replay to the end of the file (or <see cref="EngineSettings.MaxRuntimeSeconds"/>, or cancellation).</summary>
    /// <param name="settings">The run's settings.</param>
    /// <param name="status">Where status lines go.</param>
    /// <param name="cancel">Stops the replay early.</param>
    /// <param name="beforeStart">Called with the pipeline before its engine thread starts (a harness attaching to it); null for none.</param>
    public static async Task<RunResult> RunAsync(EngineSettings settings, TextWriter status, CancellationToken cancel, Action<EnginePipeline>? beforeStart = null)
    {
        using var source = RecordingFrameSource.Open(settings.InputPath);
        settings.Strategy.Validate(); // an invalid run fails before the warm-up, not after it (the pipeline checks again)
        settings.Ring.Validate();

        // Only an input with a size (a file): a pipe's first frames would go to the warm-up, not to the run.
        if (settings.WarmUp && source.TotalBytes > 0 && !cancel.IsCancellationRequested)
        {
            await WarmUpAsync(settings, status).ConfigureAwait(false);
        }

        var pipeline = new EnginePipeline(settings, addUnknownMarkets: true);
        await using var scope = pipeline.ConfigureAwait(false);
        // An interactive terminal gets a progress line rewritten in place; a redirected one the periodic status lines.
        var interactive = settings.StatusLines && !Console.IsErrorRedirected && ReferenceEquals(status, Console.Error);
        using var statusTimer = settings.StatusLines && !interactive ? new Timer(_ => status.WriteLine(pipeline.StatusLine()), null, 2_000, 2_000) : null;
        using var progress = interactive ? new ReplayProgress(status, source, () => Volatile.Read(ref pipeline.Published), settings.Time) : null;
        pipeline.FullSpeed = settings.FixedRate is null && !settings.RealtimePacing;
        beforeStart?.Invoke(pipeline);
        pipeline.Start();
        if (settings.FixedRate is { } rate)
        {
            PumpAtRate(source, pipeline, rate, settings.MaxRuntimeSeconds ?? double.MaxValue, cancel);
        }
        else
        {
            Pump(source, pipeline, settings.RealtimePacing, settings.MaxRuntimeSeconds ?? double.MaxValue, settings.Time, cancel);
        }

        return await pipeline.FinishAsync(status, source.Unreadable).ConfigureAwait(false);
    }

    /// <summary>Runs <see cref="ReplayWarmUp"/> and says what it did; a warm-up that fails is reported, and the run goes on cold.</summary>
    private static async Task WarmUpAsync(EngineSettings settings, TextWriter status)
    {
        string line;
        try
        {
            var (frames, compiled, took) = ReplayWarmUp.Run(settings);
            line = string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"warm-up: {frames:N0} frames read and parsed, {compiled:N0} methods of the engine thread compiled, in {took.TotalMilliseconds:0} ms (before the clock)");
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // An optimisation only: the run then compiles its code on first use, inside its clock.
            line = $"warm-up: failed ({ex.GetType().Name}: {ex.Message}); the run compiles its code as it goes";
        }

        if (settings.StatusLines)
        {
            await status.WriteLineAsync(line).ConfigureAwait(false);
        }
    }

    /// <summary>How long before a frame's due time a paced replay stops sleeping and spins (a wake-up is late by up to this).</summary>
    private const long SleepMarginNs = 400_000;

    /// <summary>
    /// Fixed-rate pumping for latency measurement: frame i is due at start + i / rate; the replay thread waits for that
    /// moment (asleep while it is more than 0.5 ms away, then spinning and yielding) and stamps the frame with it, so
    /// any lateness, its own included, counts against the pipeline.
    /// </summary>
    private static void PumpAtRate(IFrameSource source, EnginePipeline pipeline, double rate, double deadlineSeconds, CancellationToken cancel)
    {
        var intervalNs = 1e9 / rate;
        var startNs = LatencyClock.NowNs();
        var deadlineNs = deadlineSeconds < 1e9 ? startNs + (long)(deadlineSeconds * 1e9) : long.MaxValue;
        long i = 0;
        while (!cancel.IsCancellationRequested && source.TryReadNext(out var frame, out _))
        {
            var dueNs = startNs + (long)(i++ * intervalNs);
            if (dueNs > deadlineNs)
            {
                break;
            }

            // A frame due more than SleepMarginNs ahead is waited for asleep (the core is the engine's meanwhile, as a
            // socket reader's would be), the rest spinning, so the frame is still published on time.
            var aheadNs = dueNs - LatencyClock.NowNs();
            if (aheadNs > SleepMarginNs + 100_000)
            {
                Thread.Sleep(TimeSpan.FromTicks((aheadNs - SleepMarginNs) / 100));
            }

            var spinner = default(SpinWait);
            while (LatencyClock.NowNs() < dueNs)
            {
                spinner.SpinOnce(sleep1Threshold: -1);
            }

            pipeline.Publish(frame, dueNs);
        }
    }

    /// <summary>The replay thread: read, parse into the claimed slot, publish — paced by the recorded times if asked.</summary>
    private static void Pump(IFrameSource source, EnginePipeline pipeline, bool realtime, double deadlineSeconds, TimeProvider time, CancellationToken cancel)
    {
        var started = time.GetTimestamp();
        if (!realtime)
        {
            // Full speed: batches of frames parsed into claimed slots and published together.
            while (!cancel.IsCancellationRequested && pipeline.PublishBatch(source) > 0 && (deadlineSeconds > 1e9 || time.GetElapsedTime(started).TotalSeconds < deadlineSeconds))
            {
            }

            return;
        }

        var firstTs = double.NaN;
        while (!cancel.IsCancellationRequested && time.GetElapsedTime(started).TotalSeconds < deadlineSeconds && source.TryReadNext(out var frame, out var receiveTs))
        {
            if (realtime)
            {
                firstTs = double.IsNaN(firstTs) ? receiveTs : firstTs;
                var wait = receiveTs - firstTs - time.GetElapsedTime(started).TotalSeconds;
                if (wait > 0.001)
                {
                    Thread.Sleep(TimeSpan.FromSeconds(Math.Min(wait, 1)));
                }
            }

            // A frame that does not parse is published as Kind=None, skipped by the engine and counted by the parser.
            pipeline.Publish(frame, LatencyClock.NowNs());
        }
    }
}
