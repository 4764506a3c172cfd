using System.Globalization;
using System.Text;
using UpbitHft.Feed.Parsing;

namespace UpbitHft.Feed.Tests.Parsing;

/// <summary>Exact decimals for private-socket money: from the digits, truncated past decimal's precision, never via double.</summary>
public class DecimalTextTests
{
    private static decimal Parse(string text)
    {
        Assert.True(NumberText.TryParseDecimal(Encoding.ASCII.GetBytes(text), out var value), text);
        return value;
    }

    /// <summary>Reads the value of <c>{"v":…}</c> with the scanner, as the parser reads a field.</summary>
    private static ParseStatus ReadField(string json, out decimal value)
    {
        var scanner = new JsonScanner(Encoding.ASCII.GetBytes(json));
        Assert.Equal(ParseStatus.Ok, scanner.Expect((byte)'{'));
        Assert.Equal(ParseStatus.Ok, scanner.ReadString(out _, out _));
        Assert.Equal(ParseStatus.Ok, scanner.Expect((byte)':'));
        return scanner.ReadDecimal(out value);
    }

    [Theory]
    [InlineData("30925891.29839369", "30925891.29839369")]
    [InlineData("1.16539E8", "116539000")]
    [InlineData("5.0E-4", "0.00050")]
    [InlineData("8.428e-05", "0.00008428")]
    [InlineData("1e+2", "100")]
    [InlineData("0", "0")]
    [InlineData("-0", "0")]
    [InlineData("-0.5", "-0.5")]
    [InlineData("1000000.0", "1000000.0")]
    [InlineData("0.00000001", "0.00000001")]
    [InlineData("79228162514264337593543950335", "79228162514264337593543950335")]
    [InlineData("-79228162514264337593543950335", "-79228162514264337593543950335")]
    public void Parses_every_spelling_exactly(string text, string expected)
    {
        var value = Parse(text);
        Assert.Equal(decimal.Parse(expected, CultureInfo.InvariantCulture), value);
        Assert.Equal(expected, value.ToString(CultureInfo.InvariantCulture)); // the scale too: 1000000.0 stays 1000000.0
    }

    [Fact]
    public void Eight_decimal_amounts_in_the_ten_millions_round_trip_exactly()
    {
        // 8-decimal amounts spread over 10,000,000 to 100,000,000 KRW: 16 significant digits, more than a double
        // holds exactly, so this is what going through double would get wrong.
        for (var i = 0L; i < 10_000; i++)
        {
            var units = 1_000_000_000_000_000 + (i * 899_999_999_977); // in 10^-8 KRW
            var expected = new decimal((int)units, (int)(units >> 32), 0, isNegative: false, scale: 8);
            var text = expected.ToString(CultureInfo.InvariantCulture);
            Assert.Equal(text, Parse(text).ToString(CultureInfo.InvariantCulture));
        }

        Assert.Equal(30925891.29839369m, Parse("30925891.29839369"));
        Assert.NotEqual(30925891.29839369m, (decimal)double.Parse("30925891.29839369", CultureInfo.InvariantCulture));
    }

    [Theory]
    // 24 and 27 significant digits fit decimal's 96-bit mantissa: exact.
    [InlineData("123456789.123456789012345", "123456789.123456789012345")]
    [InlineData("1386929.37231066771348207123", "1386929.37231066771348207123")]
    // 30 significant digits: the 30th is cut off (decimal.Parse would round it up to ...712346).
    [InlineData("1386929.37231066771348207123456", "1386929.3723106677134820712345")]
    [InlineData("-1386929.37231066771348207123456", "-1386929.3723106677134820712345")]
    [InlineData("999999999999999999999999999.999", "999999999999999999999999999.9")]
    // More than 28 decimal places: cut at the 28th.
    [InlineData("0.12345678901234567890123456789", "0.1234567890123456789012345678")]
    [InlineData("1e-29", "0.0000000000000000000000000000")]
    [InlineData("79228162514264337593543950335.99", "79228162514264337593543950335")]
    [InlineData("1386929.372310667713482071239999999999999999e0", "1386929.3723106677134820712399")]
    public void Digits_past_decimal_precision_are_truncated_never_rounded_up(string text, string expected)
    {
        var value = Parse(text);
        Assert.Equal(expected, value.ToString(CultureInfo.InvariantCulture));
        if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var rounded))
        {
            Assert.True(Math.Abs(value) <= Math.Abs(rounded)); // the runtime rounds to nearest; we never exceed it
        }
    }

    [Theory]
    [InlineData("79228162514264337593543950336")] // 2^96
    [InlineData("1e29")]
    [InlineData("-8E+28")]
    [InlineData("123456789012345678901234567890")]
    [InlineData("1e999999999")]
    public void Magnitudes_beyond_decimal_are_not_numbers(string text)
    {
        Assert.False(NumberText.TryParseDecimal(Encoding.ASCII.GetBytes(text), out _), text);
        Assert.Equal(ParseStatus.BadNumber, ReadField("{\"v\":" + text + "}", out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("-")]
    [InlineData("abc")]
    [InlineData("1e")]
    [InlineData("1.")]
    [InlineData(".5")]
    [InlineData("+1")]
    [InlineData("1,000")]
    [InlineData(" 1")]
    [InlineData("1 ")]
    [InlineData("NaN")]
    [InlineData("0x10")]
    [InlineData("12abc")]
    public void Garbage_is_not_a_number(string text) =>
        Assert.False(NumberText.TryParseDecimal(Encoding.ASCII.GetBytes(text), out _), text);

    [Theory]
    [InlineData("{\"v\":30925891.29839369}", "30925891.29839369")]
    [InlineData("{\"v\": 1.16539E8 }", "116539000")]
    [InlineData("{\"v\":5.0E-4,\"w\":1}", "0.00050")]
    [InlineData("{\"v\":\"1000000.0\"}", "1000000.0")]
    [InlineData("{\"v\":-0.5]", "-0.5")]
    [InlineData("{\"v\":1386929.37231066771348207123456}", "1386929.3723106677134820712345")]
    public void The_scanner_reads_numbers_and_decimal_strings(string json, string expected)
    {
        Assert.Equal(ParseStatus.Ok, ReadField(json, out var value));
        Assert.Equal(expected, value.ToString(CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("{\"v\":\"abc\"}", ParseStatus.BadNumber)]
    [InlineData("{\"v\":\"1\\u0030\"}", ParseStatus.BadNumber)]
    [InlineData("{\"v\":01}", ParseStatus.Malformed)]
    [InlineData("{\"v\":12x}", ParseStatus.Malformed)]
    [InlineData("{\"v\":1.5", ParseStatus.Truncated)]
    [InlineData("{\"v\":-", ParseStatus.Truncated)]
    [InlineData("{\"v\":true}", ParseStatus.WrongFieldType)]
    [InlineData("{\"v\":{}}", ParseStatus.WrongFieldType)]
    public void The_scanner_reports_what_is_wrong(string json, ParseStatus expected) =>
        Assert.Equal(expected, ReadField(json, out _));

    [Fact]
    public void Reading_decimals_allocates_nothing()
    {
        var frames = new[] { "30925891.29839369,", "1.16539E8,", "\"1000000.0\",", "1386929.37231066771348207123456," }
            .Select(Encoding.ASCII.GetBytes).ToArray();
        decimal sum = 0;
        var allocated = TestSupport.Allocations.SteadyState(() =>
        {
            for (var round = 0; round < 1_000; round++)
            {
                foreach (var frame in frames)
                {
                    var scanner = new JsonScanner(frame);
                    scanner.ReadDecimal(out var value);
                    sum += value;
                }
            }
        });
        Assert.Equal(0, allocated);
        Assert.NotEqual(0m, sum);
    }
}
