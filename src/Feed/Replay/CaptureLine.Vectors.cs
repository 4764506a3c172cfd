using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace UpbitHft.Feed.Replay;

/// <summary>The vector steps of <see cref="CaptureLine"/>'s unescaping: a 64-byte compress, and 16-byte packing by shuffles.</summary>
internal static partial class CaptureLine
{
    /// <summary>
    /// Sixty-four bytes at once where the CPU compresses bytes (AVX-512 VBMI2). When every special byte of the block is
    /// an escaped quote wholly inside it (each backslash followed by a quote, each quote preceded by a backslash, no
    /// control byte, no backslash in the last byte), the unescaped text is the block without its backslashes, written by
    /// one compress: returns 64. When the block holds the string's closing quote (the first quote no backslash escapes)
    /// and every special byte before it is such an escaped quote, the bytes before it are written the same way: returns
    /// the quote's index k as <c>~k</c> (negative). Otherwise nothing is written (0) and the sixteen-byte path decides.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int DropEscapedQuotes64(ref byte src, int i, ref byte dst, ref int length, ref ulong high)
    {
        var block = Vector512.LoadUnsafe(ref src, (nuint)i);
        high |= block.ExtractMostSignificantBits();
        var backslashes = Vector512.Equals(block, Vector512.Create((byte)'\\'));
        var b = backslashes.ExtractMostSignificantBits();
        var q = Vector512.Equals(block, Vector512.Create((byte)'"')).ExtractMostSignificantBits();
        var controls = Vector512.LessThan(block, Vector512.Create((byte)0x20)).ExtractMostSignificantBits();
        if (q == b << 1 && (b >> 63) == 0 && controls == 0)
        {
            Avx512Vbmi2.Compress(Vector512<byte>.Zero, ~backslashes, block).StoreUnsafe(ref dst, (nuint)length);
            length += 64 - BitOperations.PopCount(b);
            return 64;
        }

        // The string ends in this block: a line's last block (what follows the quote — the object's end, the newline,
        // the next line — is not the string's and is not judged here). It used to go sixteen bytes and then one byte at a
        // time to the end: about a third of a usual line's unescaping steps.
        var unescapedQuotes = q & ~(b << 1);
        if (unescapedQuotes == 0)
        {
            return 0;
        }

        var k = BitOperations.TrailingZeroCount(unescapedQuotes);
        var before = (1UL << k) - 1;
        if ((q & before) != (b & before) << 1 || (controls & before) != 0)
        {
            return 0;
        }

        Avx512Vbmi2.Compress(Vector512<byte>.Zero, ~backslashes, block).StoreUnsafe(ref dst, (nuint)length);
        length += k - BitOperations.PopCount(b & before);
        return ~k;
    }

    /// <summary>
    /// True when the block's specials are only escapes of a quote or a slash wholly inside it: no backslash in the last
    /// byte (its escaped byte is in the next block), no escaped backslash, and no unescaped quote (the string's end).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool DropsBackslashesOnly(Vector128<byte> block, uint quotes, uint backslashes)
    {
        var escaped = backslashes << 1;
        if ((backslashes & 0x8000) != 0 || (backslashes & escaped) != 0 || (quotes & ~escaped) != 0)
        {
            return false;
        }

        var slashes = Vector128.Equals(block, Vector128.Create((byte)'/')).ExtractMostSignificantBits();
        return (escaped & ~(quotes | slashes)) == 0;
    }

    /// <summary>Writes the block's bytes selected by <paramref name="keep"/> (16 bits), in order, at <paramref name="dst"/>; returns how many.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Pack(Vector128<byte> block, uint keep, ref byte dst)
    {
        var low = keep & 0xFF;
        var high = keep >> 8;
        var lowCount = BitOperations.PopCount(low);
        var packedLow = Ssse3.Shuffle(block, Vector128.CreateScalar(s_packIndices[low]).AsByte());
        var packedHigh = Ssse3.Shuffle(block, Vector128.CreateScalar(s_packIndices[high] + HighHalf).AsByte());
        Unsafe.WriteUnaligned(ref dst, packedLow.AsUInt64().ToScalar());
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref dst, lowCount), packedHigh.AsUInt64().ToScalar());
        return lowCount + BitOperations.PopCount(high);
    }

    /// <summary>Adds 8 to every byte index of a packing entry (the block's high half).</summary>
    private const ulong HighHalf = 0x0808080808080808UL;

    /// <summary>For each 8-bit mask, the indices of its set bits in order, one per byte (unused bytes: index 0, written past the end and overwritten).</summary>
    private static readonly ulong[] s_packIndices = BuildPackIndices();

    private static ulong[] BuildPackIndices()
    {
        var table = new ulong[256];
        for (var mask = 0; mask < 256; mask++)
        {
            ulong entry = 0;
            var n = 0;
            for (var bit = 0; bit < 8; bit++)
            {
                if ((mask & (1 << bit)) != 0)
                {
                    entry |= (ulong)bit << (8 * n++);
                }
            }

            table[mask] = entry;
        }

        return table;
    }
}
