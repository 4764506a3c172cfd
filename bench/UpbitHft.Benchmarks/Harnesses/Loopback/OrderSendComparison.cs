using System.Buffers;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using HdrHistogram;
using UpbitHft.Engine.Runtime;
using UpbitHft.Feed.Events;
using UpbitHft.Gateway.Auth;
using UpbitHft.Gateway.Orders;
using UpbitHft.Gateway.Signing;

namespace UpbitHft.Benchmarks.Harnesses.Loopback;

/// <summary>
/// One order request, two ways to send it, over plain loopback to the fake exchange process: the engine's way
/// (<c>HttpClient</c> on a kept-open connection, the request pre-signed into bytes) against a minimal HTTP/1.1 writer
/// and reader over a pre-connected <c>Socket</c> (status line, headers, <c>Content-Length</c> or chunked body,
/// keep-alive, <c>Remaining-Req</c>). Each sample is request start → answer read (a test order: <c>POST /v1/orders/test</c>,
/// which the fake validates and answers like a create). Rounds alternate so both see the same machine.
/// </summary>
internal static class OrderSendComparison
{
    public sealed record Result(LongHistogram HttpClient, LongHistogram RawSocket, int RawAnswersWithRemainingReq, int RawAnswers, int RawChunked);

    public static Result Run(int perRound, int rounds)
    {
        var fx = FakeExchangeProcess.StartAsync([]).GetAwaiter().GetResult();
        try
        {
            var keys = WireToOrder.FakeKeys;
            var signer = new OrderRequestSigner(new UpbitCredentials(keys.AccessKey, keys.SecretKey), new OrderValidator());
            var request = new SignedOrderRequest();
            var command = new OrderCommand(OrderCommandKind.Test, 0, 0, "KRW-BTC", AmountKrw: 5_000m);
            var n = 0;
            void Sign()
            {
                if (!signer.TrySign(command, Encoding.ASCII.GetBytes($"uh-bench-t{++n}"), request, out var refused))
                {
                    throw new InvalidOperationException(refused!.ToString());
                }
            }

            using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan, PooledConnectionLifetime = Timeout.InfiniteTimeSpan }) { BaseAddress = fx.Rest };
            using var raw = new RawHttp(fx.Rest);
            var viaClient = Harness.NewHistogram();
            var viaRaw = Harness.NewHistogram();
            for (var round = 0; round <= rounds; round++)
            {
                var warm = round == 0; // a first round of each, not kept
                for (var i = 0; i < perRound; i++)
                {
                    Sign();
                    var t0 = LatencyClock.NowNs();
                    SendWithHttpClient(http, request);
                    if (!warm)
                    {
                        LatencyHistograms.Record(viaClient, LatencyClock.NowNs() - t0);
                    }
                }

                for (var i = 0; i < perRound; i++)
                {
                    Sign();
                    var t0 = LatencyClock.NowNs();
                    raw.Post("/v1/orders/test", request);
                    if (!warm)
                    {
                        LatencyHistograms.Record(viaRaw, LatencyClock.NowNs() - t0);
                    }
                }
            }

            fx.StopAsync().GetAwaiter().GetResult();
            return new Result(viaClient, viaRaw, raw.WithRemainingReq, raw.Answers, raw.Chunked);
        }
        finally
        {
            fx.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private static void SendWithHttpClient(HttpClient http, SignedOrderRequest signed)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, "/v1/orders/test") { Content = new ByteArrayContent(signed.Body, 0, signed.BodyLength) };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        message.Headers.TryAddWithoutValidation("Authorization", Encoding.ASCII.GetString(signed.AuthorizationSpan));
        using var response = http.SendAsync(message).GetAwaiter().GetResult();
        var body = response.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult();
        if ((int)response.StatusCode != 201 || body.Length == 0)
        {
            throw new InvalidOperationException($"HttpClient: {(int)response.StatusCode} {Encoding.UTF8.GetString(body)}");
        }
    }

    /// <summary>A minimal HTTP/1.1 client on one pre-connected socket: enough for a keep-alive POST and its answer.</summary>
    private sealed class RawHttp : IDisposable
    {
        private readonly Socket _socket = new(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        private readonly byte[] _head;
        private readonly byte[] _out = new byte[4096];
        private readonly byte[] _in = new byte[64 * 1024];
        private int _inStart;
        private int _inEnd;

        public RawHttp(Uri baseUrl)
        {
            _socket.Connect(baseUrl.Host, baseUrl.Port);
            _head = Encoding.ASCII.GetBytes($"Host: {baseUrl.Authority}\r\nAccept: application/json\r\nContent-Type: application/json; charset=utf-8\r\n");
        }

        public int Answers { get; private set; }
        public int WithRemainingReq { get; private set; }
        public int Chunked { get; private set; }

        public void Post(string path, SignedOrderRequest signed)
        {
            var o = 0;
            o += Encoding.ASCII.GetBytes($"POST {path} HTTP/1.1\r\n", _out.AsSpan(o));
            _head.CopyTo(_out, o);
            o += _head.Length;
            o += Copy("Authorization: "u8, o);
            signed.AuthorizationSpan.CopyTo(_out.AsSpan(o));
            o += signed.AuthorizationLength;
            o += Copy("\r\nContent-Length: "u8, o);
            signed.BodyLength.TryFormat(_out.AsSpan(o), out var w, provider: CultureInfo.InvariantCulture);
            o += w;
            o += Copy("\r\n\r\n"u8, o);
            signed.BodySpan.CopyTo(_out.AsSpan(o));
            o += signed.BodyLength;
            _socket.Send(_out.AsSpan(0, o));
            ReadAnswer();
        }

        private int Copy(ReadOnlySpan<byte> s, int at)
        {
            s.CopyTo(_out.AsSpan(at));
            return s.Length;
        }

        private void ReadAnswer()
        {
            // Status line and headers.
            int headEnd;
            while ((headEnd = _in.AsSpan(_inStart, _inEnd - _inStart).IndexOf("\r\n\r\n"u8)) < 0)
            {
                Fill();
            }

            var head = Encoding.ASCII.GetString(_in, _inStart, headEnd);
            _inStart += headEnd + 4;
            var lines = head.Split("\r\n");
            var status = int.Parse(lines[0].Split(' ')[1], CultureInfo.InvariantCulture);
            var contentLength = -1;
            var chunked = false;
            foreach (var line in lines.Skip(1))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                var name = line[..colon].Trim();
                var value = line[(colon + 1)..].Trim();
                if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                {
                    contentLength = int.Parse(value, CultureInfo.InvariantCulture);
                }
                else if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase) && value.Contains("chunked", StringComparison.OrdinalIgnoreCase))
                {
                    chunked = true;
                }
                else if (name.Equals("Remaining-Req", StringComparison.OrdinalIgnoreCase) && UpbitHft.Gateway.RateLimits.RemainingReq.TryParse(value, out _, out _))
                {
                    WithRemainingReq++;
                }
                else if (name.Equals("Connection", StringComparison.OrdinalIgnoreCase) && value.Equals("close", StringComparison.OrdinalIgnoreCase))
                {
                    throw new InvalidOperationException("the server closes the connection: a raw keep-alive client would reconnect here");
                }
            }

            var bodyLength = chunked ? ReadChunked() : ReadFixed(contentLength);
            Chunked += chunked ? 1 : 0;
            Answers++;
            if (status != 201 || bodyLength == 0)
            {
                throw new InvalidOperationException($"raw: {status}");
            }
        }

        private int ReadFixed(int length)
        {
            while (_inEnd - _inStart < length)
            {
                Fill();
            }

            _inStart += length;
            return length;
        }

        private int ReadChunked()
        {
            var total = 0;
            while (true)
            {
                int lineEnd;
                while ((lineEnd = _in.AsSpan(_inStart, _inEnd - _inStart).IndexOf("\r\n"u8)) < 0)
                {
                    Fill();
                }

                var sizeText = Encoding.ASCII.GetString(_in, _inStart, lineEnd).Split(';')[0];
                var size = int.Parse(sizeText, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                _inStart += lineEnd + 2;
                while (_inEnd - _inStart < size + 2)
                {
                    Fill();
                }

                _inStart += size + 2; // the data and its CRLF
                total += size;
                if (size == 0)
                {
                    return total;
                }
            }
        }

        private void Fill()
        {
            if (_inStart > 0)
            {
                Buffer.BlockCopy(_in, _inStart, _in, 0, _inEnd - _inStart);
                _inEnd -= _inStart;
                _inStart = 0;
            }

            var got = _socket.Receive(_in.AsSpan(_inEnd));
            if (got == 0)
            {
                throw new InvalidOperationException("the server closed the connection");
            }

            _inEnd += got;
        }

        public void Dispose() => _socket.Dispose();
    }
}
