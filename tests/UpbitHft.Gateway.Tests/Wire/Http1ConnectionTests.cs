using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Text;
using UpbitHft.Gateway.Rest.Wire;
using UpbitHft.Gateway.Signing;

namespace UpbitHft.Gateway.Tests.Wire;

/// <summary>
/// The order connection's HTTP/1.1 reader against answers written byte by byte by a raw server: every framing an HTTP
/// server may choose (Content-Length, chunked with extensions and trailers, gzip), split anywhere across reads.
/// </summary>
public class Http1ConnectionTests
{
    private static async Task<(Http1Response Response, string Request)> RoundTripAsync(byte[] answer, int pieceSize)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var server = Task.Run(async () =>
        {
            using var s = await listener.AcceptSocketAsync();
            var buffer = new byte[8192];
            var got = 0;
            string text;
            while (!(text = Encoding.ASCII.GetString(buffer, 0, got)).Contains("\r\n\r\n", StringComparison.Ordinal) || !text.EndsWith('}'))
            {
                got += await s.ReceiveAsync(buffer.AsMemory(got));
            }

            for (var i = 0; i < answer.Length; i += pieceSize)
            {
                await s.SendAsync(answer.AsMemory(i, Math.Min(pieceSize, answer.Length - i)));
                await Task.Delay(1);
            }

            return text;
        });
        using var c = await Http1Connection.ConnectAsync(new Uri($"http://127.0.0.1:{port}"), null, TimeSpan.FromSeconds(5), CancellationToken.None);
        Assert.True(c.TryTake());
        var request = new SignedOrderRequest();
        "{\"market\":\"KRW-BTC\"}"u8.CopyTo(request.Body);
        request.BodyLength = 20;
        "Bearer x.y.z"u8.CopyTo(request.Authorization);
        request.AuthorizationLength = 12;
        c.WritePost("/v1/orders"u8, request);
        var response = await c.ReadResponseAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        return (response, await server);
    }

    private const string Json = """{"uuid":"cdd92199-2897-4e14-9448-f923320408ad","state":"wait"}""";

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(4096)]
    public async Task A_content_length_answer_is_read_whole_however_it_is_split(int pieceSize)
    {
        var answer = Encoding.ASCII.GetBytes($"HTTP/1.1 201 Created\r\nContent-Type: application/json; charset=utf-8\r\nRemaining-Req: group=order; min=1800; sec=7\r\nContent-Length: {Json.Length}\r\n\r\n{Json}");
        var (r, request) = await RoundTripAsync(answer, pieceSize);

        Assert.Equal((201, Json, "group=order; min=1800; sec=7", false), (r.Status, r.Body, r.RemainingReq, r.ServerCloses));
        Assert.StartsWith("POST /v1/orders HTTP/1.1\r\nHost: 127.0.0.1:", request, StringComparison.Ordinal);
        Assert.Contains("\r\nAuthorization: Bearer x.y.z\r\nContent-Length: 20\r\n\r\n{\"market\":\"KRW-BTC\"}", request, StringComparison.Ordinal);
        Assert.Contains("\r\nContent-Type: application/json; charset=utf-8\r\n", request, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public async Task A_chunked_answer_with_extensions_and_trailers_is_joined(int pieceSize)
    {
        var a = Json[..20];
        var b = Json[20..];
        var answer = Encoding.ASCII.GetBytes($"HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n{a.Length:x};ext=1\r\n{a}\r\n{b.Length:X}\r\n{b}\r\n0\r\nX-Trailer: t\r\n\r\n");
        var (r, _) = await RoundTripAsync(answer, pieceSize);
        Assert.Equal((201, Json), (r.Status, r.Body));
    }

    [Fact]
    public async Task A_gzip_answer_is_unpacked_and_429_with_retry_after_and_close_are_read()
    {
        using var packed = new MemoryStream();
        using (var gz = new GZipStream(packed, CompressionLevel.Fastest, leaveOpen: true))
        {
            gz.Write(Encoding.UTF8.GetBytes("""{"error":{"name":"too_many_requests","message":"slow down"}}"""));
        }

        var head = Encoding.ASCII.GetBytes($"HTTP/1.1 429 Too Many Requests\r\nContent-Encoding: gzip\r\nRetry-After: 3\r\nConnection: close\r\nContent-Length: {packed.Length}\r\n\r\n");
        var (r, _) = await RoundTripAsync([.. head, .. packed.ToArray()], 3);
        Assert.Equal(429, r.Status);
        Assert.Contains("too_many_requests", r.Body, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromSeconds(3), r.RetryAfter);
        Assert.True(r.ServerCloses);
    }

    [Theory]
    [InlineData("HTTP/1.1 201 Created\r\n\r\n{}")] // no length and not chunked: the end would be the connection's
    [InlineData("SSH-2.0-OpenSSH_9.2\r\n\r\n")]
    [InlineData("HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")]
    public async Task An_answer_that_is_not_sound_http_is_an_error_never_a_guess(string answer)
    {
        await Assert.ThrowsAsync<IOException>(() => RoundTripAsync(Encoding.ASCII.GetBytes(answer), 64));
    }
}
