using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using UpbitHft.Feed.Events;
using UpbitHft.TestSupport.FakeUpbit;
using UpbitHft.TestSupport.FakeUpbit.Rest;

namespace UpbitHft.FakeUpbit.Host;

/// <summary>
/// The fake exchange in its own process for the loopback latency harness. It prints <c>rest URL</c>, <c>ws URL</c>,
/// <c>private URL</c>, with <c>--tls</c> <c>cert SHA256-HEX</c> (a fresh self-signed certificate for 127.0.0.1), then
/// <c>ready</c>; plays the script (and prints <c>played</c> once all of it is written) to the first public subscriber (<c>--pace-ms</c> apart), fills market orders as the
/// fake does, and stamps on the latency clock (CLOCK_MONOTONIC, the same in every process of the machine) each frame
/// as it starts writing it and each order request as it reaches its handler. When standard input closes it writes the
/// stamps — <c>frame INDEX NS</c>, <c>order NS</c> — and its counts (<c>connections</c>, <c>tests</c>, <c>orders</c>) to
/// STAMPS and exits. Rate limits are lifted (the harness measures latency, not Upbit's limits).
/// </summary>
internal static class ExchangeHost
{
    public static async Task<int> RunAsync(string[] args)
    {
        var script = File.ReadAllLines(args[0]).Where(l => l.Length > 0).Select(Encoding.UTF8.GetBytes).ToList();
        var stampsPath = args[1];
        var pace = TimeSpan.FromMilliseconds(Option(args, "--pace-ms") ?? 20);
        var keepAlive = Option(args, "--keep-alive-s") is { } k ? TimeSpan.FromSeconds(k) : (TimeSpan?)null;
        using var certificate = args.Contains("--tls") ? SelfSigned() : null;

        var limits = new Dictionary<string, int>(StringComparer.Ordinal)
        {
            ["market"] = 1_000_000, ["candle"] = 1_000_000, ["trade"] = 1_000_000, ["ticker"] = 1_000_000, ["orderbook"] = 1_000_000,
            ["default"] = 1_000_000, ["order"] = 1_000_000, ["order-test"] = 1_000_000,
        };
        await using var x = await FakeUpbitExchange.StartAsync(script, new FakeUpbitRestOptions { Limits = limits, KeepAliveTimeout = keepAlive, Certificate = certificate });
        var sent = new long[script.Count];
        var index = 0;
        var follow = x.WebSocket.OnSending;
        x.WebSocket.OnSending = frame =>
        {
            follow?.Invoke(frame);
            sent[index++] = LatencyClock.NowNs(); // one public subscriber: frames go out one at a time, in order
        };
        var arrivals = new List<long>();
        x.Rest.OrderRequestArrived = () =>
        {
            var now = LatencyClock.NowNs();
            lock (arrivals)
            {
                arrivals.Add(now);
            }
        };

        // Called once here, so that compiling it is not on the first order's stamp (this process tiers its JIT).
        x.Rest.OrderRequestArrived();
        arrivals.Clear();
        x.WebSocket.Pace = pace;
        await WarmOrderEndpointAsync(x.Rest.BaseUrl, certificate is not null);
        var ownConnections = x.Rest.Connections.Count; // the warm-up's: not the engine's

        Console.WriteLine($"rest {x.Rest.BaseUrl}");
        Console.WriteLine($"ws {x.WebSocket.Url}");
        Console.WriteLine($"private {x.PrivateUrl}");
        if (certificate is not null)
        {
            Console.WriteLine($"cert {certificate.GetCertHashString(HashAlgorithmName.SHA256)}");
        }

        Console.WriteLine("ready");
        await Console.Out.FlushAsync();
        _ = Task.Run(async () =>
        {
            while (x.WebSocket.Sent < script.Count)
            {
                await Task.Delay(20);
            }

            Console.WriteLine("played");
            await Console.Out.FlushAsync();
        });
        while (await Console.In.ReadLineAsync() is not null)
        {
        }

        var c = CultureInfo.InvariantCulture;
        using (var w = new StreamWriter(stampsPath))
        {
            for (var i = 0; i < sent.Length; i++)
            {
                if (sent[i] != 0)
                {
                    w.WriteLine(string.Create(c, $"frame {i} {sent[i]}"));
                }
            }

            lock (arrivals)
            {
                foreach (var a in arrivals)
                {
                    w.WriteLine(string.Create(c, $"order {a}"));
                }
            }

            w.WriteLine(string.Create(c, $"connections {x.Rest.Connections.Count - ownConnections}"));
            w.WriteLine(string.Create(c, $"tests {x.Rest.TestOrders}"));
            w.WriteLine(string.Create(c, $"orders {x.Rest.Orders.Count}"));
        }

        return 0;
    }

    /// <summary>One request of its own to <c>POST /v1/orders</c> (marked, never an order, never stamped) before the engine connects.</summary>
    private static async Task WarmOrderEndpointAsync(Uri rest, bool tls)
    {
        using var handler = new SocketsHttpHandler();
        if (tls)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true; // our own self-signed certificate
        }

        using var http = new HttpClient(handler);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(rest, "/v1/orders")) { Content = new StringContent("{}") };
        request.Headers.Add(FakeUpbitRestServer.WarmUpHeader, "1");
        using var response = await http.SendAsync(request);
    }

    private static int? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : null;
    }

    /// <summary>A self-signed P-256 certificate for 127.0.0.1, valid for a day (the harness trusts it by its SHA-256 hash).</summary>
    private static X509Certificate2 SelfSigned()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pfx), null); // with a private key Kestrel can use
    }
}
