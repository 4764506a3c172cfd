using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace UpbitHft.Engine.Ring;

/// <summary>Cache-line helpers shared by the ring's processor and the replay's arena.</summary>
internal static class CacheLines
{
    /// <summary>Bytes of a cache line.</summary>
    public const int Size = 64;

    /// <summary>Asks for <paramref name="lines"/> lines from <paramref name="start"/> on. A prefetch never faults, so an address that moved (an unpinned array) only wastes the request.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Prefetch(ref byte start, int lines)
    {
        if (!Sse.IsSupported)
        {
            return;
        }

        var p = (byte*)Unsafe.AsPointer(ref start);
        for (var i = 0; i < lines; i++)
        {
            Sse.Prefetch0(p + (i * Size));
        }
    }

    /// <summary>How many bytes into the pinned array <paramref name="pinned"/> its first cache line boundary lies.</summary>
    public static unsafe int AlignmentOffset(byte[] pinned) => (int)(-(nint)Unsafe.AsPointer(ref pinned[0]) & (Size - 1));
}
