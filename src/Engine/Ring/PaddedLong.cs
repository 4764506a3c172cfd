using System.Runtime.InteropServices;

namespace UpbitHft.Engine.Ring;

/// <summary>
/// A long alone on its cache line: 64 bytes of padding before and after (128-byte size covers adjacent-line
/// prefetching on x86 as well). A test asserts the offsets so a refactor cannot silently drop the padding.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 128)]
internal struct PaddedLong
{
    /// <summary>Offset of <see cref="Value"/>.</summary>
    public const int ValueOffset = 64;

    [FieldOffset(ValueOffset)]
    public long Value;
}
