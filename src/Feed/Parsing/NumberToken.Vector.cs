using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace UpbitHft.Feed.Parsing;

internal readonly ref partial struct NumberToken
{
    private static ReadOnlySpan<byte> Iota => [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];

    private static ReadOnlySpan<byte> TensAndOnes => [10, 1, 10, 1, 10, 1, 10, 1, 10, 1, 10, 1, 10, 1, 10, 1];

    /// <summary>
    /// <see cref="TryWideDouble"/> for a number of at most fifteen characters, without a branch on its length: one
    /// 16-byte load finds where the number ends and where its point is; one shuffle drops the point and moves the
    /// digits to the right of a 16-digit field; three multiply-adds turn the field into the mantissa. False for
    /// anything else (the caller then tries the word-at-a-time read).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool TryShortDouble(ReadOnlySpan<byte> buf, int start, out double value, out int end)
    {
        value = 0;
        end = start;
        if (!Ssse3.IsSupported || !Sse41.IsSupported || start > buf.Length - 48)
        {
            return false;
        }

        ref var b0 = ref MemoryMarshal.GetReference(buf);
        var text = Vector128.LoadUnsafe(ref b0, (nuint)start);
        var values = text - Vector128.Create((byte)'0');
        var digitBits = Vector128.LessThanOrEqual(values, Vector128.Create((byte)9)).ExtractMostSignificantBits();
        var pointBits = Vector128.Equals(text, Vector128.Create((byte)'.')).ExtractMostSignificantBits();
        var length = BitOperations.TrailingZeroCount(~(digitBits | pointBits) | 0x1_0000u);
        var pointsIn = pointBits & ((1u << length) - 1);
        if (length == 16 || (digitBits & 1) == 0 || BitOperations.PopCount(pointsIn) > 1)
        {
            return false; // too long, no leading digit ("-", "."), or two points
        }

        var point = pointsIn == 0 ? length : BitOperations.TrailingZeroCount(pointsIn);
        if ((pointsIn != 0 && point == length - 1) || (Unsafe.Add(ref b0, start) == (byte)'0' && point != 1)
            || Unsafe.Add(ref b0, start + length) is not ((byte)',' or (byte)'}' or (byte)']'))
        {
            return false; // "1." with no digit after, a leading zero before another digit ("01"), or an unusual end
        }

        var count = pointsIn == 0 ? length : length - 1; // digits, 1–15
        // Lane i of the 16-digit field takes digit j = i − (16 − count) of the number, skipping the point; lanes
        // before the first digit (j < 0) get the high bit, which the shuffle turns into 0.
        var iota = Vector128.Create(Iota);
        var j = iota - Vector128.Create((byte)(16 - count));
        var past = Vector128.GreaterThanOrEqual(j.AsSByte(), Vector128.Create((sbyte)point)).AsByte();
        var index = (j - past) | Vector128.LessThan(j.AsSByte(), Vector128<sbyte>.Zero).AsByte();
        var field = Ssse3.Shuffle(values, index);
        var pairs = Ssse3.MultiplyAddAdjacent(field, Vector128.Create(TensAndOnes).AsSByte());
        var quads = Sse2.MultiplyAddAdjacent(pairs, Vector128.Create(100, 1, 100, 1, 100, 1, 100, 1).AsInt16());
        var packed = Sse41.PackUnsignedSaturate(quads, quads).AsInt16();
        var octets = Sse2.MultiplyAddAdjacent(packed, Vector128.Create(10000, 1, 10000, 1, 10000, 1, 10000, 1).AsInt16());
        var mantissa = ((ulong)(uint)octets.GetElement(0) * 100_000_000UL) + (uint)octets.GetElement(1);
        var decimals = pointsIn == 0 ? 0 : length - point - 1;
        double result = mantissa; // at most 15 digits: below 2^53, exact
        value = decimals == 0 ? result : result / NumberText.Pow10[decimals];
        end = start + length;
        return true;
    }
}
