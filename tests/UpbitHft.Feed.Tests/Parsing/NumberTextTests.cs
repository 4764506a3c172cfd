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
