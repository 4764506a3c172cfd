using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace UpbitHft.Gateway.Rest;

/// <summary>
/// Reads an Upbit numeric field into <see cref="decimal"/> whether it is a decimal string (Exchange endpoints) or a
/// JSON number in any spelling, exponent included (Quotation endpoints; docs/upbit.md#numbers). Writes strings, as Upbit expects
/// in request bodies.
/// </summary>
public sealed class FlexibleDecimalConverter : JsonConverter<decimal>
{
    public override decimal Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            if (reader.TryGetDecimal(out var d))
            {
                return d;
            }

            // An exponent form the decimal reader refuses: go through double (15+ significant digits kept).
            return (decimal)reader.GetDouble();
        }

        if (reader.TokenType == JsonTokenType.String)
        {
            var text = reader.GetString();
            if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
            {
                return d;
            }

            throw new JsonException($"'{text}' is not a number.");
        }

        throw new JsonException($"Expected a number or a numeric string, got {reader.TokenType}.");
    }

    public override void Write(Utf8JsonWriter writer, decimal value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString(CultureInfo.InvariantCulture));
}

/// <summary>The nullable variant of <see cref="FlexibleDecimalConverter"/> (absent or null → null).</summary>
public sealed class FlexibleNullableDecimalConverter : JsonConverter<decimal?>
{
    private static readonly FlexibleDecimalConverter s_inner = new();

    public override decimal? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Null ? null : s_inner.Read(ref reader, typeof(decimal), options);

    public override void Write(Utf8JsonWriter writer, decimal? value, JsonSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            s_inner.Write(writer, value.Value, options);
        }
    }
}
