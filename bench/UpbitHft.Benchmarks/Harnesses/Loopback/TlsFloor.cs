using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using HdrHistogram;
using UpbitHft.Engine.Runtime;
using UpbitHft.Feed.Events;

namespace UpbitHft.Benchmarks.Harnesses.Loopback;

/// <summary>
/// The TLS floor: a 64-byte round trip over loopback through <c>SslStream</c> on both ends (TLS 1.3, a P-256
/// self-signed certificate, session already established) — what encryption adds to the TCP floor for a small message.
/// </summary>
internal static class TlsFloor
{
    public static LongHistogram RoundTrip(int n)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        using var made = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        using var certificate = X509CertificateLoader.LoadPkcs12(made.Export(X509ContentType.Pfx), null);
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var server = Task.Run(() =>
        {
            using var s = listener.AcceptSocket();
            s.NoDelay = true;
            using var tls = new SslStream(new NetworkStream(s, ownsSocket: false));
            tls.AuthenticateAsServer(certificate, clientCertificateRequired: false, SslProtocols.Tls13, checkCertificateRevocation: false);
            var buf = new byte[64];
            while (true)
            {
                var got = 0;
                while (got < buf.Length)
                {
                    var r = tls.Read(buf, got, buf.Length - got);
                    if (r == 0)
                    {
                        return;
                    }

                    got += r;
                }

                tls.Write(buf);
            }
        });
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        client.Connect(IPAddress.Loopback, port);
        using var stream = new SslStream(new NetworkStream(client, ownsSocket: false), false, (_, _, _, _) => true);
        stream.AuthenticateAsClient(new SslClientAuthenticationOptions { TargetHost = "127.0.0.1", EnabledSslProtocols = SslProtocols.Tls13 });
        var msg = new byte[64];
        var h = Harness.NewHistogram();
        for (var i = 0; i < n + 1_000; i++)
        {
            var t0 = LatencyClock.NowNs();
            stream.Write(msg);
            var got = 0;
            while (got < msg.Length)
            {
                got += stream.Read(msg, got, msg.Length - got);
            }

            if (i >= 1_000)
            {
                LatencyHistograms.Record(h, LatencyClock.NowNs() - t0);
            }
        }

        stream.Close();
        client.Shutdown(SocketShutdown.Both);
        server.Wait(TimeSpan.FromSeconds(5));
        return h;
    }
}
