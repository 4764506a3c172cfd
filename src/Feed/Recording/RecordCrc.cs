using System.IO.Hashing;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace UpbitHft.Feed.Recording;

/// <summary>
/// The recording's CRC-32 (IEEE 802.3, reflected, as <see cref="Crc32.HashToUInt32(ReadOnlySpan{byte})"/>), four 512-bit lanes at a time
/// where the machine has VPCLMULQDQ. The runtime's CRC folds 128 bits at a time; on a replay of a recording the CRC
/// was 13 % of the replay thread's time (profile of the 520,000-frame session), 9.7 % with this one. Reading that
/// session's frames (the read stage of <c>replay-stages</c>, one thread) went from 227–229 to 180–189 ns a frame in
/// three alternating runs each; the whole replay gained 2 % at the median, within the host's noise. Frames shorter
/// than <see cref="WideBytes"/> and machines without the instruction take the runtime's.
/// </summary>
/// <remarks>
/// The method is the folding of Gopal et al. ("Fast CRC computation for generic polynomials using PCLMULQDQ", Intel,
/// 2009) widened to 512-bit registers: 256 bytes are folded into four accumulators per step, the four are folded into
/// one, its four 128-bit lanes into one, the remaining 16-byte blocks into that, and the 128 bits are reduced to 32
/// (Barrett). The last bytes (fewer than 16) go through a byte table. The folding constants are powers of x modulo
/// the polynomial, computed here, bit-reflected to 33 bits.
/// </remarks>
internal static class RecordCrc
{
    /// <summary>Frames at least this long take the wide fold.</summary>
    public const int WideBytes = 256;

    private const ulong Polynomial = 0x1_04C1_1DB7; // x^32 + … in the normal bit order

    private static readonly Vector512<ulong> s_fold2048 = FourLanes(Fold(2048));
    private static readonly Vector512<ulong> s_fold512 = FourLanes(Fold(512));
    private static readonly Vector128<ulong> s_fold384 = Fold(384);
    private static readonly Vector128<ulong> s_fold256 = Fold(256);
    private static readonly Vector128<ulong> s_fold128 = Fold(128);
    private static readonly ulong s_k96 = Reflect33(XPowModP(96));
    private static readonly ulong s_k64 = Reflect33(XPowModP(64));
    private static readonly Vector128<ulong> s_barrett = Vector128.Create(Reflect33(Polynomial), Reflect33(Quotient64()));
    private static readonly uint[] s_table = Table();

    /// <summary>Whether the wide fold runs on this machine.</summary>
    public static bool Wide => Pclmulqdq.V512.IsSupported && Avx512F.IsSupported && BitConverter.IsLittleEndian;

    /// <summary>The CRC-32 of <paramref name="data"/>, equal to <see cref="Crc32.HashToUInt32(ReadOnlySpan{byte})"/>.</summary>
    public static uint Hash(ReadOnlySpan<byte> data) =>
        Wide && data.Length >= WideBytes ? ~HashWide(0xFFFF_FFFFu, data) : Crc32.HashToUInt32(data);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static uint HashWide(uint crc, ReadOnlySpan<byte> data)
    {
        ref var src = ref MemoryMarshal.GetReference(data);
        var length = data.Length;

        var x0 = Vector512.LoadUnsafe(ref src).AsUInt64() ^ Vector512.CreateScalar((ulong)crc);
        var x1 = Vector512.LoadUnsafe(ref src, 64).AsUInt64();
        var x2 = Vector512.LoadUnsafe(ref src, 128).AsUInt64();
        var x3 = Vector512.LoadUnsafe(ref src, 192).AsUInt64();
        src = ref Unsafe.Add(ref src, 256);
        length -= 256;
        var k = s_fold2048;
        while (length >= 256)
        {
            x0 = Fold(x0, k) ^ Vector512.LoadUnsafe(ref src).AsUInt64();
            x1 = Fold(x1, k) ^ Vector512.LoadUnsafe(ref src, 64).AsUInt64();
            x2 = Fold(x2, k) ^ Vector512.LoadUnsafe(ref src, 128).AsUInt64();
            x3 = Fold(x3, k) ^ Vector512.LoadUnsafe(ref src, 192).AsUInt64();
            src = ref Unsafe.Add(ref src, 256);
            length -= 256;
        }

        k = s_fold512;
        var x = Fold(Fold(Fold(x0, k) ^ x1, k) ^ x2, k) ^ x3;
        while (length >= 64)
        {
            x = Fold(x, k) ^ Vector512.LoadUnsafe(ref src).AsUInt64();
            src = ref Unsafe.Add(ref src, 64);
            length -= 64;
        }

        // The register's four lanes, first to last, into one: each folded across the lanes after it.
        var r = Fold(x.GetLower().GetLower(), s_fold384) ^ Fold(x.GetLower().GetUpper(), s_fold256)
            ^ Fold(x.GetUpper().GetLower(), s_fold128) ^ x.GetUpper().GetUpper();
        while (length >= 16)
        {
            r = Fold(r, s_fold128) ^ Vector128.LoadUnsafe(ref src).AsUInt64();
            src = ref Unsafe.Add(ref src, 16);
            length -= 16;
        }

        // 128 bits to 64, then to 32 (Barrett reduction).
        var low32 = Vector128.Create(0xFFFF_FFFFUL, 0xFFFF_FFFFUL);
        r = Sse2.ShiftRightLogical128BitLane(r, 8) ^ Pclmulqdq.CarrylessMultiply(r, Vector128.CreateScalar(s_k96), 0x00);
        r = Pclmulqdq.CarrylessMultiply(r & low32, Vector128.CreateScalar(s_k64), 0x00) ^ Sse2.ShiftRightLogical128BitLane(r, 4);
        var t = Pclmulqdq.CarrylessMultiply(r & low32, s_barrett, 0x10) & low32;
        t = Pclmulqdq.CarrylessMultiply(t, s_barrett, 0x00);
        crc = (r ^ t).AsUInt32().GetElement(1);

        var table = s_table;
        for (var i = 0; i < length; i++)
        {
            crc = table[(byte)(crc ^ Unsafe.Add(ref src, i))] ^ (crc >> 8);
        }

        return crc;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> Fold(Vector512<ulong> x, Vector512<ulong> k) =>
        Pclmulqdq.V512.CarrylessMultiply(x, k, 0x00) ^ Pclmulqdq.V512.CarrylessMultiply(x, k, 0x11);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<ulong> Fold(Vector128<ulong> x, Vector128<ulong> k) =>
        Pclmulqdq.CarrylessMultiply(x, k, 0x00) ^ Pclmulqdq.CarrylessMultiply(x, k, 0x11);

    /// <summary>The constants that move 128 bits forward by <paramref name="bits"/>: x^(bits+32) and x^(bits−32) mod P, reflected.</summary>
    internal static Vector128<ulong> Fold(int bits) => Vector128.Create(Reflect33(XPowModP(bits + 32)), Reflect33(XPowModP(bits - 32)));

    private static Vector512<ulong> FourLanes(Vector128<ulong> k) => Vector512.Create(Vector256.Create(k, k), Vector256.Create(k, k));

    /// <summary>x^<paramref name="n"/> modulo the polynomial, in the normal bit order (32 bits).</summary>
    internal static ulong XPowModP(int n)
    {
        var r = 1UL;
        for (var i = 0; i < n; i++)
        {
            r <<= 1;
            if ((r & (1UL << 32)) != 0)
            {
                r ^= Polynomial;
            }
        }

        return r;
    }

    /// <summary>The quotient of x^64 by the polynomial (33 bits), for the Barrett reduction.</summary>
    internal static ulong Quotient64()
    {
        // Long division of x^64 by P, a bit of the quotient at a time, the remainder kept in 33 bits.
        var q = 0UL;
        var rem = 1UL << 32; // x^32: the dividend's top 33 bits, then shifted in with zeros
        for (var i = 32; i >= 0; i--)
        {
            if ((rem & (1UL << 32)) != 0)
            {
                q |= 1UL << i;
                rem ^= Polynomial;
            }

            rem <<= 1;
        }

        return q;
    }

    internal static ulong Reflect33(ulong value)
    {
        var r = 0UL;
        for (var i = 0; i < 33; i++)
        {
            r |= ((value >> i) & 1) << (32 - i);
        }

        return r;
    }

    private static uint[] Table()
    {
        var table = new uint[256];
        for (var i = 0u; i < 256; i++)
        {
            var c = i;
            for (var j = 0; j < 8; j++)
            {
                c = (c & 1) != 0 ? 0xEDB8_8320u ^ (c >> 1) : c >> 1;
            }

            table[i] = c;
        }

        return table;
    }
}
