using System.Net.Sockets;
using UpbitHft.Feed.Events;

namespace UpbitHft.Gateway.Rest;

/// <summary>Where the moment an order request's bytes were written to its socket is put (latency clock, ns).</summary>
internal sealed class WriteStamp
{
    public long Ns;
}

/// <summary>
/// The order connections' socket: opened by <see cref="ConnectAsync"/> (counted, <c>NoDelay</c>), wrapped in a stream
/// that stamps the request being written. The request's <see cref="WriteStamp"/> travels with its async flow
/// (<see cref="Current"/>), so each write is stamped on the request it belongs to, whichever connection carries it.
/// </summary>
internal sealed class OrderConnection(NetworkStream inner) : Stream
{
    /// <summary>The stamp of the request being sent in this async flow (set by the sender just before it sends).</summary>
    public static readonly AsyncLocal<WriteStamp?> Current = new();

    /// <summary>Opens a connection for the order client; <paramref name="opened"/> is told of each one.</summary>
    public static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, Action opened, CancellationToken cancel)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(context.DnsEndPoint, cancel).ConfigureAwait(false);
            opened();
            return new OrderConnection(new NetworkStream(socket, ownsSocket: true));
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

    public override int Read(Span<byte> buffer) => inner.Read(buffer);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.ReadAsync(buffer, offset, count, cancellationToken);

    public override void Write(byte[] buffer, int offset, int count)
    {
        inner.Write(buffer, offset, count);
        Stamp();
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        inner.Write(buffer);
        Stamp();
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        Stamp();
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override ValueTask DisposeAsync() => inner.DisposeAsync();

    // The last write of a request completes it: each write overwrites, so the stamp ends as "the request is on the wire".
    private static void Stamp()
    {
        if (Current.Value is { } stamp)
        {
            stamp.Ns = LatencyClock.NowNs();
        }
    }
}
