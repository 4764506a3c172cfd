using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace UpbitHft.Feed.Parsing;

/// <summary>
/// Number text → value straight from UTF-8, from a <see cref="NumberToken"/>. The double fast path is exact: a
/// decimal mantissa below 2^53 scaled by a power of ten up to 10^22 is one correctly rounded IEEE operation
/// (Clinger's fast path), which covers every price and size Upbit sends (<c>123.00000000</c>, <c>1.16539E8</c>,
/// <c>5.0E-4</c>). Anything else goes to the runtime's UTF-8 parser, which is also exact. Decimals are computed from
/// the digits (see <c>NumberText.Decimal.cs</c>). Nothing here allocates.
/// </summary>
internal static partial class NumberText
{
    internal static ReadOnlySpan<double> Pow10 =>
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];

    private const ulong MaxExactMantissa = 1UL << 53;

    /// <summary>Parses a decimal number (JSON grammar, or a decimal string such as <c>"1000000.0"</c>). Rejects NaN/∞.</summary>
    public static bool TryParseDouble(ReadOnlySpan<byte> text, out double value)
    {
        if (NumberToken.Scan(text, 0, inFrame: false, out var token) == ParseStatus.Ok)
        {
            return ToDouble(text, in token, out value);
        }

        // Not JSON grammar ("+1", ".5", "1."): the runtime decides, as it always has for number text.
        return TryParseSlow(text, out value);
    }

    /// <summary>Parses an integer; a fraction or exponent is accepted only when the value is integral and exact.</summary>
    public static bool TryParseLong(ReadOnlySpan<byte> text, out long value)
    {
        if (NumberToken.Scan(text, 0, inFrame: false, out var token) == ParseStatus.Ok)
        {
            return ToLong(text, in token, out value);
        }

        return TryLongViaDouble(text, out value);
    }

    /// <summary>The token's value as a double; false for a value that is not finite.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool ToDouble(ReadOnlySpan<byte> buf, in NumberToken token, out double value)
    {
        var exponent = token.Exponent;
        if (token.Digits <= 19 && token.Mantissa <= MaxExactMantissa && exponent is >= -22 and <= 22)
        {
            double result = token.Mantissa;
            result = exponent < 0 ? result / Pow10[-exponent] : exponent > 0 ? result * Pow10[exponent] : result;
            value = token.Negative ? -result : result;
            return true;
        }

        return TryTrailingZerosTrimmed(buf, in token, out value) || TryParseSlow(buf[token.Start..token.End], out value);
    }

    /// <summary>
    /// Clinger's fast path for a number whose digits only overflow it through zeros: Upbit writes amounts with a fixed
    /// number of decimals (<c>78039261076.51241000</c>: 19 digits, <c>228827082483.70729000</c>: 21), and
    /// <c>D × 10^e</c> is <c>(D / 10^k) × 10^(e + k)</c> when D ends in k zeros. Leading zeros count for nothing either.
    /// False (the caller asks the runtime) when what is left is still too long or the power too large.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static bool TryTrailingZerosTrimmed(ReadOnlySpan<byte> buf, in NumberToken token, out double value)
    {
        value = 0;
        if (token.Exponent is <= -100_000 or >= 100_000)
        {
            return false; // the scan saturates its exponent there: only the runtime reads such a number exactly
        }

        ulong mantissa = 0;
        var significant = 0; // digits since the first non-zero one
        var pendingZeros = 0; // zeros after the last non-zero digit, not yet multiplied in
        for (var i = token.Negative ? token.Start + 1 : token.Start; i < token.End; i++)
        {
            var b = buf[i];
            if (b == (byte)'.')
            {
                continue;
            }

            var d = (uint)(b - '0');
            if (d > 9)
            {
                break; // the exponent part, already in token.Exponent
            }

            if (d == 0)
            {
                pendingZeros++;
                continue;
            }

            if (significant > 0 || mantissa > 0)
            {
                significant += pendingZeros;
            }

            if (significant + 1 > 19)
            {
                return false;
            }

            for (; pendingZeros > 0 && mantissa > 0; pendingZeros--)
            {
                mantissa *= 10;
            }

            pendingZeros = 0;
            mantissa = (mantissa * 10) + d;
            significant++;
        }

        // token.Exponent = exponent part - fraction digits; the trailing zeros left out raise it back.
        var exponent = token.Exponent + pendingZeros;
        if (mantissa > MaxExactMantissa && exponent is < 0 and >= -19)
        {
            value = Quotient(mantissa, exponent);
            value = token.Negative ? -value : value;
            return true;
        }

        if (mantissa > MaxExactMantissa || exponent is < -22 or > 22)
        {
            return false;
        }

        double result = mantissa;
        result = exponent < 0 ? result / Pow10[-exponent] : exponent > 0 ? result * Pow10[exponent] : result;
        value = token.Negative ? -result : result;
        return true;
    }

    /// <summary>
    /// <paramref name="mantissa"/> × 10^<paramref name="exponent"/> correctly rounded, for a mantissa of 54 to 64 bits and
    /// an exponent of -1 to -19 (Clinger's fast path needs 53 bits): the quotient is taken in integers with two to three
    /// bits more than a double holds, then rounded to nearest, ties to even, with the remainder as the sticky bit.
    /// </summary>
    private static double Quotient(ulong mantissa, int exponent)
    {
        var divisor = 1UL;
        for (var i = exponent; i < 0; i++)
        {
            divisor *= 10;
        }

        // (mantissa << shift) / divisor ≥ 2^54: at least 55 bits (at most 56 when shifted; a small divisor needs no
        // shift and leaves up to 64 bits, all below the 53 kept only rounding).
        var shift = Math.Max(0, 55 + (64 - BitOperations.LeadingZeroCount(divisor)) - (64 - BitOperations.LeadingZeroCount(mantissa)));
        var (q128, r) = UInt128.DivRem((UInt128)mantissa << shift, divisor);
        var q = (ulong)q128;
        var extra = (64 - BitOperations.LeadingZeroCount(q)) - 53;
        var kept = q >> extra;
        var dropped = q & ((1UL << extra) - 1);
        var half = 1UL << (extra - 1);
        if (dropped > half || (dropped == half && (r != 0 || (kept & 1) != 0)))
        {
            kept++;
        }

        return Math.ScaleB(kept, extra - shift);
    }

    /// <summary>
    /// The token's value as a long: digits alone are exact up to <see cref="long.MaxValue"/>; a fraction or exponent
    /// form goes through double and must be integral and within 2^53.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool ToLong(ReadOnlySpan<byte> buf, in NumberToken token, out long value)
    {
        if (token.Plain && token.Digits <= 19)
        {
            if (token.Mantissa > long.MaxValue)
            {
                value = 0;
                return false;
            }

            value = token.Negative ? -(long)token.Mantissa : (long)token.Mantissa;
            return true;
        }

        return TryLongViaDouble(buf[token.Start..token.End], out value);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool TryParseSlow(ReadOnlySpan<byte> text, out double value)
    {
        // AllowThousands is off and so is whitespace: the text must be exactly a number.
        if (!double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent,
                CultureInfo.InvariantCulture, out value))
        {
            return false;
        }

        return double.IsFinite(value);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool TryLongViaDouble(ReadOnlySpan<byte> text, out long value)
    {
        value = 0;
        if (!TryParseDouble(text, out var d) || d != Math.Floor(d) || Math.Abs(d) > MaxExactMantissa)
        {
            return false;
        }

        value = (long)d;
        return true;
    }
}
