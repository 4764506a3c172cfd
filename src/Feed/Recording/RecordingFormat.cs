namespace UpbitHft.Feed.Recording;

/// <summary>
/// The recording file: append-only, little-endian.
/// <code>
/// header : "UPBTREC\0" (8 bytes) | version int32 (=1) | start time, Unix ms int64
/// record : receive ns int64 | source byte | length int32 | frame bytes (exactly as received) | CRC-32 of the frame uint32
///          (IEEE 802.3, reflected 0xEDB88320: System.IO.Hashing.Crc32)
/// </code>
/// A crash can leave the last record torn (short, or with a wrong CRC): readers stop there and report it.
/// </summary>
public static class RecordingFormat
{
    public static ReadOnlySpan<byte> Magic => "UPBTREC\0"u8;

    public const int Version = 1;
    public const int HeaderBytes = 8 + 4 + 8;
    public const int RecordOverhead = 8 + 1 + 4 + 4;

    /// <summary>Largest frame a record may hold (a sanity bound: anything larger is corruption).</summary>
    public const int MaxFrameBytes = 16 * 1024 * 1024;
}
