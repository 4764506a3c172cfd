using Microsoft.Extensions.Logging;
using UpbitHft.Engine.Control;
using UpbitHft.Engine.Logging;
using UpbitHft.Engine.Operations;
using UpbitHft.Gateway.Rest;
using UpbitHft.Engine.Runtime;

namespace UpbitHft.Engine.Modes;

/// <summary>
/// The helpers a live-data run (paper or live) keeps beside the engine thread, all talking to it through the ring:
/// a timer (so a silence of every feed still moves the engine's clock), the REST price watcher (stale held markets),
/// the operator's control socket (when there is a journal), the kill switch's end of run (stop once flat), and the
/// operator's view: the metrics endpoint and the alerts (<see cref="OperationsServices"/>).
/// </summary>
public sealed class LiveServices : IAsyncDisposable
{
    private int _disposed;
    private readonly CancellationTokenSource _stop;
    private readonly Task[] _tasks;
    private readonly ControlServer? _control;
    private readonly OperationsServices _operations;

    private LiveServices(CancellationTokenSource stop, Task[] tasks, ControlServer? control, OperationsServices operations)
    {
        _stop = stop;
        _tasks = tasks;
        _control = control;
        _operations = operations;
    }

    /// <summary>Where /metrics and /healthz are served, if they are.</summary>
    public Uri? MetricsUrl => _operations.MetricsUrl;

    /// <summary>Starts them; <paramref name="runStop"/> is cancelled when a kill switch has sold everything.</summary>
    public static LiveServices Start(EnginePipeline pipeline, UpbitRestClient rest, EngineSettings settings, LiveSettings live, TextWriter status, CancellationTokenSource runStop)
    {
        var stop = CancellationTokenSource.CreateLinkedTokenSource(runStop.Token);
        var logging = settings.Logging;
        // Metrics and alerts first: a port already in use fails the start before anything else runs.
        var operations = OperationsServices.StartAsync(pipeline, rest, live.Operations, logging, live.Time, stop.Token).GetAwaiter().GetResult();
        var control = settings.JournalPath is { } journal ? ControlServer.Start(journal, pipeline, logging.CreateLogger(typeof(ControlServer).FullName!), live.Time) : null;
        var watcher = new RestPriceWatcher(rest, pipeline, live.RestWatchInterval, live.Time);
        var tasks = new[]
        {
            TickAsync(pipeline, live, stop.Token),
            watcher.RunAsync(stop.Token),
            EndAfterKillAsync(pipeline, live, logging.CreateLogger(typeof(LiveServices).FullName!), runStop, stop.Token),
        };
        return new LiveServices(stop, tasks, control, operations);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync().ConfigureAwait(false);
        }

        await Task.WhenAll(_tasks).ConfigureAwait(false);
        await _operations.DisposeAsync().ConfigureAwait(false);
        if (_control is not null)
        {
            await _control.DisposeAsync().ConfigureAwait(false);
        }

        _stop.Dispose();
    }

    private static async Task TickAsync(EnginePipeline pipeline, LiveSettings live, CancellationToken stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(live.TimerInterval, live.Time, stop).ConfigureAwait(false);
                pipeline.PublishTimer();
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    /// <summary>After <c>control kill</c>: once every position is sold, the run ends (exit code 0, reason kill_switch in the journal).</summary>
    private static async Task EndAfterKillAsync(EnginePipeline pipeline, LiveSettings live, ILogger logger, CancellationTokenSource runStop, CancellationToken stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), live.Time, stop).ConfigureAwait(false);
                if (pipeline.Engine.KillRequested && pipeline.Core.OpenPositions == 0) // racy reads, for waiting only
                {
                    HostLog.KillSwitchDone(logger);
                    await runStop.CancelAsync().ConfigureAwait(false);
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }
}
