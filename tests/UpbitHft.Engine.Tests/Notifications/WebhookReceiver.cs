using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace UpbitHft.Engine.Tests.Notifications;

/// <summary>A webhook on 127.0.0.1 (Kestrel, any free port) that keeps every POST body; it can answer failures first.</summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _failuresLeft;

    private WebhookReceiver(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;

    /// <summary>Every body received, in order, with its path and content type.</summary>
    public ConcurrentQueue<(string Path, string ContentType, string Body)> Received { get; } = new();

    /// <summary>Requests answered (including refused ones).</summary>
    public int Requests => Volatile.Read(ref _requests);

    private int _requests;

    /// <summary>The next <paramref name="n"/> requests are answered 500.</summary>
    public void FailNext(int n) => Volatile.Write(ref _failuresLeft, n);

    /// <summary>A delay before each answer (a slow webhook).</summary>
    public TimeSpan Delay { get; set; }

    public IReadOnlyList<JsonElement> Json() => Received.Select(r => JsonDocument.Parse(r.Body).RootElement.Clone()).ToArray();

    /// <summary>The <c>event</c> of each plain-JSON alert received.</summary>
    public IReadOnlyList<string> Events() => Json().Select(j => j.GetProperty("event").GetString()!).ToArray();

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.Run(receiver.HandleAsync);
        await app.StartAsync();
        receiver.Url = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/hook/secret-token");
        return receiver;
    }

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        if (Delay > TimeSpan.Zero)
        {
            await Task.Delay(Delay);
        }

        if (Interlocked.Decrement(ref _failuresLeft) >= 0)
        {
            context.Response.StatusCode = 500;
            return;
        }

        using var reader = new StreamReader(context.Request.Body);
        Received.Enqueue((context.Request.Path.Value ?? "", context.Request.ContentType ?? "", await reader.ReadToEndAsync()));
        context.Response.StatusCode = 200;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
