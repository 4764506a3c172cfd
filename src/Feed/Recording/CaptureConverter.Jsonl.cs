using System.Globalization;
using System.Text;
using System.Text.Json;
using UpbitHft.Feed.Connection;

namespace UpbitHft.Feed.Recording;

/// <summary>Reading and writing one JSONL capture line (frame text, receive time, source).</summary>
public static partial class CaptureConverter
{
    private readonly record struct Line(int FrameLength, long? ReceiveNs, FeedSource Source, bool OtherFields);

    private static Line ParseLine(ReadOnlySpan<byte> line, ref byte[] frame, long lineNumber)
    {
        int frameLength = -1;
        long? ns = null;
        var source = FeedSource.Public;
        var other = false;
        try
        {
            var reader = new Utf8JsonReader(line);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw Bad(lineNumber, "not a JSON object");
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("frame"u8))
                {
                    if (!reader.Read() || reader.TokenType != JsonTokenType.String)
                    {
                        throw Bad(lineNumber, "\"frame\" is not a string");
                    }

                    var needed = reader.HasValueSequence ? (int)reader.ValueSequence.Length : reader.ValueSpan.Length;
                    if (needed > frame.Length)
                    {
                        frame = new byte[Math.Max(needed, frame.Length * 2)];
                    }

                    frameLength = reader.CopyString(frame);
                }
                else if (reader.ValueTextEquals("recv_ts"u8))
                {
                    if (!reader.Read() || reader.TokenType != JsonTokenType.Number)
                    {
                        throw Bad(lineNumber, "\"recv_ts\" is not a number");
                    }

                    ns = ReceiveNs(ref reader, lineNumber);
                }
                else if (reader.ValueTextEquals("source"u8))
                {
                    if (!reader.Read() || reader.TokenType != JsonTokenType.String)
                    {
                        throw Bad(lineNumber, "\"source\" is not a string");
                    }

                    source = reader.ValueTextEquals("private"u8) ? FeedSource.Private
                        : reader.ValueTextEquals("public"u8) ? FeedSource.Public
                        : throw Bad(lineNumber, "\"source\" is neither \"public\" nor \"private\"");
                }
                else
                {
                    other = true;
                    reader.Read();
                    reader.Skip();
                }
            }

            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                throw Bad(lineNumber, "not one JSON object");
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            throw Bad(lineNumber, ex.Message);
        }

        return frameLength < 0 ? throw Bad(lineNumber, "no \"frame\"") : new Line(frameLength, ns, source, other);
    }

    /// <summary>Receive time in Unix nanoseconds, from the number's decimal text (exact to the nanosecond).</summary>
    private static long ReceiveNs(ref Utf8JsonReader reader, long lineNumber)
    {
        try
        {
            if (reader.TryGetDecimal(out var seconds))
            {
                return (long)Math.Round(seconds * 1_000_000_000m, MidpointRounding.ToEven);
            }

            if (reader.TryGetDouble(out var approx) && double.IsFinite(approx))
            {
                return checked((long)Math.Round(approx * 1e9));
            }
        }
        catch (OverflowException)
        {
        }

        throw Bad(lineNumber, "\"recv_ts\" is out of range");
    }

    private static InvalidDataException Bad(long lineNumber, string reason) =>
        new($"line {lineNumber.ToString(CultureInfo.InvariantCulture)}: not a capture line ({reason}).");

    private static long FloorDiv(long a, long b) => (a / b) - ((a % b) < 0 ? 1 : 0);

    /// <summary>Unix seconds with 3, 6 or 9 decimals — the fewest that hold <paramref name="ns"/> exactly.</summary>
    private static void AppendSeconds(StringBuilder sb, Int128 ns)
    {
        if (ns < 0)
        {
            sb.Append('-');
            ns = -ns;
        }

        var seconds = ns / 1_000_000_000;
        var fraction = (long)(ns % 1_000_000_000);
        sb.Append(seconds.ToString(CultureInfo.InvariantCulture)).Append('.');
        if (fraction % 1_000_000 == 0)
        {
            sb.Append((fraction / 1_000_000).ToString("D3", CultureInfo.InvariantCulture));
        }
        else if (fraction % 1_000 == 0)
        {
            sb.Append((fraction / 1_000).ToString("D6", CultureInfo.InvariantCulture));
        }
        else
        {
            sb.Append(fraction.ToString("D9", CultureInfo.InvariantCulture));
        }
    }

    /// <summary>A JSON string body as Python's <c>json.dumps</c> escapes it (ensure_ascii): short escapes, else <c>\u00xx</c> for the other controls and DEL, and <c>\uxxxx</c> for every non-ASCII UTF-16 unit.</summary>
    private static void AppendEscaped(StringBuilder sb, string text)
    {
        foreach (var c in text)
        {
            switch (c)
            {
                case '"':
                    sb.Append("\\\"");
                    break;
                case '\\':
                    sb.Append("\\\\");
                    break;
                case '\n':
                    sb.Append("\\n");
                    break;
                case '\r':
                    sb.Append("\\r");
                    break;
                case '\t':
                    sb.Append("\\t");
                    break;
                case '\b':
                    sb.Append("\\b");
                    break;
                case '\f':
                    sb.Append("\\f");
                    break;
                default:
                    if (c < 0x20 || c > 0x7E)
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }
    }
}
