using System.Runtime.CompilerServices;

namespace UpbitHft.Feed.Parsing;

/// <summary>
/// A forward-only UTF-8 JSON cursor specialised for Upbit's flat messages. It validates exactly what it reads
/// (structure, strings, numbers, literals) and reports problems as <see cref="ParseStatus"/>, never by throwing.
/// </summary>
internal ref struct JsonScanner
{
    private const int MaxDepth = 8;

    private readonly ReadOnlySpan<byte> _buf;
    private int _pos;

    public JsonScanner(ReadOnlySpan<byte> buffer)
    {
        _buf = buffer;
        _pos = 0;
    }

    public readonly int Position => _pos;

    /// <summary>Skips whitespace; false when the buffer ends.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool SkipWhitespace()
    {
        while ((uint)_pos < (uint)_buf.Length)
        {
            var b = _buf[_pos];
            if (b > (byte)' ' || (b != (byte)' ' && b != (byte)'\n' && b != (byte)'\r' && b != (byte)'\t'))
            {
                return true;
            }

            _pos++;
        }

        return false;
    }

    /// <summary>The next non-whitespace byte without consuming it, or 0 at the end.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public byte Peek() => SkipWhitespace() ? _buf[_pos] : (byte)0;

    /// <summary>Consumes <paramref name="expected"/> after optional whitespace.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ParseStatus Expect(byte expected)
    {
        if (!SkipWhitespace())
        {
            return ParseStatus.Truncated;
        }

        if (_buf[_pos] != expected)
        {
            return ParseStatus.Malformed;
        }

        _pos++;
        return ParseStatus.Ok;
    }

    /// <summary>After a member: consumes ',' (more follows, true) or the closing <paramref name="close"/> (false).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ParseStatus NextMember(byte close, out bool more)
    {
        more = false;
        if (!SkipWhitespace())
        {
            return ParseStatus.Truncated;
        }

        var b = _buf[_pos++];
        if (b == (byte)',')
        {
            more = true;
            return ParseStatus.Ok;
        }

        return b == close ? ParseStatus.Ok : ParseStatus.Malformed;
    }

    /// <summary>True (and consumed) when the next byte closes the container: an empty object or array.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryConsumeEmpty(byte close)
    {
        if (SkipWhitespace() && _buf[_pos] == close)
        {
            _pos++;
            return true;
        }

        return false;
    }

    /// <summary>Reads a string; <paramref name="content"/> is the raw bytes between the quotes (escapes not decoded).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ParseStatus ReadString(out ReadOnlySpan<byte> content, out bool escaped)
    {
        content = default;
        escaped = false;
        if (!SkipWhitespace())
        {
            return ParseStatus.Truncated;
        }

        if (_buf[_pos] != (byte)'"')
        {
            return ParseStatus.WrongFieldType;
        }

        // Upbit's keys and enum values are short: one scalar pass that stops at the quote, a backslash or a control
        // byte beats two vectorized searches on strings of 2–20 bytes.
        var start = _pos + 1;
        var buf = _buf;
        for (var i = start; (uint)i < (uint)buf.Length; i++)
        {
            var b = buf[i];
            if (b == (byte)'"')
            {
                content = buf[start..i];
                _pos = i + 1;
                return ParseStatus.Ok;
            }

            if (b == (byte)'\\' || b < 0x20)
            {
                break;
            }
        }

        return ReadEscapedString(start, out content, out escaped);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private ParseStatus ReadEscapedString(int start, out ReadOnlySpan<byte> content, out bool escaped)
    {
        content = default;
        escaped = false;
        var i = start;
        while (i < _buf.Length)
        {
            var b = _buf[i];
            if (b == (byte)'"')
            {
                content = _buf[start..i];
                _pos = i + 1;
                return ParseStatus.Ok;
            }

            if (b < 0x20)
            {
                return ParseStatus.Malformed;
            }

            if (b == (byte)'\\')
            {
                escaped = true;
                if (i + 1 >= _buf.Length)
                {
                    return ParseStatus.Truncated;
                }

                var e = _buf[i + 1];
                if (e == (byte)'u')
                {
                    if (i + 6 > _buf.Length)
                    {
                        return ParseStatus.Truncated;
                    }

                    for (var k = i + 2; k < i + 6; k++)
                    {
                        if (!char.IsAsciiHexDigit((char)_buf[k]))
                        {
                            return ParseStatus.Malformed;
                        }
                    }

                    i += 6;
                    continue;
                }

                if (e is not ((byte)'"' or (byte)'\\' or (byte)'/' or (byte)'b' or (byte)'f' or (byte)'n' or (byte)'r' or (byte)'t'))
                {
                    return ParseStatus.Malformed;
                }

                i += 2;
                continue;
            }

            i++;
        }

        return ParseStatus.Truncated;
    }

    /// <summary>True (consumed) when the next value is the literal <c>null</c>.</summary>
    public bool TryReadNull(out ParseStatus status)
    {
        status = ParseStatus.Ok;
        if (!SkipWhitespace() || _buf[_pos] != (byte)'n')
        {
            return false;
        }

        status = ReadLiteral("null"u8);
        return true;
    }

    /// <summary>Reads <c>true</c> or <c>false</c>.</summary>
    public ParseStatus ReadBool(out bool value)
    {
        value = false;
        if (!SkipWhitespace())
        {
            return ParseStatus.Truncated;
        }

        switch (_buf[_pos])
        {
            case (byte)'t':
                value = true;
                return ReadLiteral("true"u8);
            case (byte)'f':
                return ReadLiteral("false"u8);
            case (byte)'"' or (byte)'{' or (byte)'[' or (byte)'n' or (byte)'-' or (>= (byte)'0' and <= (byte)'9'):
                return ParseStatus.WrongFieldType;
            default:
                return ParseStatus.Malformed;
        }
    }

    /// <summary>
    /// Reads a number written as a JSON number in any spelling (<c>127.0</c>, <c>1.16539E8</c>, <c>5.0E-4</c>) or as a
    /// decimal string (Upbit's Exchange API style). Rejects NaN and infinities.
    /// </summary>
    public ParseStatus ReadDouble(out double value)
    {
        value = 0;
        if (!SkipWhitespace())
        {
            return ParseStatus.Truncated;
        }

        var b = _buf[_pos];
        if (b == (byte)'"')
        {
            var s = ReadString(out var text, out var escaped);
            if (s != ParseStatus.Ok)
            {
                return s;
            }

            return !escaped && NumberText.TryParseDouble(text, out value) ? ParseStatus.Ok : ParseStatus.BadNumber;
        }

        if (b != (byte)'-' && (uint)(b - '0') > 9)
        {
            return b is (byte)'{' or (byte)'[' or (byte)'t' or (byte)'f' or (byte)'n' ? ParseStatus.WrongFieldType : ParseStatus.Malformed;
        }

        return ReadNumberToken(out value);
    }

    /// <summary>
    /// Scans and converts a JSON number token in one pass. The value is exact when the decimal mantissa fits 2^53 and
    /// the power of ten is within 10^±22 (Clinger's fast path); otherwise the token goes to the exact slow parser.
    /// </summary>
    private ParseStatus ReadNumberToken(out double value)
    {
        value = 0;
        var buf = _buf;
        var start = _pos;
        var i = start;
        var negative = buf[i] == (byte)'-';
        if (negative)
        {
            i++;
        }

        ulong mantissa = 0;
        var digits = 0;
        var exponent = 0;
        if ((uint)i >= (uint)buf.Length)
        {
            return ParseStatus.Truncated;
        }

        uint d = (uint)(buf[i] - '0');
        if (d == 0)
        {
            i++;
        }
        else if (d <= 9)
        {
            do
            {
                mantissa = (mantissa * 10) + d;
                digits++;
                i++;
            }
            while ((uint)i < (uint)buf.Length && (d = (uint)(buf[i] - '0')) <= 9);
        }
        else
        {
            return ParseStatus.Malformed;
        }

        if ((uint)i < (uint)buf.Length && buf[i] == (byte)'.')
        {
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
                e = e < 100_000 ? (e * 10) + (int)d : e;
                i++;
            }

            if (i == expStart)
            {
                return (uint)i >= (uint)buf.Length ? ParseStatus.Truncated : ParseStatus.Malformed;
            }

            exponent += expNegative ? -e : e;
        }

        // A number must be followed by a delimiter ("12x" is malformed); a number at the very end of the frame means
        // the frame was cut, since a root object cannot end in a number.
        if ((uint)i >= (uint)buf.Length)
        {
            return ParseStatus.Truncated;
        }

        var next = buf[i];
        if (next is not ((byte)',' or (byte)'}' or (byte)']' or (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t'))
        {
            return ParseStatus.Malformed;
        }

        _pos = i;
        if (digits <= 19 && mantissa <= (1UL << 53) && exponent is >= -22 and <= 22)
        {
            double result = mantissa;
            result = exponent < 0 ? result / NumberText.Pow10[-exponent] : exponent > 0 ? result * NumberText.Pow10[exponent] : result;
            value = negative ? -result : result;
            return ParseStatus.Ok;
        }

        return NumberText.TryParseDouble(buf[start..i], out value) ? ParseStatus.Ok : ParseStatus.BadNumber;
    }

    /// <summary>Reads an integer (JSON number or decimal string). A fractional or exponent form must be integral.</summary>
    public ParseStatus ReadLong(out long value)
    {
        value = 0;
        if (!SkipWhitespace())
        {
            return ParseStatus.Truncated;
        }

        ReadOnlySpan<byte> text;
        var b = _buf[_pos];
        if (b == (byte)'"')
        {
            var s = ReadString(out text, out var escaped);
            if (s != ParseStatus.Ok)
            {
                return s;
            }

            if (escaped)
            {
                return ParseStatus.BadNumber;
            }
        }
        else
        {
            if (b != (byte)'-' && (uint)(b - '0') > 9)
            {
                return b is (byte)'{' or (byte)'[' or (byte)'t' or (byte)'f' or (byte)'n' ? ParseStatus.WrongFieldType : ParseStatus.Malformed;
            }

            var start = _pos;
            if (TryReadPlainInteger(out value))
            {
                return ParseStatus.Ok;
            }

            var status = ScanNumber();
            if (status != ParseStatus.Ok)
            {
                return status;
            }

            text = _buf[start.._pos];
        }

        return NumberText.TryParseLong(text, out value) ? ParseStatus.Ok : ParseStatus.BadNumber;
    }

    /// <summary>Fast path for the common case: 1–18 digits, no sign/fraction/exponent, followed by a delimiter.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TryReadPlainInteger(out long value)
    {
        value = 0;
        var buf = _buf;
        var i = _pos;
        if (buf[i] == (byte)'0')
        {
            return false; // "0", "0.5", "01": leave all of them to the general path
        }

        long acc = 0;
        uint d;
        while ((uint)i < (uint)buf.Length && (d = (uint)(buf[i] - '0')) <= 9)
        {
            acc = (acc * 10) + d;
            i++;
        }

        var count = i - _pos;
        if (count is 0 or > 18 || (uint)i >= (uint)buf.Length || buf[i] is not ((byte)',' or (byte)'}' or (byte)']'))
        {
            return false;
        }

        _pos = i;
        value = acc;
        return true;
    }

    /// <summary>Skips any value (validating it), nested at most <see cref="MaxDepth"/> deep.</summary>
    public ParseStatus SkipValue(int depth = 0)
    {
        if (depth > MaxDepth)
        {
            return ParseStatus.TooDeep;
        }

        if (!SkipWhitespace())
        {
            return ParseStatus.Truncated;
        }

        switch (_buf[_pos])
        {
            case (byte)'"':
                return ReadString(out _, out _);
            case (byte)'{':
                return SkipContainer((byte)'}', isObject: true, depth);
            case (byte)'[':
                return SkipContainer((byte)']', isObject: false, depth);
            case (byte)'t':
                return ReadLiteral("true"u8);
            case (byte)'f':
                return ReadLiteral("false"u8);
            case (byte)'n':
                return ReadLiteral("null"u8);
            default:
                return ScanNumber();
        }
    }

    private ParseStatus SkipContainer(byte close, bool isObject, int depth)
    {
        _pos++;
        if (TryConsumeEmpty(close))
        {
            return ParseStatus.Ok;
        }

        while (true)
        {
            ParseStatus s;
            if (isObject)
            {
                if ((s = ReadString(out _, out _)) != ParseStatus.Ok)
                {
                    return s == ParseStatus.WrongFieldType ? ParseStatus.Malformed : s;
                }

                if ((s = Expect((byte)':')) != ParseStatus.Ok)
                {
                    return s;
                }
            }

            if ((s = SkipValue(depth + 1)) != ParseStatus.Ok)
            {
                return s;
            }

            if ((s = NextMember(close, out var more)) != ParseStatus.Ok)
            {
                return s;
            }

            if (!more)
            {
                return ParseStatus.Ok;
            }
        }
    }

    private ParseStatus ReadLiteral(ReadOnlySpan<byte> literal)
    {
        var rest = _buf[_pos..];
        if (rest.Length < literal.Length)
        {
            return literal.StartsWith(rest) ? ParseStatus.Truncated : ParseStatus.Malformed;
        }

        if (!rest.StartsWith(literal))
        {
            return ParseStatus.Malformed;
        }

        _pos += literal.Length;
        return ParseStatus.Ok;
    }

    /// <summary>Advances over a JSON number token, enforcing the JSON grammar (no leading zeros, digits after '.' and 'e').</summary>
    private ParseStatus ScanNumber()
    {
        var i = _pos;
        var n = _buf.Length;
        if (i < n && _buf[i] == (byte)'-')
        {
            i++;
        }

        if (i >= n)
        {
            return ParseStatus.Truncated;
        }

        if (_buf[i] == (byte)'0')
        {
            i++;
        }
        else if ((uint)(_buf[i] - '1') <= 8)
        {
            while (i < n && (uint)(_buf[i] - '0') <= 9)
            {
                i++;
            }
        }
        else
        {
            return ParseStatus.Malformed;
        }

        if (i < n && _buf[i] == (byte)'.')
        {
            i++;
            var digits = i;
            while (i < n && (uint)(_buf[i] - '0') <= 9)
            {
                i++;
            }

            if (i == digits)
            {
                return i >= n ? ParseStatus.Truncated : ParseStatus.Malformed;
            }
        }

        if (i < n && (_buf[i] | 0x20) == (byte)'e')
        {
            i++;
            if (i < n && (_buf[i] == (byte)'+' || _buf[i] == (byte)'-'))
            {
                i++;
            }

            var digits = i;
            while (i < n && (uint)(_buf[i] - '0') <= 9)
            {
                i++;
            }

            if (i == digits)
            {
                return i >= n ? ParseStatus.Truncated : ParseStatus.Malformed;
            }
        }

        // A number must be followed by a delimiter; "12x" is malformed, and a number at the very end of the frame
        // means the frame was cut (a root object can never end in a number).
        if (i >= n)
        {
            return ParseStatus.Truncated;
        }

        var next = _buf[i];
        if (next is not ((byte)',' or (byte)'}' or (byte)']' or (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t'))
        {
            return ParseStatus.Malformed;
        }

        _pos = i;
        return ParseStatus.Ok;
    }
}
