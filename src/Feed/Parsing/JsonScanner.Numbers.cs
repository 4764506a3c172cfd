using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace UpbitHft.Feed.Parsing;

/// <summary>
/// Numbers, written as a JSON number in any spelling (<c>127.0</c>, <c>1.16539E8</c>, <c>5.0E-4</c>) or as a decimal
/// string (Upbit's Exchange API style). Every reader scans the token once with <see cref="NumberToken.Scan"/> and
/// converts its mantissa and exponent with <see cref="NumberText"/>.
/// </summary>
internal ref partial struct JsonScanner
{
    /// <summary>Reads a double. Rejects NaN and infinities.</summary>
    public ParseStatus ReadDouble(out double value)
    {
        var length = ShortPlainLength(out var digits, out var decimals);
        if (length != 0 && digits <= MaxExactMantissa) // at most 19 decimals: within Clinger's 10^22
        {
            value = decimals == 0 ? digits : digits / NumberText.Pow10[decimals];
            _pos += length;
            return ParseStatus.Ok;
        }

        value = 0;
        var status = StartNumber(out var quoted, out var text);
        if (status != ParseStatus.Ok)
        {
            return status;
        }

        if (quoted)
        {
            return NumberText.TryParseDouble(text, out value) ? ParseStatus.Ok : ParseStatus.BadNumber;
        }

        if ((status = NumberToken.Scan(_buf, _pos, inFrame: true, out var token)) != ParseStatus.Ok)
        {
            return status;
        }

        _pos = token.End;
        return NumberText.ToDouble(_buf, in token, out value) ? ParseStatus.Ok : ParseStatus.BadNumber;
    }

    /// <summary>Reads an integer. A fractional or exponent form must be integral.</summary>
    public ParseStatus ReadLong(out long value)
    {
        var length = ShortPlainLength(out var digits, out var decimals);
        if (length != 0 && decimals == 0 && digits <= long.MaxValue)
        {
            value = (long)digits;
            _pos += length;
            return ParseStatus.Ok;
        }

        value = 0;
        var status = StartNumber(out var quoted, out var text);
        if (status != ParseStatus.Ok)
        {
            return status;
        }

        if (quoted)
        {
            return NumberText.TryParseLong(text, out value) ? ParseStatus.Ok : ParseStatus.BadNumber;
        }

        if ((status = NumberToken.Scan(_buf, _pos, inFrame: true, out var token)) != ParseStatus.Ok)
        {
            return status;
        }

        _pos = token.End;
        return NumberText.ToLong(_buf, in token, out value) ? ParseStatus.Ok : ParseStatus.BadNumber;
    }

    /// <summary>
    /// Reads an exact decimal for money, computed from the digits (never via double): digits beyond decimal's
    /// precision are truncated toward zero; a magnitude beyond <see cref="decimal.MaxValue"/> is
    /// <see cref="ParseStatus.BadNumber"/>.
    /// </summary>
    public ParseStatus ReadDecimal(out decimal value)
    {
        value = 0;
        var status = StartNumber(out var quoted, out var text);
        if (status != ParseStatus.Ok)
        {
            return status;
        }

        if (quoted)
        {
            return NumberText.TryParseDecimal(text, out value) ? ParseStatus.Ok : ParseStatus.BadNumber;
        }

        if ((status = NumberToken.Scan(_buf, _pos, inFrame: true, out var token)) != ParseStatus.Ok)
        {
            return status;
        }

        _pos = token.End;
        return NumberText.ToDecimal(_buf, in token, out value) ? ParseStatus.Ok : ParseStatus.BadNumber;
    }

    private const ulong MaxExactMantissa = 1UL << 53;

    /// <summary>
    /// The common case in one tight loop: an unsigned number of at most 19 digits with an optional fraction, followed
    /// directly by <c>,</c> <c>}</c> or <c>]</c>, with room to read past it: its length (its value is
    /// <paramref name="digits"/> / 10^<paramref name="decimals"/>), which the caller consumes if it takes the value.
    /// 0 for anything else — a sign, an exponent, a leading zero, whitespace, a quote, the frame's end — which the
    /// general path reads, and gives the same answer as this one for every number this one takes. Moves nothing.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal readonly int ShortPlainLength(out ulong digits, out int decimals)
    {
        digits = 0;
        decimals = 0;
        var i = _pos;
        if (_buf.Length - i < 32)
        {
            return 0; // 19 digits, a point and the delimiter fit in 32 bytes: no bounds checks below
        }

        ref var p = ref Unsafe.Add(ref MemoryMarshal.GetReference(_buf), i);
        var d = (uint)(p - '0');
        if (d > 9 || (d == 0 && Unsafe.Add(ref p, 1) != (byte)'.'))
        {
            return 0;
        }

        ulong m = d;
        var n = 1;
        while ((d = (uint)(Unsafe.Add(ref p, n) - '0')) <= 9)
        {
            m = (m * 10) + d;
            if (++n > 19)
            {
                return 0;
            }
        }

        var count = n;
        if (Unsafe.Add(ref p, n) == (byte)'.')
        {
            var point = ++n;
            while ((d = (uint)(Unsafe.Add(ref p, n) - '0')) <= 9)
            {
                m = (m * 10) + d;
                n++;
                if (++count > 19)
                {
                    return 0;
                }
            }

            decimals = n - point;
            if (decimals == 0)
            {
                return 0;
            }
        }

        var next = Unsafe.Add(ref p, n);
        if (next != (byte)',' && next != (byte)'}' && next != (byte)']')
        {
            return 0;
        }

        digits = m;
        return n;
    }

    /// <summary>
    /// Where a number starts: a quoted number is read whole here (<paramref name="quoted"/>, its <paramref name="text"/>);
    /// otherwise the cursor is left on the token's first byte. Other JSON types are <see cref="ParseStatus.WrongFieldType"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ParseStatus StartNumber(out bool quoted, out ReadOnlySpan<byte> text)
    {
        quoted = false;
        text = default;
        if (!SkipWhitespace())
        {
            return ParseStatus.Truncated;
        }

        var b = _buf[_pos];
        if (b == (byte)'"')
        {
            quoted = true;
            var s = ReadString(out text, out var escaped);
            return s != ParseStatus.Ok ? s : escaped ? ParseStatus.BadNumber : ParseStatus.Ok;
        }

        if (b != (byte)'-' && (uint)(b - '0') > 9)
        {
            return b is (byte)'{' or (byte)'[' or (byte)'t' or (byte)'f' or (byte)'n' ? ParseStatus.WrongFieldType : ParseStatus.Malformed;
        }

        return ParseStatus.Ok;
    }
}
