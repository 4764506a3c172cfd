using System.Globalization;
using System.Runtime.CompilerServices;

namespace UpbitHft.Feed.Parsing;

/// <summary>
/// Number text → value straight from UTF-8. The fast path is exact: a decimal mantissa below 2^53 scaled by a power
/// of ten up to 10^22 is one correctly rounded IEEE operation (Clinger's fast path), which covers every price and
/// size Upbit sends (<c>123.00000000</c>, <c>1.16539E8</c>, <c>5.0E-4</c>). Anything else goes to the runtime's
/// UTF-8 parser, which is also exact; neither allocates.
/// </summary>
internal static class NumberText
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
        if (TryFast(text, out value))
        {
            return true;
        }

        return TryParseSlow(text, out value);
    }

    /// <summary>Parses an integer; a fraction or exponent is accepted only when the value is integral and exact.</summary>
    public static bool TryParseLong(ReadOnlySpan<byte> text, out long value)
    {
        value = 0;
        var i = 0;
        var negative = false;
        if (text.Length > 0 && text[0] == (byte)'-')
        {
            negative = true;
            i = 1;
        }

        if (i >= text.Length || text.Length - i > 19)
        {
            return TryLongViaDouble(text, out value);
        }

        ulong acc = 0;
        for (; i < text.Length; i++)
        {
            var d = (uint)(text[i] - '0');
            if (d > 9)
            {
                return TryLongViaDouble(text, out value);
            }

            acc = (acc * 10) + d;
        }

        if (acc > long.MaxValue)
        {
            return false;
        }

        value = negative ? -(long)acc : (long)acc;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryFast(ReadOnlySpan<byte> text, out double value)
    {
        value = 0;
        var i = 0;
        var n = text.Length;
        var negative = false;
        if (n > 0 && text[0] == (byte)'-')
        {
            negative = true;
            i = 1;
        }

        ulong mantissa = 0;
        var exponent = 0;
        var digits = 0;
        var start = i;
        while (i < n)
        {
            var d = (uint)(text[i] - '0');
            if (d > 9)
            {
                break;
            }

            mantissa = (mantissa * 10) + d;
            digits++;
            i++;
        }

        if (i == start)
        {
            return false;
        }

        if (i < n && text[i] == (byte)'.')
        {
            i++;
            var fracStart = i;
            while (i < n)
            {
                var d = (uint)(text[i] - '0');
                if (d > 9)
                {
                    break;
                }

                mantissa = (mantissa * 10) + d;
                digits++;
                exponent--;
                i++;
            }

            if (i == fracStart)
            {
                return false;
            }
        }

        if (i < n && (text[i] | 0x20) == (byte)'e')
        {
            i++;
            var expNegative = false;
            if (i < n && (text[i] == (byte)'+' || text[i] == (byte)'-'))
            {
                expNegative = text[i] == (byte)'-';
                i++;
            }

            var e = 0;
            var expStart = i;
            while (i < n && (uint)(text[i] - '0') <= 9 && e < 10_000)
            {
                e = (e * 10) + (text[i] - '0');
                i++;
            }

            if (i == expStart)
            {
                return false;
            }

            exponent += expNegative ? -e : e;
        }

        // 19 digits always fit a ulong; beyond that (or a mantissa too wide for a double) the fast path is not exact.
        if (i != n || digits > 19 || mantissa > MaxExactMantissa)
        {
            return false;
        }

        double result = mantissa;
        if (exponent < 0)
        {
            if (exponent < -22)
            {
                return false;
            }

            result /= Pow10[-exponent];
        }
        else if (exponent > 0)
        {
            if (exponent > 22)
            {
                return false;
            }

            result *= Pow10[exponent];
        }

        value = negative ? -result : result;
        return true;
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
