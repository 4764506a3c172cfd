using System.Runtime.CompilerServices;

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
