using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Text.Unicode;

namespace UpbitHft.Feed.Replay;

/// <summary>
/// The direct decoder of a capture line of the usual shape: <c>{"recv_ts": NUMBER, "frame": "STRING"}</c> (either key
/// order, any JSON whitespace), where the string's escapes are the short ones (<c>\" \\ \/ \b \f \n \r \t</c>). The
/// string is unescaped 64 or 16 bytes a step (see <see cref="Unescape"/>). Anything else — another key, a
/// <c>\u</c> escape, a control character, bytes after the object, invalid UTF-8 — is <see cref="Result.Unusual"/>, for
/// the general reader to decide.
/// </summary>
internal static partial class CaptureLine
{
    public enum Result
    {
        Ok,
        Unusual,
    }

    /// <summary>Decodes a whole line: the object and nothing after it but spaces, tabs and carriage returns.</summary>
    public static Result TryDecode(ReadOnlySpan<byte> line, Span<byte> frame, out int frameLength, out double receiveTs) =>
        TryDecodeObject(line, frame, out frameLength, out receiveTs, out var end) == Result.Ok && end == line.Length ? Result.Ok : Result.Unusual;

    /// <summary>
    /// Decodes the object at the start of <paramref name="text"/>, which may run on past the line; <paramref name="end"/>
    /// is where the spaces, tabs and carriage returns after it end. The object's tokens hold no newline (a string's raw
    /// control byte is <see cref="Result.Unusual"/>, and whitespace between tokens is never a newline here), so an object
    /// decoded from a longer text is the line's object exactly when a newline stands at <paramref name="end"/>.
    /// </summary>
    public static Result TryDecodeObject(ReadOnlySpan<byte> text, Span<byte> frame, out int frameLength, out double receiveTs, out int end)
    {
        var line = text;
        end = -1;
        frameLength = -1;
        receiveTs = double.NaN;
        int bodyStart = 0, bodyEnd = 0;
        var ascii = false;
        if (TryUsualHead(line, out var quote, out var ts))
        {
            // The spelling every capture writer here uses, read without the general member loop below (which gives the
            // same answer on it: a test holds them to it). Anything else after the head goes that way too.
            var fp = quote;
            if (Unescape(line, ref fp, frame, out frameLength, out ascii) && fp < line.Length && line[fp] == (byte)'}')
            {
                receiveTs = ts;
                end = Skip(line, fp + 1);
                return ascii || Utf8.IsValid(line[(quote + 1)..(fp - 1)]) ? Result.Ok : Result.Unusual;
            }

            frameLength = -1;
        }

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
                bodyStart = p + 1;
                if (frameLength >= 0 || p >= line.Length || line[p] != (byte)'"' || !Unescape(line, ref p, frame, out frameLength, out ascii))
                {
                    return Result.Unusual;
                }

                bodyEnd = p - 1; // the closing quote
            }
            else
            {
                if (!double.IsNaN(receiveTs) || !TryReadTime(line, ref p, out receiveTs) || !double.IsFinite(receiveTs))
                {
                    return Result.Unusual;
                }
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

        // The frame must be text (what may follow is the caller's to judge). The string as written in the line is checked, not the
        // frame it was unescaped into: the short escapes only turn ASCII into ASCII, so one is valid UTF-8 exactly when
        // the other is (a test holds them to it), and the line is still in this core's cache. The frame is often in an
        // arena slot the engine thread read last, and reading it back here took a third of the JSONL reader's time.
        // Unescaping saw every byte of the string: when none had its high bit set, the string is ASCII and the check is
        // not needed (it was 4 % of the JSONL reader's time; the read stage of the 520k capture went from 293–296 to
        // 263–266 ns a frame, alternating runs).
        end = Skip(line, p);
        return frameLength >= 0 && (ascii || Utf8.IsValid(line[bodyStart..bodyEnd])) ? Result.Ok : Result.Unusual;
    }

    /// <summary>
    /// Unescapes the string starting at the quote <paramref name="p"/> points at; leaves <paramref name="p"/> after its
    /// closing quote. Where the CPU compresses bytes, 64 bytes a step drop the backslashes of escaped quotes, up to the
    /// closing quote or another escape (<see cref="DropEscapedQuotes64"/>). Otherwise, and for the other escapes, sixteen
    /// bytes at a time: each block is stored whole and the output advances to the first quote, backslash or control
    /// byte in it — a capture's frame has an escaped quote every few bytes, so one vector compare per run beats a search
    /// call per run.
    /// </summary>
    private static bool Unescape(ReadOnlySpan<byte> line, ref int p, Span<byte> output, out int frameLength, out bool ascii)
    {
        frameLength = 0;
        var length = 0; // a local, not the out parameter: that one lives in memory, and every block waited on its last store
        ascii = false;
        var high = 0UL; // non-zero once a byte looked at (a superset of the string's bytes) had its high bit set
        var i = p + 1;
        ref var src = ref MemoryMarshal.GetReference(line);
        ref var dst = ref MemoryMarshal.GetReference(output);
        var quote = Vector128.Create((byte)'"');
        var backslash = Vector128.Create((byte)'\\');
        var space = Vector128.Create((byte)0x20);
        while (true)
        {
            if (Avx512Vbmi2.IsSupported && i <= line.Length - 64 && length <= output.Length - 64)
            {
                var step = DropEscapedQuotes64(ref src, i, ref dst, ref length, ref high);
                if (step > 0)
                {
                    i += step;
                    continue;
                }

                if (step < 0)
                {
                    p = i + ~step + 1; // after the closing quote
                    ascii = high == 0;
                    frameLength = length;
                    return true;
                }
            }

            if (Vector128.IsHardwareAccelerated && i <= line.Length - 16 && length <= output.Length - 16)
            {
                var block = Vector128.LoadUnsafe(ref src, (nuint)i);
                high |= block.ExtractMostSignificantBits();
                var quotes = Vector128.Equals(block, quote).ExtractMostSignificantBits();
                var backslashes = Vector128.Equals(block, backslash).ExtractMostSignificantBits();
                var special = quotes | backslashes | Vector128.LessThan(block, space).ExtractMostSignificantBits();
                if (special == 0)
                {
                    block.StoreUnsafe(ref dst, (nuint)length);
                    i += 16;
                    length += 16;
                    continue;
                }

                if (Ssse3.IsSupported && special == (quotes | backslashes) && DropsBackslashesOnly(block, quotes, backslashes))
                {
                    // Every escape in the block is \" or \/ and none ends it: the unescaped text is the block without
                    // its backslashes, packed eight bytes at a time by a shuffle.
                    length += Pack(block, ~backslashes & 0xFFFF, ref Unsafe.Add(ref dst, length));
                    i += 16;
                    continue;
                }

                block.StoreUnsafe(ref dst, (nuint)length);
                var run = BitOperations.TrailingZeroCount(special);
                i += run;
                length += run;
            }
            else
            {
                while (i < line.Length && line[i] is not ((byte)'"' or (byte)'\\') && line[i] >= 0x20)
                {
                    if (length >= output.Length)
                    {
                        return false;
                    }

                    high |= (uint)line[i] >> 7;
                    output[length++] = line[i++];
                }

                if (i >= line.Length)
                {
                    return false; // unterminated
                }
            }

            var b = line[i];
            if (b == (byte)'"')
            {
                p = i + 1;
                ascii = high == 0;
                frameLength = length;
                return true;
            }

            if (b < 0x20 || i + 1 >= line.Length || length >= output.Length)
            {
                return false; // a raw control character (not valid JSON, for the general reader to judge), or cut short
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
