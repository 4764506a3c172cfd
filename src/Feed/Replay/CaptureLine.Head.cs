using System.Buffers.Text;
using UpbitHft.Feed.Parsing;

namespace UpbitHft.Feed.Replay;

/// <summary>The head of a capture line: the usual spelling read directly, and the receive time.</summary>
internal static partial class CaptureLine
{
    /// <summary>Bytes of <c>{"recv_ts": </c>.</summary>
    private const int UsualHead = 12;

    /// <summary>
    /// The usual line's head, <c>{"recv_ts": T, "frame": "</c>, with T digits and at most one point (no sign, no
    /// exponent, no leading zero before a digit, at most 19 digits): <paramref name="quote"/> is the frame string's
    /// opening quote. The time is the correctly rounded double, as the general path reads it: a mantissa below 2^53
    /// divided by an exact power of ten, else the general number path.
    /// </summary>
    private static bool TryUsualHead(ReadOnlySpan<byte> line, out int quote, out double time)
    {
        quote = 0;
        time = 0;
        if (!line.StartsWith("{\"recv_ts\": "u8))
        {
            return false;
        }

        var p = UsualHead;
        ulong mantissa = 0;
        var digits = 0;
        var fraction = -1;
        while (p < line.Length)
        {
            var c = line[p];
            if ((uint)(c - '0') <= 9)
            {
                mantissa = (mantissa * 10) + (uint)(c - '0');
                digits++;
                if (fraction >= 0)
                {
                    fraction++;
                }
            }
            else if (c == (byte)'.' && fraction < 0 && digits > 0)
            {
                fraction = 0;
            }
            else
            {
                break;
            }

            p++;
        }

        if (digits == 0 || digits > 19 || fraction == 0 || (line[UsualHead] == (byte)'0' && digits > 1 && line[UsualHead + 1] != (byte)'.')
            || !line[p..].StartsWith(", \"frame\": \""u8))
        {
            return false;
        }

        var scale = fraction < 0 ? 0 : fraction;
        if (mantissa < (1UL << 53) && scale < NumberText.Pow10.Length)
        {
            time = mantissa / NumberText.Pow10[scale];
        }
        else
        {
            var at = UsualHead;
            if (!TryReadTime(line, ref at, out time) || at != p)
            {
                return false;
            }
        }

        quote = p + 11;
        return true;
    }

    /// <summary>
    /// The receive time at <paramref name="p"/>, moving past it. A JSON number (what captures hold, e.g.
    /// <c>1793577600.152</c>) is converted by the parser's exact number path; any other spelling goes to the runtime's
    /// UTF-8 parser, as it always did. Both give the correctly rounded double, so the value never depends on the path.
    /// </summary>
    internal static bool TryReadTime(ReadOnlySpan<byte> line, ref int p, out double value)
    {
        // A time is a dozen or two bytes; anything longer (a crafted number) is left to the runtime, as before.
        if (NumberToken.Scan(line, p, inFrame: true, out var token) == ParseStatus.Ok && token.End - token.Start <= 32
            && NumberText.ToDouble(line, in token, out value))
        {
            p = token.End;
            return true;
        }

        if (!Utf8Parser.TryParse(line[p..], out value, out var used))
        {
            return false;
        }

        p += used;
        return true;
    }
}
