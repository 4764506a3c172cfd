using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace UpbitHft.Feed.Parsing;

/// <summary>JSON strings: raw content between the quotes, escapes validated but not decoded.</summary>
internal ref partial struct JsonScanner
{
    /// <summary>Reads a string; <paramref name="content"/> is the raw bytes between the quotes (escapes not decoded).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ParseStatus ReadString(out ReadOnlySpan<byte> content, out bool escaped) => ReadString(out content, out escaped, out _);

    /// <summary>
    /// Reads a string as <see cref="ReadString(out ReadOnlySpan{byte}, out bool)"/>; for a short one (under 8 bytes)
    /// found by the word scan, <paramref name="head"/> is its bytes as a zero-extended little-endian word (what
    /// <see cref="KeyTable"/> hashes), else 0.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ParseStatus ReadString(out ReadOnlySpan<byte> content, out bool escaped, out ulong head)
    {
        content = default;
        escaped = false;
        head = 0;
        if (!SkipWhitespace())
        {
            return ParseStatus.Truncated;
        }

        if (_buf[_pos] != (byte)'"')
        {
            return ParseStatus.WrongFieldType;
        }

        var start = _pos + 1;
        var buf = _buf;
        var i = start;
        if (BitConverter.IsLittleEndian && start <= buf.Length - 8)
        {
            // Upbit's keys and enum values are short: one word holds most of them with their closing quote.
            var word = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref MemoryMarshal.GetReference(buf), start));
            var specials = Specials(word);
            if (specials != 0)
            {
                var n = BitOperations.TrailingZeroCount(specials) >> 3;
                if (buf[start + n] != (byte)'"')
                {
                    return ReadEscapedString(start, out content, out escaped);
                }

                content = buf.Slice(start, n);
                head = word & ((1UL << (8 * n)) - 1);
                _pos = start + n + 1;
                return ParseStatus.Ok;
            }

            i = start + 8;
        }

        for (; (uint)i < (uint)buf.Length; i++)
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

    /// <summary>
    /// One bit (a byte's high bit) per byte that is a quote, a backslash or a control byte. Only the lowest set bit is
    /// exact (a borrow can flag a byte above a flagged one), which is the one the scan needs.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Specials(ulong word)
    {
        const ulong ones = 0x0101010101010101UL;
        var quote = word ^ (ones * '"');
        var backslash = word ^ (ones * '\\');
        return (((quote - ones) & ~quote) | ((backslash - ones) & ~backslash) | ((word - (ones * 0x20)) & ~word)) & (ones * 0x80);
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
