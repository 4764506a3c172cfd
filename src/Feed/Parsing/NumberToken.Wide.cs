using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace UpbitHft.Feed.Parsing;

/// <summary>
/// The eight-bytes-at-a-time scan (SWAR): a number's digits are found and converted a word at a time, so a price or
/// size costs a few loads and multiplies instead of a branch per digit — branches that real data, whose numbers vary
/// in length from one to the next, mispredicts. It reads the same grammar as the byte scan and gives the same token;
/// it leaves exponents, numbers near the end of the buffer and big-endian machines to the byte scan.
/// </summary>
internal readonly ref partial struct NumberToken
{
    /// <summary>Bytes that must follow a number's start for the wide scan to try it (its loads stay inside the buffer).</summary>
    private const int WideRoom = 24;

    private const ulong Ascii0 = 0x3030303030303030UL;
    private const ulong HighNibbles = 0xF0F0F0F0F0F0F0F0UL;
    private const ulong LowNibbles = 0x0F0F0F0F0F0F0F0FUL;
    private const ulong Sixes = 0x0606060606060606UL;

    /// <summary>
    /// Scans a number inside a frame (as <see cref="Scan"/> with <c>inFrame</c>) a word at a time where it can. Worth it
    /// where numbers of varying length follow each other — order-book units — and not for a frame's few scalars, which
    /// the byte scan reads faster once the branch predictor knows their lengths.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ParseStatus ScanWide(ReadOnlySpan<byte> buf, int start, out NumberToken token)
    {
        if (BitConverter.IsLittleEndian && start <= buf.Length - WideRoom && TryScanWide(buf, start, out var status, out token))
        {
            return status;
        }

        return Scan(buf, start, inFrame: true, out token);
    }

    private static ReadOnlySpan<ulong> Pow10Int => [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000];

    /// <summary>
    /// Scans like <see cref="Scan"/> for a number inside a frame; false when the byte scan must decide (an
    /// exponent part, or digits running close to the end of the buffer).
    /// </summary>
    private static bool TryScanWide(ReadOnlySpan<byte> buf, int start, out ParseStatus status, out NumberToken token)
    {
        token = default;
        status = ParseStatus.Malformed;
        ref var b0 = ref MemoryMarshal.GetReference(buf);
        var limit = buf.Length - 8; // the last index a word may be loaded from
        var i = start;
        var negative = Unsafe.Add(ref b0, i) == (byte)'-';
        if (negative)
        {
            i++;
        }

        var k = LeadingDigits(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref b0, i)), out var values);
        if (k == 0)
        {
            return true; // not a digit: malformed, as the byte scan says
        }

        ulong mantissa;
        int digits;
        if ((values & 0xFF) == 0)
        {
            mantissa = 0; // an integer part that starts with 0 is that 0 alone
            digits = 1;
            i++;
        }
        else
        {
            mantissa = Convert(values, k);
            digits = k;
            i += k;
            while (k == 8)
            {
                if (i > limit)
                {
                    return false;
                }

                k = LeadingDigits(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref b0, i)), out values);
                if (k > 0)
                {
                    mantissa = (mantissa * Pow10Int[k]) + Convert(values, k);
                    digits += k;
                    i += k;
                }
            }
        }

        var exponent = 0;
        var plain = true;
        if (i > limit)
        {
            return false;
        }

        if (Unsafe.Add(ref b0, i) == (byte)'.')
        {
            plain = false;
            i++;
            do
            {
                if (i > limit)
                {
                    return false;
                }

                k = LeadingDigits(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref b0, i)), out values);
                if (k == 0)
                {
                    if (exponent == 0)
                    {
                        return true; // "1." followed by no digit: malformed
                    }

                    break;
                }

                mantissa = (mantissa * Pow10Int[k]) + Convert(values, k);
                digits += k;
                exponent -= k;
                i += k;
            }
            while (k == 8);

            if (i > limit)
            {
                return false;
            }
        }

        var next = Unsafe.Add(ref b0, i);
        if ((next | 0x20) == (byte)'e')
        {
            return false; // exponents are rare: the byte scan reads them
        }

        if (next is not ((byte)',' or (byte)'}' or (byte)']' or (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t'))
        {
            return true; // "12x", "01": malformed
        }

        token = new NumberToken(start, i, mantissa, digits, exponent, negative, plain);
        status = ParseStatus.Ok;
        return true;
    }

    /// <summary>
    /// An order-book unit's number straight to its double, for the common spellings only: no sign, an integer part of
    /// at most fifteen digits, at most fifteen fraction digits, no exponent, followed by <c>,</c> <c>}</c> or <c>]</c>,
    /// and a value Clinger's fast path converts exactly (the same test and the same arithmetic as
    /// <see cref="NumberText.ToDouble"/>, so the double is the one the general path gives). False, with nothing
    /// consumed, for anything else: the caller then scans a <see cref="NumberToken"/>, which decides.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool TryWideDouble(ReadOnlySpan<byte> buf, int start, out double value, out int end)
    {
        value = 0;
        end = start;
        if (!BitConverter.IsLittleEndian || start > buf.Length - 48)
        {
            return false;
        }

        ref var b0 = ref MemoryMarshal.GetReference(buf);
        var i = start;
        var k = LeadingDigits(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref b0, i)), out var values);
        if (k == 0 || ((values & 0xFF) == 0 && k != 1))
        {
            return false; // no digit, or a leading zero before more digits ("01": malformed)
        }

        var mantissa = Convert(values, k);
        var digits = k;
        var exponent = 0;
        i += k;
        if (k == 8)
        {
            k = LeadingDigits(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref b0, i)), out values);
            if (k == 8)
            {
                return false; // sixteen or more integer digits
            }

            if (k > 0)
            {
                mantissa = (mantissa * Pow10Int[k]) + Convert(values, k);
                digits += k;
                i += k;
            }
        }

        if (Unsafe.Add(ref b0, i) == (byte)'.')
        {
            i++;
            k = LeadingDigits(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref b0, i)), out values);
            if (k == 0)
            {
                return false; // "1." with no digit: malformed, for the token scan to say
            }

            mantissa = (mantissa * Pow10Int[k]) + Convert(values, k);
            digits += k;
            exponent = -k;
            i += k;
            if (k == 8)
            {
                k = LeadingDigits(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref b0, i)), out values);
                if (k == 8)
                {
                    return false;
                }

                if (k > 0)
                {
                    mantissa = (mantissa * Pow10Int[k]) + Convert(values, k);
                    digits += k;
                    exponent -= k;
                    i += k;
                }
            }
        }

        if (Unsafe.Add(ref b0, i) is not ((byte)',' or (byte)'}' or (byte)']') || digits > 19 || mantissa > (1UL << 53))
        {
            return false;
        }

        double result = mantissa;
        value = exponent < 0 ? result / NumberText.Pow10[-exponent] : result;
        end = i;
        return true;
    }

    /// <summary>How many of the word's bytes, in memory order, are ASCII digits before the first that is not (0–8); their values in <paramref name="values"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int LeadingDigits(ulong word, out ulong values)
    {
        values = word ^ Ascii0; // a digit becomes 0–9; anything else has a high nibble or a low nibble above 9
        var nonDigit = (values & HighNibbles) | (((values & LowNibbles) + Sixes) & HighNibbles);
        return nonDigit == 0 ? 8 : BitOperations.TrailingZeroCount(nonDigit) >> 3; // little-endian: the first byte is the lowest
    }

    /// <summary>The first <paramref name="count"/> (1–8) digit values of the word, in memory order, as one integer.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Convert(ulong values, int count)
    {
        var v = values << (8 * (8 - count)); // the digits to the top bytes, leading zeros below; the rest falls off
        v = ((v & LowNibbles) * 2561) >> 8;
        v = ((v & 0x00FF00FF00FF00FFUL) * 6553601) >> 16;
        return ((v & 0x0000FFFF0000FFFFUL) * 42949672960001) >> 32;
    }
}
