using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace UpbitHft.Feed.Parsing;

/// <summary>
/// A whole order-book unit in one 64-byte register, where the machine has AVX-512 VBMI: the SIMPLE unit
/// <c>{"ap":356,"bp":355,"as":22870.03759468,"bs":18341.18771756}</c> is 62 bytes. One load finds all four numbers
/// (the runs of digits and points between the keys); one byte permutation moves each number's digits, point dropped,
/// to the right of its own 16-byte lane; the multiply-adds of <see cref="NumberToken.TryShortDouble"/> then run on the
/// four numbers at once, and one division scales them. Same values, bit for bit: each mantissa has at most 15
/// digits (exact as a double) and is divided once by an exact power of ten. Any unit it does not take — a longer one,
/// a number of more than 15 characters, a sign, an exponent, whitespace, another key — leaves the cursor where it was.
/// </summary>
internal ref partial struct JsonScanner
{
    /// <summary>Bytes of each key with its punctuation (<c>{"ap":</c>, <c>,"bp":</c>, …) in a unit read in one register.</summary>
    internal const int CompactKey = 6;

    /// <summary>Bytes after a unit's start that must be in the buffer: its first key, the 64 loaded, room for a key's word load.</summary>
    private const int CompactRoom = CompactKey + 64 + 8;

    private static ReadOnlySpan<byte> LaneOfByte =>
    [
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
        2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
    ];

    private static ReadOnlySpan<byte> ByteInLane =>
    [
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
    ];

    private static ReadOnlySpan<double> Pow10Low => [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7];

    private static ReadOnlySpan<double> Pow10High => [1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

    /// <summary>Whether this machine can take a unit in one register.</summary>
    internal static bool CompactUnitsSupported =>
        Avx512Vbmi.IsSupported && Avx512BW.IsSupported && Avx512DQ.IsSupported && BitConverter.IsLittleEndian;

    /// <summary>
    /// Reads units in one register each, from the cursor on, while each is followed by <c>,{</c> or <c>]</c> and
    /// its four values are at most <paramref name="max"/>, into <paramref name="count"/> onwards of the four level
    /// arrays, never past <paramref name="capacity"/>. Returns the new count; <paramref name="closed"/> when the
    /// array's <c>]</c> was consumed. The cursor is left on the first unit it did not take, for the general reader.
    /// </summary>
    public int ReadCompactUnits(UnitKeys keys, ref double askPrices, ref double bidPrices, ref double askSizes, ref double bidSizes,
        int count, int capacity, double max, out bool closed)
    {
        closed = false;
        if (!CompactUnitsSupported || !keys.Compact)
        {
            return count;
        }

        ref var b0 = ref MemoryMarshal.GetReference(_buf);
        var pos = _pos;
        var last = _buf.Length - CompactRoom;
        var maxV = Vector512.Create(max);
        while (count < capacity && pos <= last && Key(ref Unsafe.Add(ref b0, pos), 0, keys.AskPrice))
        {
            // The register starts at the first number, after "{"ap":": a unit of up to 69 bytes fits, with the byte after it.
            ref var at = ref Unsafe.Add(ref b0, pos + CompactKey);
            var text = Vector512.LoadUnsafe(ref at);
            var values = text - Vector512.Create((byte)'0');
            var digits = Vector512.LessThanOrEqual(values, Vector512.Create((byte)9)).ExtractMostSignificantBits();
            var points = Vector512.Equals(text, Vector512.Create((byte)'.')).ExtractMostSignificantBits();
            var numeric = digits | points;

            // Each number: where it ends, how many digits it has (as 16 − count, the lane's left padding) and where
            // its point is (its length when it has none); the next one starts a key after it.
            if (!Number(ref at, numeric, points, 0, out var end0, out var pad0, out var point0)
                || !Number(ref at, numeric, points, end0 + CompactKey, out var end1, out var pad1, out var point1)
                || !Number(ref at, numeric, points, end1 + CompactKey, out var end2, out var pad2, out var point2)
                || !Number(ref at, numeric, points, end2 + CompactKey, out var end3, out var pad3, out var point3)
                || end3 > 62
                || Unsafe.Add(ref at, end3) != (byte)'}'
                || !Key(ref at, end0, keys.BidPrice) || !Key(ref at, end1, keys.AskSize) || !Key(ref at, end2, keys.BidSize))
            {
                break;
            }

            var after = Unsafe.Add(ref at, end3 + 1);
            if (!(after == (byte)']' || (after == (byte)',' && Unsafe.Add(ref at, end3 + 2) == (byte)'{')))
            {
                break;
            }

            var result = Values(values, pad0 | (pad1 << 8) | (pad2 << 16) | (pad3 << 24),
                (end0 + CompactKey) << 8 | (end1 + CompactKey) << 16 | (end2 + CompactKey) << 24,
                point0 | (point1 << 8) | (point2 << 16) | (point3 << 24));
            if ((Vector512.LessThanOrEqual(result, maxV).ExtractMostSignificantBits() & 0x55) != 0x55)
            {
                break; // out of range: the general reader says so
            }

            Unsafe.Add(ref askPrices, count) = result.ToScalar();
            Unsafe.Add(ref bidPrices, count) = result.GetElement(2);
            Unsafe.Add(ref askSizes, count) = result.GetElement(4);
            Unsafe.Add(ref bidSizes, count) = result.GetElement(6);
            count++;
            pos += CompactKey + end3 + 2;
            if (after == (byte)']')
            {
                closed = true;
                break;
            }
        }

        _pos = pos;
        return count;
    }

    /// <summary>
    /// The four numbers of a unit as doubles in elements 0, 2, 4 and 6, from the register's digit values and, a byte
    /// per number, each one's padding, start and point (see <see cref="Number"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> Values(Vector512<byte> values, int pads, int starts, int pointsAt)
    {
        var parameters = Vector128.Create(pads, starts, pointsAt, 0).AsByte().ToVector256Unsafe().ToVector512Unsafe();
        var lane = Vector512.Create(LaneOfByte);
        var padV = Avx512Vbmi.PermuteVar64x8(parameters, lane);
        var startV = Avx512Vbmi.PermuteVar64x8(parameters, lane + Vector512.Create((byte)4));
        var pointV = Avx512Vbmi.PermuteVar64x8(parameters, lane + Vector512.Create((byte)8));

        // Lane byte i takes digit j = i − pad of its number, from start + j, one further once past the point; bytes
        // before the first digit (j < 0) are 0.
        var j = Vector512.Create(ByteInLane) - padV;
        var before = Vector512.LessThan(j.AsSByte(), Vector512<sbyte>.Zero).AsByte();
        var past = Vector512.GreaterThanOrEqual(j.AsSByte(), pointV.AsSByte()).AsByte();
        var field = Avx512Vbmi.PermuteVar64x8(values, startV + j - past) & ~before;

        var pairs = Avx512BW.MultiplyAddAdjacent(field, Vector512.Create((short)0x010A).AsSByte());
        var quads = Avx512BW.MultiplyAddAdjacent(pairs, Vector512.Create(0x0001_0064).AsInt16());
        var packed = Avx512BW.PackUnsignedSaturate(quads, quads).AsInt16();
        var octets = Avx512BW.MultiplyAddAdjacent(packed, Vector512.Create(0x0001_2710).AsInt16()).AsUInt32();
        var mantissas = Avx512F.Multiply(octets, Vector512.Create(100_000_000u)) + (octets.AsUInt64() >> 32);

        // Decimals = digits − point position (0 without a point), the same in every byte of a lane: as a 64-bit index
        // its low bits pick the power of ten.
        var decimals = (Vector512.Create((byte)16) - padV - pointV).AsInt64();
        var scale = Avx512F.PermuteVar8x64x2(Vector512.Create(Pow10Low), decimals, Vector512.Create(Pow10High));
        return Avx512DQ.ConvertToVector512Double(mantissas) / scale;
    }

    /// <summary>
    /// The number that starts at <paramref name="start"/> of the loaded 64 bytes, as <see cref="NumberToken.TryShortDouble"/>
    /// accepts it: 1–15 characters, a leading digit, at most one point and a digit after it, no leading zero before
    /// another digit. False for anything else, or when the number may run past the register.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Number(ref byte unit, ulong numeric, ulong points, int start, out int end, out int pad, out int point)
    {
        end = pad = point = 0;
        if (start > 62)
        {
            return false;
        }

        var length = BitOperations.TrailingZeroCount(~(numeric >> start));
        if (length > 15)
        {
            return false;
        }

        var pointsIn = points & (((1UL << length) - 1) << start);
        var first = Unsafe.Add(ref unit, start);
        point = pointsIn == 0 ? length : BitOperations.TrailingZeroCount(pointsIn) - start;
        if (length == 0 || first == (byte)'.' || BitOperations.PopCount(pointsIn) > 1
            || (pointsIn != 0 && point == length - 1) || (first == (byte)'0' && point != 1))
        {
            return false; // no number, no leading digit, two points, "1." with no digit after, or "01"
        }

        end = start + length;
        pad = 16 - (pointsIn == 0 ? length : length - 1);
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Key(ref byte unit, int offset, KeyWords key) =>
        ((Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref unit, offset)) ^ key.Low) & key.LowMask) == 0;
}
