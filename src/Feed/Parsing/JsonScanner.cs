using System.Runtime.CompilerServices;

namespace UpbitHft.Feed.Parsing;

/// <summary>
/// A forward-only UTF-8 JSON cursor specialised for Upbit's flat messages. It validates exactly what it reads
/// (structure, strings, numbers, literals) and reports problems as <see cref="ParseStatus"/>, never by throwing.
/// </summary>
/// <remarks>
/// One partial file per concern: this one holds the cursor and the structural tokens; strings are in
/// <c>JsonScanner.Strings.cs</c>, numbers in <c>JsonScanner.Numbers.cs</c> (over <see cref="NumberToken"/>), literals
/// and skipping in <c>JsonScanner.Skipping.cs</c>.
/// </remarks>
internal ref partial struct JsonScanner
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

    /// <summary>True (and consumed) when the bytes at the cursor are entry <paramref name="entry"/>'s <c>"key":</c> in <paramref name="keys"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryConsumeKey(KeyTable keys, int entry)
    {
        var n = keys.MatchLiteral(entry, _buf[_pos..]);
        _pos += n;
        return n != 0;
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
}
