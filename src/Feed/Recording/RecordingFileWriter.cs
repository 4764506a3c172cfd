using System.Buffers.Binary;
using System.IO.Hashing;
using UpbitHft.Feed.Connection;

namespace UpbitHft.Feed.Recording;

/// <summary>
/// Writes a recording (<see cref="RecordingFormat"/>) synchronously, every record in order — for tools such as the
/// capture converter. Unlike <see cref="RecordingWriter"/> (the live recorder, which drops rather than block the feed)
/// it never drops a frame. Not thread-safe.
/// </summary>
public sealed class RecordingFileWriter : IDisposable
{
    private readonly Stream _stream;
    private readonly byte[] _head = new byte[13];
    private readonly byte[] _tail = new byte[4];
    private readonly bool _leaveOpen;

    /// <summary>Writes the header to <paramref name="stream"/>; <see cref="Dispose"/> closes it unless <paramref name="leaveOpen"/>.</summary>
    public RecordingFileWriter(Stream stream, DateTimeOffset start, bool leaveOpen = false)
    {
        _stream = stream;
        _leaveOpen = leaveOpen;
        Span<byte> header = stackalloc byte[RecordingFormat.HeaderBytes];
        RecordingFormat.Magic.CopyTo(header);
        BinaryPrimitives.WriteInt32LittleEndian(header[8..], RecordingFormat.Version);
        BinaryPrimitives.WriteInt64LittleEndian(header[12..], start.ToUnixTimeMilliseconds());
        _stream.Write(header);
    }

    /// <summary>Records appended so far.</summary>
    public long Written { get; private set; }

    /// <summary>Appends one record: the exact frame bytes, its receive nanoseconds and source.</summary>
    public void Append(ReadOnlySpan<byte> frame, long receiveNs, FeedSource source)
    {
        if (frame.Length > RecordingFormat.MaxFrameBytes)
        {
            throw new ArgumentException($"A frame of {frame.Length:N0} bytes is larger than a recording holds ({RecordingFormat.MaxFrameBytes:N0}).", nameof(frame));
        }

        BinaryPrimitives.WriteInt64LittleEndian(_head, receiveNs);
        _head[8] = (byte)source;
        BinaryPrimitives.WriteInt32LittleEndian(_head.AsSpan(9), frame.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(_tail, Crc32.HashToUInt32(frame));
        _stream.Write(_head);
        _stream.Write(frame);
        _stream.Write(_tail);
        Written++;
    }

    /// <summary>Flushes, and closes the stream unless it was to be left open.</summary>
    public void Dispose()
    {
        _stream.Flush();
        if (!_leaveOpen)
        {
            _stream.Dispose();
        }
    }
}
