using System.Runtime.CompilerServices;

namespace UpbitHft.Feed.Parsing;

/// <summary>
/// A scanned number: where it lies in the buffer and its decimal mantissa and exponent, so that
/// value = (-1)^<see cref="Negative"/> × <see cref="Mantissa"/> × 10^<see cref="Exponent"/>. <see cref="Scan"/> is the
/// one digit-scanning routine of the parser: double, long, decimal and skip paths all start from its result. Order-book
/// units use <see cref="ScanWide"/>, the same grammar read eight bytes at a time, which falls back to it and is tested
/// to give the same token.
/// </summary>
/// <remarks>
/// <see cref="Mantissa"/> holds every digit (leading zeros included) while there are at most 19 of them; past that
/// it has wrapped and the converters walk the digits of [<see cref="Start"/>, <see cref="End"/>) themselves.
/// </remarks>
internal readonly ref partial struct NumberToken
{
    /// <summary>Index of the first byte (the sign, if any).</summary>
    public readonly int Start;

    /// <summary>Index just past the last byte of the number.</summary>
    public readonly int End;

    /// <summary>The digits read as one integer; exact only when <see cref="Digits"/> ≤ 19.</summary>
    public readonly ulong Mantissa;

    /// <summary>How many digits the integer and fraction parts have together, leading zeros included.</summary>
    public readonly int Digits;

    /// <summary>The power of ten: the exponent part less the fraction's length (saturates near ±10^6).</summary>
    public readonly int Exponent;

    public readonly bool Negative;

    /// <summary>Only a sign and digits: no fraction and no exponent part.</summary>
    public readonly bool Plain;

    private NumberToken(int start, int end, ulong mantissa, int digits, int exponent, bool negative, bool plain)
    {
        Start = start;
        End = end;
        Mantissa = mantissa;
        Digits = digits;
        Exponent = exponent;
        Negative = negative;
        Plain = plain;
    }

    /// <summary>
    /// Scans the number at <paramref name="buf"/>[<paramref name="start"/>..] by the JSON grammar: <c>-?int(.digits)?([eE][+-]?digits)?</c>.
    /// </summary>
    /// <param name="buf">The frame, or the number text alone.</param>
    /// <param name="start">Where the number starts (a '-' or a digit; anything else is malformed).</param>
    /// <param name="inFrame">
    /// True for a token inside a frame: no leading zeros ("01" is malformed), and a delimiter must follow — a number at
    /// the very end means the frame was cut (<see cref="ParseStatus.Truncated"/>), since a root object cannot end in
    /// one. False for number text (a quoted number, the whole span): leading zeros are allowed and nothing may follow.
    /// </param>
    /// <param name="token">The number, when the result is <see cref="ParseStatus.Ok"/>.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ParseStatus Scan(ReadOnlySpan<byte> buf, int start, bool inFrame, out NumberToken token)
    {
        token = default;
        var i = start;
        var negative = (uint)i < (uint)buf.Length && buf[i] == (byte)'-';
        if (negative)
        {
            i++;
        }

        if ((uint)i >= (uint)buf.Length)
        {
            return ParseStatus.Truncated;
        }

        ulong mantissa = 0;
        var digits = 0;
        var exponent = 0;
        uint d = (uint)(buf[i] - '0');
        if (d > 9)
        {
            return ParseStatus.Malformed;
        }

        if (d == 0 && inFrame)
        {
            digits = 1; // a JSON integer part that starts with 0 is that 0 alone
            i++;
        }
        else
        {
            do
            {
                mantissa = (mantissa * 10) + d;
                digits++;
                i++;
            }
            while ((uint)i < (uint)buf.Length && (d = (uint)(buf[i] - '0')) <= 9);
        }

        var plain = true;
        if ((uint)i < (uint)buf.Length && buf[i] == (byte)'.')
        {
            plain = false;
            i++;
            var fracStart = i;
            while ((uint)i < (uint)buf.Length && (d = (uint)(buf[i] - '0')) <= 9)
            {
                mantissa = (mantissa * 10) + d;
                digits++;
                exponent--;
                i++;
            }

            if (i == fracStart)
            {
                return (uint)i >= (uint)buf.Length ? ParseStatus.Truncated : ParseStatus.Malformed;
            }
        }

        if ((uint)i < (uint)buf.Length && (buf[i] | 0x20) == (byte)'e')
        {
            plain = false;
            i++;
            var expNegative = false;
            if ((uint)i < (uint)buf.Length && (buf[i] == (byte)'+' || buf[i] == (byte)'-'))
            {
                expNegative = buf[i] == (byte)'-';
                i++;
            }

            var e = 0;
            var expStart = i;
            while ((uint)i < (uint)buf.Length && (d = (uint)(buf[i] - '0')) <= 9)
            {
                e = e < 100_000 ? (e * 10) + (int)d : e; // saturates: far beyond any double or decimal
                i++;
            }

            if (i == expStart)
            {
                return (uint)i >= (uint)buf.Length ? ParseStatus.Truncated : ParseStatus.Malformed;
            }

            exponent += expNegative ? -e : e;
        }

        if (inFrame)
        {
            if ((uint)i >= (uint)buf.Length)
            {
                return ParseStatus.Truncated;
            }

            if (buf[i] is not ((byte)',' or (byte)'}' or (byte)']' or (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t'))
            {
                return ParseStatus.Malformed; // "12x"
            }
        }
        else if (i != buf.Length)
        {
            return ParseStatus.Malformed;
        }

        token = new NumberToken(start, i, mantissa, digits, exponent, negative, plain);
        return ParseStatus.Ok;
    }
}
