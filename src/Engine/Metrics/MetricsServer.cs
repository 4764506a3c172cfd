using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using UpbitHft.Engine.Logging;

namespace UpbitHft.Engine.Metrics;

/// <summary>
/// <c>--metrics-port</c>: Kestrel (the ASP.NET Core shared framework) on one address, 127.0.0.1 unless
/// <c>--metrics-host</c> says otherwise, serving <c>GET /metrics</c> (Prometheus text format) and <c>GET /healthz</c>
/// (200 <c>ok</c>, or 503 with the reason on one line). No routing, no middleware beyond the one handler; its threads
/// are the thread pool's, never the engine thread.
/// </summary>
public sealed class MetricsServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private MetricsServer(WebApplication app, Uri baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    /// <summary>Where it listens (the real port when 0 was asked for).</summary>
    public Uri BaseUrl { get; }

    /// <summary>Starts listening on <paramref name="endpoint"/>.</summary>
    public static async Task<MetricsServer> StartAsync(IPEndPoint endpoint, PrometheusExporter exporter, HealthCheck health, ILogger logger, CancellationToken cancel = default)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(endpoint);
        });
        var app = builder.Build();
        app.Run(context => HandleAsync(context, exporter, health));
        await app.StartAsync(cancel).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? $"http://{endpoint}";
        var server = new MetricsServer(app, new Uri(address.EndsWith('/') ? address : address + "/"));
        HostLog.MetricsListening(logger, server.BaseUrl.Authority);
        return server;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private static async Task HandleAsync(HttpContext context, PrometheusExporter exporter, HealthCheck health)
    {
        var request = context.Request;
        var response = context.Response;
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return;
        }

        switch (request.Path.Value)
        {
            case "/metrics":
                response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
                await exporter.WriteAsync(response.Body, context.RequestAborted).ConfigureAwait(false);
                break;
            case "/healthz":
                var (healthy, reason) = health.Evaluate();
                response.StatusCode = healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
                response.ContentType = "text/plain; charset=utf-8";
                await response.WriteAsync(reason + "\n", context.RequestAborted).ConfigureAwait(false);
                break;
            default:
                response.StatusCode = StatusCodes.Status404NotFound;
                break;
        }
    }
}
