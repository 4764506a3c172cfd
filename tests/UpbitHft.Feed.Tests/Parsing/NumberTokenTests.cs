using System.Text;
using FsCheck;
using FsCheck.Fluent;
using UpbitHft.Feed.Parsing;

namespace UpbitHft.Feed.Tests.Parsing;

/// <summary>
/// The eight-bytes-at-a-time number scan must read exactly what the byte scan reads: same status, same end, same
/// mantissa, digit count, exponent, sign and plainness, on valid numbers and on anything else built from the bytes a
/// number is made of.
/// </summary>
public class NumberTokenTests
{
    private const string Alphabet = "0123456789.-eE+,}] x/:\"";

    [Theory]
    [InlineData("22870.03759468,")]
    [InlineData("0,")]
    [InlineData("0.00012}")]
    [InlineData("01,")]
    [InlineData("1.,")]
    [InlineData("-0.0019903327]")]
    [InlineData("123456789012345678901234567890,")]
    [InlineData("12345678.12345678,")]
    [InlineData("1234567812345678.1234567812345678,")]
    [InlineData("1.16539E8,")]
    [InlineData("12x")]
    [InlineData("-,")]
    [InlineData("356 ")]
    public void The_wide_scan_agrees_with_the_byte_scan(string number) => AssertSame(number);

    [Fact]
    public void The_wide_scan_agrees_with_the_byte_scan_on_generated_text()
    {
        var text = Gen.Elements(Alphabet.ToCharArray()).ArrayOf().Select(c => new string(c))
            .Zip(Gen.Elements("", "1", "12345678", "0.", "-"), (tail, head) => head + tail);
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(50_000), Prop.ForAll(Arb.From(text), t =>
        {
            AssertSame(t);
            return true;
        }));
    }

    [Fact]
    public void Numbers_near_the_end_of_the_buffer_are_read_like_any_other()
    {
        for (var pad = 0; pad < 30; pad++)
        {
            AssertSame("22870.03759468," + new string(' ', pad), padded: false);
            AssertSame("1234567812345678.1234567812345678" + new string(' ', pad), padded: false);
        }
    }

    private static void AssertSame(string number, bool padded = true)
    {
        // Padded: room after the number for the wide scan's word loads, as inside a frame.
        var buf = Encoding.ASCII.GetBytes(padded ? number + new string(' ', 40) : number);
        var wide = NumberToken.ScanWide(buf, 0, out var w);
        var bytes = NumberToken.Scan(buf, 0, inFrame: true, out var b);
        Assert.Equal(bytes, wide);
        if (bytes == ParseStatus.Ok)
        {
            Assert.Equal((b.End, b.Digits, b.Exponent, b.Negative, b.Plain), (w.End, w.Digits, w.Exponent, w.Negative, w.Plain));
            if (b.Digits <= 19)
            {
                Assert.Equal(b.Mantissa, w.Mantissa);
            }
        }
    }
}
