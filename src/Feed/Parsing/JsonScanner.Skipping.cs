namespace UpbitHft.Feed.Parsing;

/// <summary>Literals (<c>true</c>, <c>false</c>, <c>null</c>) and skipping whole values the parser does not want.</summary>
internal ref partial struct JsonScanner
{
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
                return SkipNumber();
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

    private ParseStatus SkipNumber()
    {
        var status = NumberToken.Scan(_buf, _pos, inFrame: true, out var token);
        if (status == ParseStatus.Ok)
        {
            _pos = token.End;
        }

        return status;
    }
}
