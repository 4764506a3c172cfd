using System.Buffers.Binary;
using System.IO.Hashing;
using UpbitHft.Feed.Connection;

namespace UpbitHft.Feed.Recording;

/// <summary>
/// Reads a recording record by record (the frame is valid until the next call). A short or CRC-failing last record —
/// what a crash while writing leaves — ends the reading and is reported in <see cref="TornTail"/>, never thrown.
/// </summary>
public sealed class RecordingReader : IDisposable
{
    private readonly Stream _stream;
    private readonly byte[] _head = new byte[13];
    private readonly byte[] _crc = new byte[4];
    private byte[] _frame = new byte[64 * 1024];

    public RecordingReader(string path)
        : this(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
    {
    }

    public RecordingReader(Stream stream)
    {
        _stream = stream;
        Span<byte> header = stackalloc byte[RecordingFormat.HeaderBytes];
        if (ReadFully(_stream, header) != header.Length || !header[..8].SequenceEqual(RecordingFormat.Magic))
        {
            throw new InvalidDataException("Not an UpbitHft recording (bad magic).");
        }

        var version = BinaryPrimitives.ReadInt32LittleEndian(header[8..]);
        if (version != RecordingFormat.Version)
        {
            throw new InvalidDataException($"Recording version {version} is not supported (this build reads {RecordingFormat.Version}).");
        }

        Start = DateTimeOffset.FromUnixTimeMilliseconds(BinaryPrimitives.ReadInt64LittleEndian(header[12..]));
    }

    public DateTimeOffset Start { get; }

    public long Records { get; private set; }

    /// <summary>Whether the file ended inside a record or with a corrupt one (ignored).</summary>
    public bool TornTail { get; private set; }

    /// <summary>True when a file starts with the recording magic.</summary>
    public static bool IsRecording(string path)
    {
        using var f = File.OpenRead(path);
        Span<byte> magic = stackalloc byte[8];
        return ReadFully(f, magic) == 8 && magic.SequenceEqual(RecordingFormat.Magic);
    }

    public bool TryReadNext(out ReadOnlySpan<byte> frame, out long receiveNs, out FeedSource source)
    {
        frame = default;
        receiveNs = 0;
        source = default;
        var got = ReadFully(_stream, _head);
        if (got == 0)
        {
            return false;
        }

        var length = got == _head.Length ? BinaryPrimitives.ReadInt32LittleEndian(_head.AsSpan(9)) : -1;
        if (length < 0 || length > RecordingFormat.MaxFrameBytes)
        {
            TornTail = true;
            return false;
        }

        if (length > _frame.Length)
        {
            _frame = new byte[Math.Max(length, _frame.Length * 2)];
        }

        if (ReadFully(_stream, _frame.AsSpan(0, length)) != length || ReadFully(_stream, _crc) != 4
            || BinaryPrimitives.ReadUInt32LittleEndian(_crc) != Crc32.HashToUInt32(_frame.AsSpan(0, length)))
        {
            TornTail = true;
            return false;
        }

        receiveNs = BinaryPrimitives.ReadInt64LittleEndian(_head);
        source = (FeedSource)_head[8];
        frame = _frame.AsSpan(0, length);
        Records++;
        return true;
    }

    private static int ReadFully(Stream stream, Span<byte> buffer)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var n = stream.Read(buffer[total..]);
            if (n == 0)
            {
                break;
            }

            total += n;
        }

        return total;
    }

    public void Dispose() => _stream.Dispose();
}
