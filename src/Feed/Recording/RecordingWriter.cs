using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;
using System.Threading.Channels;
using UpbitHft.Feed.Connection;

namespace UpbitHft.Feed.Recording;

/// <summary>
/// Writes a recording off the hot thread: <see cref="TryAppend"/> copies the frame into a pooled buffer and queues it
/// (bounded; when the writer falls behind the frame is refused, counted in <see cref="Dropped"/> and its buffer returned
/// — the feed never blocks on disk; a channel in Wait mode, whose TryWrite says false when full, unlike DropWrite); a
/// writer task appends records and flushes after each batch, so the file is readable while it grows
/// (<see cref="FileShare.Read"/>).
/// </summary>
public sealed class RecordingWriter : IAsyncDisposable
{
    private readonly FileStream _file;
    private readonly Channel<(byte[] Buffer, int Length, long ReceiveNs, FeedSource Source)> _queue;
    private readonly Task _pump;
    private long _dropped;

    public RecordingWriter(string path, DateTimeOffset start, int queueCapacity = 65_536)
    {
        _file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16);
        Span<byte> header = stackalloc byte[RecordingFormat.HeaderBytes];
        RecordingFormat.Magic.CopyTo(header);
        BinaryPrimitives.WriteInt32LittleEndian(header[8..], RecordingFormat.Version);
        BinaryPrimitives.WriteInt64LittleEndian(header[12..], start.ToUnixTimeMilliseconds());
        _file.Write(header);
        _file.Flush();
        _queue = Channel.CreateBounded<(byte[], int, long, FeedSource)>(new BoundedChannelOptions(queueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _pump = Task.Run(PumpAsync);
    }

    /// <summary>Frames dropped because the writer fell behind.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public long Written { get; private set; }

    /// <summary>Queues a copy of <paramref name="frame"/>. Any thread; never blocks.</summary>
    public bool TryAppend(in ReadOnlySequence<byte> frame, long receiveNs, FeedSource source)
    {
        var length = (int)frame.Length;
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(1, length));
        frame.CopyTo(buffer);
        if (_queue.Writer.TryWrite((buffer, length, receiveNs, source)))
        {
            return true;
        }

        ArrayPool<byte>.Shared.Return(buffer);
        Interlocked.Increment(ref _dropped);
        return false;
    }

    private async Task PumpAsync()
    {
        var head = new byte[13];
        var tail = new byte[4];
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var item))
            {
                BinaryPrimitives.WriteInt64LittleEndian(head, item.ReceiveNs);
                head[8] = (byte)item.Source;
                BinaryPrimitives.WriteInt32LittleEndian(head.AsSpan(9), item.Length);
                BinaryPrimitives.WriteUInt32LittleEndian(tail, Crc32.HashToUInt32(item.Buffer.AsSpan(0, item.Length)));
                await _file.WriteAsync(head).ConfigureAwait(false);
                await _file.WriteAsync(item.Buffer.AsMemory(0, item.Length)).ConfigureAwait(false);
                await _file.WriteAsync(tail).ConfigureAwait(false);
                ArrayPool<byte>.Shared.Return(item.Buffer);
                Written++;
            }

            await _file.FlushAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _pump.ConfigureAwait(false);
        await _file.DisposeAsync().ConfigureAwait(false);
    }
}
