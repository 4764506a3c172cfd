using System.Buffers.Text;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using UpbitHft.Gateway.Signing;

namespace UpbitHft.Gateway.Rest.Wire;

/// <summary>What came back on an order connection: the status, the body, and the headers the client acts on.</summary>
internal readonly record struct Http1Response(int Status, string Body, string? RemainingReq, TimeSpan? RetryAfter, bool ServerCloses);

/// <summary>
/// One kept-open HTTP/1.1 connection for order requests (<c>POST /v1/orders</c>, <c>/v1/orders/test</c>), plain or TLS.
/// The request is written synchronously by the caller — on the gateway thread, right after signing, one system call
/// for head and body — and the answer is read asynchronously: the status line, the headers (<c>Content-Length</c> or
/// <c>Transfer-Encoding: chunked</c>, <c>Content-Encoding: gzip</c>, <c>Connection: close</c>, <c>Remaining-Req</c>,
/// <c>Retry-After</c>) and the body. One request at a time (no pipelining); a connection whose answer did not come
/// back whole is never used again.
/// </summary>
internal sealed partial class Http1Connection : IDisposable
{
    private readonly Stream _stream;
    private readonly byte[] _head;
    private readonly byte[] _out = new byte[4096];
    private byte[] _in = new byte[16 * 1024];
    private int _inStart;
    private int _inEnd;
    private int _busy;
    private int _broken;

    // While the connection is idle a read is always pending on it: it is how a close (the read ends with 0 bytes) or
    // bytes nobody asked for are seen, with no system call on the order's path, and it lets TLS take in what a server
    // sends after the handshake (TLS 1.3 session tickets), which is not application data. The next answer's first
    // bytes are what this read returns.
    private ValueTask<int> _idleRead;
    private bool _idleReadPending;

    private Http1Connection(Stream stream, string authority)
    {
        _stream = stream;
        _head = Encoding.ASCII.GetBytes($" HTTP/1.1\r\nHost: {authority}\r\nAccept: application/json\r\nContent-Type: application/json; charset=utf-8\r\nAuthorization: ");
    }

    /// <summary>When the last request on it completed (<see cref="TimeProvider.GetTimestamp"/>).</summary>
    public long LastUsed { get; private set; }

    public bool IsBroken => Volatile.Read(ref _broken) == 1;

    /// <summary>Opens a connection to <paramref name="baseUrl"/> (https: TLS with <paramref name="validation"/>, or the system's trust when null).</summary>
    public static async Task<Http1Connection> ConnectAsync(Uri baseUrl, RemoteCertificateValidationCallback? validation, TimeSpan timeout, CancellationToken cancel)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            deadline.CancelAfter(timeout);
            await socket.ConnectAsync(baseUrl.IdnHost, baseUrl.Port, deadline.Token).ConfigureAwait(false);
            Stream stream = new NetworkStream(socket, ownsSocket: true);
            if (baseUrl.Scheme == Uri.UriSchemeHttps)
            {
                var tls = new SslStream(stream, leaveInnerStreamOpen: false);
                await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = baseUrl.IdnHost, RemoteCertificateValidationCallback = validation }, deadline.Token).ConfigureAwait(false);
                stream = tls;
            }

            var connection = new Http1Connection(stream, baseUrl.Authority);
            connection.StartIdleRead();
            return connection;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Takes the connection for one request; false when it is in use or broken.</summary>
    public bool TryTake()
    {
        if (IsBroken || Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
        {
            return false;
        }

        if (IsBroken || LooksClosed())
        {
            Break();
            return false;
        }

        return true;
    }

    /// <summary>Gives the connection back after a complete answer (a broken one stays broken).</summary>
    public void Release(long now)
    {
        LastUsed = now;
        if (!IsBroken && !_idleReadPending && _inEnd == _inStart)
        {
            StartIdleRead();
        }

        Volatile.Write(ref _busy, 0);
    }

    /// <summary>
    /// An idle keep-alive connection whose pending read has ended was closed by the server (0 bytes), failed, or was
    /// sent something nobody asked for: whichever, it must not carry an order.
    /// </summary>
    private bool LooksClosed() => _inEnd > _inStart || !_idleReadPending || _idleRead.IsCompleted;

    private void StartIdleRead()
    {
        _inStart = _inEnd = 0;
        try
        {
            // Kept, not awaited here: it is looked at (IsCompleted) until an answer awaits it, exactly once.
#pragma warning disable CA2012
            _idleRead = _stream.ReadAsync(_in.AsMemory());
#pragma warning restore CA2012
            _idleReadPending = true;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Break(); // never thrown past Release: the caller still has a rate-limit slot to give back
        }
    }

    /// <summary>Writes <c>POST path</c> with the signed request's header and body: one write, on the caller's thread.</summary>
    public void WritePost(ReadOnlySpan<byte> path, SignedOrderRequest request)
    {
        var o = Put("POST "u8, 0);
        o = Put(path, o);
        o = Put(_head, o);
        o = Put(request.AuthorizationSpan, o);
        o = Put("\r\nContent-Length: "u8, o);
        Utf8Formatter.TryFormat(request.BodyLength, _out.AsSpan(o), out var written);
        o = Put("\r\n\r\n"u8, o + written);
        o = Put(request.BodySpan, o);
        _stream.Write(_out, 0, o);
    }

    private int Put(ReadOnlySpan<byte> bytes, int at)
    {
        bytes.CopyTo(_out.AsSpan(at));
        return at + bytes.Length;
    }

    /// <summary>Never to be used again (an answer lost, late or cut, or the server asked to close).</summary>
    public void Break()
    {
        if (Interlocked.Exchange(ref _broken, 1) == 0)
        {
            _stream.Dispose();
        }
    }

    public void Dispose() => Break();
}
