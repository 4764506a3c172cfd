using System.Text;
using FsCheck;
using FsCheck.Fluent;
using UpbitHft.Feed.Parsing;

namespace UpbitHft.Feed.Tests.Parsing;

/// <summary>
/// Doubles and longs have a short path for the usual number (up to 19 digits, an optional fraction, a delimiter right
/// after, 32 bytes of room). It must never change an answer: the same number read where the short path may take it
/// (far from the end of the frame) and where it cannot (at the very end) gives the same status, value and position.
/// </summary>
public class ShortNumberPathTests
{
    private const string Padding = ",\"pad\":\"................................................\"}";

    [Theory]
    [InlineData("109847000.0")]
    [InlineData("0.00509799")]
    [InlineData("1618678263084")]
    [InlineData("17877285547970000")]
    [InlineData("9223372036854775807")]
    [InlineData("9223372036854775808")]
    [InlineData("9999999999999999999")]
    [InlineData("18446744073709551615")]
    [InlineData("1234567890.123456789")]
    [InlineData("1234567890.1234567890")]
    [InlineData("9007199254740993")]
    [InlineData("9007199254740993.0")]
    [InlineData("0.0000000000000000000001")]
    [InlineData("0.00000000000000000000001")]
    [InlineData("0")]
    [InlineData("0.0")]
    [InlineData("01")]
    [InlineData("00.5")]
    [InlineData("-1.5")]
    [InlineData("1.")]
    [InlineData("1.e5")]
    [InlineData("1.5e3")]
    [InlineData("1.5E-3")]
    [InlineData("12x")]
    [InlineData("12 ")]
    [InlineData("\"12.5\"")]
    [InlineData(".5")]
    [InlineData("126.0")]
    public void A_number_reads_the_same_with_room_after_it_as_at_the_end_of_the_frame(string number) => AssertSameBothWays(number);

    [Fact]
    public void Random_digit_strings_read_the_same_both_ways()
    {
        var number = Gen.Elements("0", "1", "2", "5", "9").ArrayOf().Select(d => string.Concat(d))
            .Zip(Gen.Choose(-1, 25), (digits, point) => digits.Length == 0 ? "7" : point >= 0 && point <= digits.Length ? digits.Insert(point, ".") : digits)
            .Zip(Gen.Elements("", "", "", "e2", "-"), (n, extra) => extra == "-" ? "-" + n : n + extra);
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(20_000), Prop.ForAll(Arb.From(number), n => AssertSameBothWays(n)));
    }

    /// <summary>The short path is really taken for the usual numbers (else the comparison above proves nothing).</summary>
    [Theory]
    [InlineData("126.0", 5)]
    [InlineData("0.00509799", 10)]
    [InlineData("1618678263084", 13)]
    [InlineData("17877285547970000", 17)]
    [InlineData("-1.5", 0)]
    [InlineData("01", 0)]
    [InlineData("1e5", 0)]
    [InlineData("1.", 0)]
    [InlineData("12345678901234567890", 0)]
    public void The_short_path_takes_the_usual_numbers_and_only_them(string number, int expected)
    {
        var roomy = new JsonScanner(Encoding.ASCII.GetBytes(number + Padding));
        Assert.Equal(expected, roomy.ShortPlainLength(out _, out _));
        var tight = new JsonScanner(Encoding.ASCII.GetBytes(number + "}"));
        Assert.Equal(0, tight.ShortPlainLength(out _, out _)); // no room: the general path
    }

    private static void AssertSameBothWays(string number)
    {
        foreach (var close in new[] { ",", "}", "]" })
        {
            var roomy = Read(number + close + Padding);
            var tight = Read(number + close);
            Assert.Equal(tight, roomy);
        }
    }

    /// <summary>The value of <c>{"v":…}</c> read as a double and as a long: each status, value and where the cursor ends, from the number's start.</summary>
    private static ((ParseStatus, double, int), (ParseStatus, long, int)) Read(string rest)
    {
        var bytes = Encoding.ASCII.GetBytes("{\"v\":" + rest);
        var a = AtValue(bytes);
        var doubleStatus = a.ReadDouble(out var d);
        var b = AtValue(bytes);
        var longStatus = b.ReadLong(out var l);
        return ((doubleStatus, doubleStatus == ParseStatus.Ok ? d : 0, doubleStatus == ParseStatus.Ok ? a.Position - Start : -1),
            (longStatus, longStatus == ParseStatus.Ok ? l : 0, longStatus == ParseStatus.Ok ? b.Position - Start : -1));
    }

    private const int Start = 5; // {"v":

    /// <summary>A scanner over <c>{"v":…}</c> with its cursor on the value.</summary>
    private static JsonScanner AtValue(byte[] bytes)
    {
        var s = new JsonScanner(bytes);
        s.Expect((byte)'{');
        s.ReadString(out _, out _);
        s.Expect((byte)':');
        return s;
    }
}
