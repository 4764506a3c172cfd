using Microsoft.Extensions.Logging;
using UpbitHft.Engine.Metrics;
using UpbitHft.Engine.Notifications;
using UpbitHft.Engine.Runtime;
using UpbitHft.Gateway.Rest;

namespace UpbitHft.Engine.Operations;

/// <summary>
/// The metrics endpoint and the alert sources of one run, started beside the engine thread by <c>LiveServices</c>:
/// the meter, its Prometheus exporter and the Kestrel endpoint; the journal observer that turns entries and exits into
/// alerts; and the watcher that looks for the kill switch, the day's stop, a socket down and a failing journal.
/// </summary>
public sealed class OperationsServices : IAsyncDisposable
{
    private readonly EngineMeter? _meter;
    private readonly PrometheusExporter? _exporter;
    private readonly MetricsServer? _server;
    private readonly Task _watcher;

    private OperationsServices(EngineMeter? meter, PrometheusExporter? exporter, MetricsServer? server, Task watcher)
    {
        _meter = meter;
        _exporter = exporter;
        _server = server;
        _watcher = watcher;
    }

    /// <summary>Where /metrics and /healthz are served, if they are.</summary>
    public Uri? MetricsUrl => _server?.BaseUrl;

    /// <summary>Starts what <paramref name="operations"/> asks for; the watcher runs until <paramref name="stop"/>.</summary>
    public static async Task<OperationsServices> StartAsync(EnginePipeline pipeline, UpbitRestClient? rest, OperationsSettings operations, ILoggerFactory logging, TimeProvider time, CancellationToken stop)
    {
        EngineMeter? meter = null;
        PrometheusExporter? exporter = null;
        MetricsServer? server = null;
        if (operations.MetricsEndpoint is { } endpoint)
        {
            meter = new EngineMeter(pipeline, rest);
            exporter = new PrometheusExporter(meter, time);
            try
            {
                server = await MetricsServer.StartAsync(endpoint, exporter, new HealthCheck(pipeline), logging.CreateLogger(typeof(MetricsServer).FullName!), stop).ConfigureAwait(false);
            }
            catch
            {
                exporter.Dispose();
                meter.Dispose();
                throw;
            }

            operations.MetricsListening?.Invoke(server.BaseUrl);
        }

        var watcher = Task.CompletedTask;
        if (operations.Notifier is { } notifier)
        {
            pipeline.Journal.Observe(new JournalAlerts(notifier, time).OnEntry);
            watcher = new OperationsWatcher(pipeline, notifier, operations.FeedDownAlertAfter, time).RunAsync(stop);
        }

        return new OperationsServices(meter, exporter, server, watcher);
    }

    /// <summary>Waits for the watcher (its token must be cancelled first) and stops the endpoint.</summary>
    public async ValueTask DisposeAsync()
    {
        await _watcher.ConfigureAwait(false);
        if (_server is not null)
        {
            await _server.DisposeAsync().ConfigureAwait(false);
        }

        _exporter?.Dispose();
        _meter?.Dispose();
    }
}
