using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace UpbitHft.Feed.Replay;

/// <summary>The vector steps of <see cref="CaptureLine"/>'s unescaping: a 64-byte compress, and 16-byte packing by shuffles.</summary>
internal static partial class CaptureLine
{
    /// <summary>
    /// Sixty-four bytes at once where the CPU compresses bytes (AVX-512 VBMI2). Escaped quotes are the only escapes a
    /// capture's frames usually hold: where every special byte is one, the unescaped text is the block without its
    /// backslashes, written by one compress. Returns 64 when the whole block is such text; <c>~k</c> (negative) when the
    /// string's closing quote is at k and the bytes before it are such text (written); the count of bytes written up to
    /// another escape, a control byte or a backslash in the last byte; 0 when there are none — the sixteen-byte path
    /// then takes the escape.
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
        // A byte breaks the escaped-quote pattern when it is a quote no backslash escapes, follows a backslash without
        // being a quote, or is a control byte; a backslash in the last byte escapes a byte of the next block.
        var breaks = (q ^ (b << 1)) | controls | (b & (1UL << 63));
        if (breaks == 0)
        {
            Avx512Vbmi2.Compress(Vector512<byte>.Zero, ~backslashes, block).StoreUnsafe(ref dst, (nuint)length);
            length += 64 - BitOperations.PopCount(b);
            return 64;
        }

        var k = BitOperations.TrailingZeroCount(breaks);
        if (((q >> k) & 1) != 0)
        {
            // The string's closing quote (k is the first break, so no backslash precedes it), after escaped quotes only:
            // a line's last block (what follows the quote — the object's end, the newline, the next line — is not the
            // string's and is not judged here). It used to go sixteen bytes and then one byte at a time to the end:
            // about a third of a usual line's unescaping steps.
            Avx512Vbmi2.Compress(Vector512<byte>.Zero, ~backslashes, block).StoreUnsafe(ref dst, (nuint)length);
            length += k - BitOperations.PopCount(b & ((1UL << k) - 1));
            return ~k;
        }

        // Another escape, a control byte or a backslash in the last byte: the bytes before it (before the backslash that
        // starts an escape) are written, and the next step starts there.
        var done = k - (int)((b >> (k - 1)) & 1);
        if (k == 0 || done == 0)
        {
            return 0;
        }

        Avx512Vbmi2.Compress(Vector512<byte>.Zero, ~backslashes, block).StoreUnsafe(ref dst, (nuint)length);
        length += done - BitOperations.PopCount(b & ((1UL << done) - 1));
        return done;
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
