using System.Buffers.Text;
using System.Text.Unicode;

namespace UpbitHft.Feed.Replay;

/// <summary>
/// The direct decoder of a capture line of the usual shape: <c>{"recv_ts": NUMBER, "frame": "STRING"}</c> (either key
/// order, any JSON whitespace), where the string's escapes are the short ones (<c>\" \\ \/ \b \f \n \r \t</c>). The
/// string is unescaped by copying each run between escapes in one vectorized move. Anything else — another key, a
/// <c>\u</c> escape, a control character, bytes after the object, invalid UTF-8 — is <see cref="Result.Unusual"/>, for
/// the general reader to decide.
/// </summary>
internal static class CaptureLine
{
    public enum Result
    {
        Ok,
        Unusual,
    }

    public static Result TryDecode(ReadOnlySpan<byte> line, Span<byte> frame, out int frameLength, out double receiveTs)
    {
        frameLength = -1;
        receiveTs = double.NaN;
        var p = Skip(line, 0);
        if (p >= line.Length || line[p] != (byte)'{')
        {
            return Result.Unusual;
        }

        p++;
        for (var member = 0; member < 2; member++)
        {
            p = Skip(line, p);
            ReadOnlySpan<byte> key;
            if (line[p..].StartsWith("\"frame\""u8))
            {
                key = "frame"u8;
                p += 7;
            }
            else if (line[p..].StartsWith("\"recv_ts\""u8))
            {
                key = "recv_ts"u8;
                p += 9;
            }
            else
            {
                return Result.Unusual;
            }

            p = Skip(line, p);
            if (p >= line.Length || line[p] != (byte)':')
            {
                return Result.Unusual;
            }

            p = Skip(line, p + 1);
            if (key[0] == (byte)'f')
            {
                if (frameLength >= 0 || p >= line.Length || line[p] != (byte)'"' || !Unescape(line, ref p, frame, out frameLength))
                {
                    return Result.Unusual;
                }
            }
            else
            {
                if (!double.IsNaN(receiveTs) || !Utf8Parser.TryParse(line[p..], out receiveTs, out var used) || !double.IsFinite(receiveTs))
                {
                    return Result.Unusual;
                }

                p += used;
            }

            p = Skip(line, p);
            if (p >= line.Length)
            {
                return Result.Unusual;
            }

            if (line[p] == (byte)',' && member == 0)
            {
                p++;
                continue;
            }

            if (line[p] != (byte)'}' || member == 0)
            {
                return Result.Unusual;
            }

            p++;
        }

        // Only whitespace may follow, and the frame must be text.
        return Skip(line, p) == line.Length && frameLength >= 0 && Utf8.IsValid(frame[..frameLength]) ? Result.Ok : Result.Unusual;
    }

    /// <summary>Unescapes the string starting at the quote <paramref name="p"/> points at; leaves <paramref name="p"/> after its closing quote.</summary>
    private static bool Unescape(ReadOnlySpan<byte> line, ref int p, Span<byte> output, out int length)
    {
        length = 0;
        var i = p + 1;
        while (true)
        {
            var run = line[i..].IndexOfAny((byte)'\\', (byte)'"');
            if (run < 0)
            {
                return false; // unterminated
            }

            var chunk = line.Slice(i, run);
            if (chunk.IndexOfAnyInRange((byte)0, (byte)0x1F) >= 0)
            {
                return false; // a raw control character: not valid JSON, for the general reader to judge
            }

            chunk.CopyTo(output[length..]);
            length += run;
            i += run;
            if (line[i] == (byte)'"')
            {
                p = i + 1;
                return true;
            }

            if (i + 1 >= line.Length)
            {
                return false;
            }

            byte unescaped;
            switch (line[i + 1])
            {
                case (byte)'"': unescaped = (byte)'"'; break;
                case (byte)'\\': unescaped = (byte)'\\'; break;
                case (byte)'/': unescaped = (byte)'/'; break;
                case (byte)'b': unescaped = 0x08; break;
                case (byte)'f': unescaped = 0x0C; break;
                case (byte)'n': unescaped = (byte)'\n'; break;
                case (byte)'r': unescaped = (byte)'\r'; break;
                case (byte)'t': unescaped = (byte)'\t'; break;
                default: return false; // \u and anything else: the general reader
            }

            output[length++] = unescaped;
            i += 2;
        }
    }

    private static int Skip(ReadOnlySpan<byte> line, int p)
    {
        while (p < line.Length && line[p] is (byte)' ' or (byte)'\t' or (byte)'\r')
        {
            p++;
        }

        return p;
    }
}
