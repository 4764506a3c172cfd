namespace UpbitHft.Feed.Parsing;

/// <summary>
/// Exact decimals for money (the private socket's funds, fees and balances): computed from the digits, never through
/// double. <see cref="decimal"/> holds a 96-bit integer scaled by 10^0..10^28; digits beyond that precision are cut
/// off (truncated toward zero: a balance is never rounded up to more than the exchange said), and a magnitude beyond
/// <see cref="decimal.MaxValue"/> is not a number here.
/// </summary>
internal static partial class NumberText
{
    private const int MaxDecimalScale = 28;

    /// <summary>
    /// Parses number text (JSON grammar; leading zeros allowed; e.g. <c>30925891.29839369</c>, <c>1.16539E8</c>,
    /// <c>1000000.0</c>) into an exact decimal, truncating digits past decimal's precision. False for anything that is
    /// not a number and for magnitudes beyond <see cref="decimal.MaxValue"/>.
    /// </summary>
    public static bool TryParseDecimal(ReadOnlySpan<byte> text, out decimal value)
    {
        value = 0;
        return NumberToken.Scan(text, 0, inFrame: false, out var token) == ParseStatus.Ok && ToDecimal(text, in token, out value);
    }

    /// <summary>The token's value as a decimal (see <see cref="TryParseDecimal"/>); false when it is out of range.</summary>
    internal static bool ToDecimal(ReadOnlySpan<byte> buf, in NumberToken token, out decimal value)
    {
        // Up to 19 digits the scanned mantissa is exact (below 10^19 < 2^64): the common case, no second look at the digits.
        return token.Digits <= 19
            ? Compose(token.Mantissa, token.Exponent, token.Negative, out value)
            : FromDigits(buf, in token, out value);
    }

    /// <summary>Digit by digit, keeping the leading digits while they fit 96 bits and 28 decimal places.</summary>
    private static bool FromDigits(ReadOnlySpan<byte> buf, in NumberToken token, out decimal value)
    {
        value = 0;
        UInt128 acc = 0;
        var place = token.Exponent + token.Digits; // the power of ten just above the first digit
        for (var i = token.Start; i < token.End; i++)
        {
            var d = (uint)(buf[i] - '0');
            if (d > 9)
            {
                if ((buf[i] | 0x20) == (byte)'e')
                {
                    break;
                }

                continue; // the sign or the decimal point
            }

            place--;
            var next = (acc * 10) + d;
            if (place < -MaxDecimalScale || (next >> 96) != 0)
            {
                if (place >= 0)
                {
                    return false; // the integer part alone is wider than 96 bits
                }

                place++; // this digit and all after it are cut off
                break;
            }

            acc = next;
        }

        return Compose(acc, place, token.Negative, out value);
    }

    /// <summary>value = ±<paramref name="mantissa"/> × 10^<paramref name="exponent"/>, truncated to 28 decimal places.</summary>
    private static bool Compose(UInt128 mantissa, int exponent, bool negative, out decimal value)
    {
        value = 0;
        if (mantissa == 0)
        {
            value = new decimal(0, 0, 0, false, (byte)Math.Clamp(-exponent, 0, MaxDecimalScale));
            return true;
        }

        for (; exponent > 0; exponent--)
        {
            mantissa *= 10;
            if ((mantissa >> 96) != 0)
            {
                return false;
            }
        }

        for (; exponent < -MaxDecimalScale && mantissa != 0; exponent++)
        {
            mantissa /= 10;
        }

        var scale = (byte)Math.Min(-exponent, MaxDecimalScale);
        value = new decimal((int)(uint)mantissa, (int)(uint)(mantissa >> 32), (int)(uint)(mantissa >> 64), negative && mantissa != 0, scale);
        return true;
    }
}
