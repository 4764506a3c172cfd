using System.Runtime.CompilerServices;

namespace UpbitHft.Feed.Parsing;

/// <summary>JSON strings: raw content between the quotes, escapes validated but not decoded.</summary>
internal ref partial struct JsonScanner
{
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
}
