using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using UpbitHft.Feed.Parsing;

namespace UpbitHft.Feed.Tests.Parsing;

public class NumberTextTests
{
    [Theory]
    [InlineData("127.0")]
    [InlineData("123.00000000")]
    [InlineData("1.16539E8")]
    [InlineData("7.9276E-4")]
    [InlineData("5.0E-4")]
    [InlineData("8.428e-05")]
    [InlineData("0")]
    [InlineData("-0.0019903327")]
    [InlineData("78039261076.51241000")]
    [InlineData("1386929.37231066771348207123")]
    [InlineData("10711749229.465390000000")]
    [InlineData("0.000000000000000000000000123")]
    [InlineData("9007199254740993")]
    [InlineData("1e22")]
    [InlineData("1e23")]
    [InlineData("123456789012345678901234567890")]
    public void Parses_every_spelling_exactly_like_the_runtime(string text)
    {
        Assert.True(NumberText.TryParseDouble(Encoding.ASCII.GetBytes(text), out var value));
        Assert.Equal(double.Parse(text, CultureInfo.InvariantCulture), value);
    }

    /// <summary>Prices and sizes of every magnitude Upbit sends, in both spellings, parse exactly as the runtime parses them.</summary>
    [Fact]
    public void Random_decimals_round_trip_exactly()
    {
        var text = Gen.Choose(0, int.MaxValue).Zip(Gen.Choose(-8, 11), (m, e) => (double)m / int.MaxValue * Math.Pow(10, e))
            .Zip(Gen.Elements("R", "E6"), (value, format) => value.ToString(format, CultureInfo.InvariantCulture));
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(20_000), Prop.ForAll(Arb.From(text), t =>
        {
            Assert.True(NumberText.TryParseDouble(Encoding.ASCII.GetBytes(t), out var value), t);
            Assert.Equal(double.Parse(t, CultureInfo.InvariantCulture), value);
        }));
    }

    /// <summary>
    /// Amounts written with a fixed number of decimals overflow the 19-digit mantissa only through their zeros; those are
    /// read without the runtime's parser, and must still come out bit for bit as the runtime reads them.
    /// </summary>
    [Theory]
    [InlineData("228827082483.70729000")]
    [InlineData("-228827082483.70729000")]
    [InlineData("0.00000000000000000000")]
    [InlineData("-0.00000000000000000000")]
    [InlineData("1000000000000000000000")]
    [InlineData("0.000000000000000000000123000")]
    [InlineData("100200300400500600.000")]
    [InlineData("9007199254740993.000000")]
    [InlineData("9007199254740992.000000")]
    [InlineData("1234567890123456789000")]
    [InlineData("12345678901234567890.0")]
    [InlineData("1.00000000000000000000e5")]
    [InlineData("4.50000000000000000000E-4")]
    [InlineData("0.1000000000000000000000")]
    [InlineData("99999999999999999999.99")]
    [InlineData("18446744073709551615e-19")]
    [InlineData("1844674407370955161.5")]
    [InlineData("9007199254740993e-1")]
    [InlineData("9007199254740995e-1")]
    [InlineData("9007199254740993e-19")]
    [InlineData("36028797018963971e-1")]
    [InlineData("4503599627370496.5")]
    [InlineData("4503599627370497.5")]
    [InlineData("2251799813685248.25")]
    [InlineData("2251799813685248.75")]
    public void Zeros_beyond_nineteen_digits_parse_exactly_like_the_runtime(string text)
    {

        Assert.True(NumberText.TryParseDouble(Encoding.ASCII.GetBytes(text), out var value));
        Assert.Equal(BitConverter.DoubleToInt64Bits(double.Parse(text, CultureInfo.InvariantCulture)), BitConverter.DoubleToInt64Bits(value));
    }

    /// <summary>The scan saturates a huge exponent; such a number is left to the runtime, whose value it gets.</summary>
    [Fact]
    public void A_number_with_a_saturated_exponent_parses_like_the_runtime()
    {
        var text = "1" + new string('0', 100_000) + "e-100001";
        var bytes = Encoding.ASCII.GetBytes(text);
        Assert.Equal(ParseStatus.Ok, NumberToken.Scan(bytes, 0, inFrame: false, out var token));
        Assert.False(NumberText.TryTrailingZerosTrimmed(bytes, in token, out _));
        Assert.True(NumberText.TryParseDouble(bytes, out var value));
        Assert.Equal(double.Parse(text, CultureInfo.InvariantCulture), value);
    }

    /// <summary>These are read by the trimmed path itself, not handed to the runtime (else the tests above prove nothing about it).</summary>
    [Theory]
    [InlineData("78039261076.51241000")]
    [InlineData("228827082483.70729000")]
    [InlineData("-228827082483.70729000")]
    [InlineData("0.00000000000000000000")]
    [InlineData("100200300400500600.000")]
    [InlineData("0.1000000000000000000000")]
    [InlineData("4503599627370496.5")]
    [InlineData("9007199254740993e-1")]
    public void Zero_padded_and_long_amounts_are_converted_without_the_runtime(string text)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        Assert.Equal(ParseStatus.Ok, NumberToken.Scan(bytes, 0, inFrame: false, out var token));
        Assert.True(NumberText.TryTrailingZerosTrimmed(bytes, in token, out var value));
        Assert.Equal(BitConverter.DoubleToInt64Bits(double.Parse(text, CultureInfo.InvariantCulture)), BitConverter.DoubleToInt64Bits(value));
    }

    /// <summary>Random amounts padded with zeros to Upbit's fixed decimals and beyond, against the runtime, bit for bit.</summary>
    [Fact]
    public void Random_zero_padded_amounts_parse_exactly_like_the_runtime()
    {
        var text = Gen.Choose(0, int.MaxValue).Zip(Gen.Choose(0, int.MaxValue), (a, b) => ((long)a << 22) ^ b)
            .Zip(Gen.Choose(0, 18), (m, point) => (m.ToString(CultureInfo.InvariantCulture), point))
            .Zip(Gen.Choose(0, 14), (t, zeros) =>
            {
                var digits = t.Item1;
                var point = Math.Min(t.point, digits.Length - 1);
                var whole = digits[..(digits.Length - point)];
                return whole + "." + digits[(digits.Length - point)..] + new string('0', zeros + 1);
            });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(20_000), Prop.ForAll(Arb.From(text), t =>
        {
            Assert.True(NumberText.TryParseDouble(Encoding.ASCII.GetBytes(t), out var value), t);
            Assert.Equal(BitConverter.DoubleToInt64Bits(double.Parse(t, CultureInfo.InvariantCulture)), BitConverter.DoubleToInt64Bits(value));
        }));
    }

    /// <summary>Mantissas past 2^53 (17 to 19 digits, as <c>acc_trade_price_24h</c> has) at every decimal point position.</summary>
    [Fact]
    public void Long_mantissas_at_every_scale_parse_exactly_like_the_runtime()
    {
        // 2^53 ≤ mantissa < 10^19: 16 to 19 digits, all of them significant when the last is not 0.
        const ulong span = 10_000_000_000_000_000_000UL - (1UL << 53);
        var text = Gen.Choose(0, int.MaxValue).Zip(Gen.Choose(0, int.MaxValue), (a, b) => ((ulong)a << 33 ^ (ulong)b << 2 ^ (ulong)(a & 3)) % span + (1UL << 53))
            .Zip(Gen.Choose(1, 19), (m, scale) => (m - (m % 10) + 7).ToString(CultureInfo.InvariantCulture) + "e-" + scale.ToString(CultureInfo.InvariantCulture));
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(50_000), Prop.ForAll(Arb.From(text), t =>
        {
            Assert.True(NumberText.TryParseDouble(Encoding.ASCII.GetBytes(t), out var value), t);
            Assert.Equal(BitConverter.DoubleToInt64Bits(double.Parse(t, CultureInfo.InvariantCulture)), BitConverter.DoubleToInt64Bits(value));
        }));
    }

    [Theory]
    [InlineData("")]
    [InlineData("-")]
    [InlineData("1e")]
    [InlineData("abc")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("1e999")]
    [InlineData(" 1")]
    [InlineData("1,000")]
    public void Rejects_what_is_not_a_finite_number(string text) =>
        Assert.False(NumberText.TryParseDouble(Encoding.ASCII.GetBytes(text), out _));

    [Theory]
    [InlineData("17877285547970000", 17877285547970000L)]
    [InlineData("1618678262000004", 1618678262000004L)]
    [InlineData("1.6E12", 1_600_000_000_000L)]
    [InlineData("-5", -5L)]
    public void Longs_never_go_through_a_lossy_double(string text, long expected)
    {
        Assert.True(NumberText.TryParseLong(Encoding.ASCII.GetBytes(text), out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("1.5")]
    [InlineData("99999999999999999999")]
    [InlineData("x")]
    public void Rejects_non_integers(string text) => Assert.False(NumberText.TryParseLong(Encoding.ASCII.GetBytes(text), out _));
}
