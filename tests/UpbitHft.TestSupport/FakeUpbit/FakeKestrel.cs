using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using UpbitHft.TestSupport.FakeUpbit.Rest;

namespace UpbitHft.TestSupport.FakeUpbit;

/// <summary>
/// The fake exchange's Kestrel set-up: 127.0.0.1 on an ephemeral port, plain or TLS (<see cref="FakeUpbitRestOptions.Certificate"/>),
/// the keep-alive timeout after which an idle connection is closed (<see cref="FakeUpbitRestOptions.KeepAliveTimeout"/>),
/// and every accepted TCP connection counted.
/// </summary>
internal static class FakeKestrel
{
    public static ConnectionCounter Configure(WebApplicationBuilder builder, FakeUpbitRestOptions options)
    {
        var counter = new ConnectionCounter();
        builder.WebHost.UseUrls(options.Certificate is null ? "http://127.0.0.1:0" : "https://127.0.0.1:0");
        if (options.Certificate is not null)
        {
            builder.WebHost.UseKestrelHttpsConfiguration(); // the slim builder leaves HTTPS out unless asked
        }

        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            if (options.KeepAliveTimeout is { } idle)
            {
                k.Limits.KeepAliveTimeout = idle;
            }

            k.ConfigureEndpointDefaults(listen =>
            {
                listen.Protocols = HttpProtocols.Http1; // Upbit's REST and WebSocket are HTTP/1.1
                listen.Use(next => connection =>
                {
                    counter.Accepted();
                    return next(connection);
                });
            });
            if (options.Certificate is { } certificate)
            {
                k.ConfigureHttpsDefaults(https => https.ServerCertificate = certificate);
            }
        });
        return counter;
    }
}

/// <summary>TCP connections a fake server accepted.</summary>
public sealed class ConnectionCounter
{
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    internal void Accepted() => Interlocked.Increment(ref _count);
}
