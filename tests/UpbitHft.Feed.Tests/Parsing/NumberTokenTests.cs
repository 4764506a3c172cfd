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

    [Theory]
    [InlineData("22870.03759468,", 22870.03759468)]
    [InlineData("0,", 0d)]
    [InlineData("0.00012}", 0.00012)]
    [InlineData("-0.0019903327]", null)] // a sign: the token scan reads it
    [InlineData("01,", null)]
    [InlineData("1.,", null)]
    [InlineData("1.16539E8,", null)]
    [InlineData("356 ", null)]
    [InlineData("123456789,", 123456789d)] // nine integer digits: a KRW-BTC price
    [InlineData("152000000.0,", 152000000d)]
    [InlineData("0.12345678}", 0.12345678)] // eight fraction digits: a size
    [InlineData("1234567812345678.5,", null)] // sixteen integer digits
    [InlineData("0.1234567812345678,", null)] // sixteen fraction digits
    [InlineData("9007199254740993,", null)] // above 2^53: not exact by Clinger
    [InlineData("12345678.1234567,", 12345678.1234567)]
    public void The_fused_unit_number_reads_the_usual_spellings_and_leaves_the_rest(string number, double? expected)
    {
        var buf = Encoding.ASCII.GetBytes(number + new string(' ', 48));
        var read = NumberToken.TryWideDouble(buf, 0, out var value, out var end);
        Assert.Equal(expected.HasValue, read);
        if (read)
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits(expected!.Value), BitConverter.DoubleToInt64Bits(value));
            Assert.Equal(number.Length - 1, end);
        }
        else
        {
            Assert.Equal(0, end);
        }
    }

    [Theory]
    [InlineData("22870.03759468,", 22870.03759468)]
    [InlineData("0,", 0d)]
    [InlineData("0.00012}", 0.00012)]
    [InlineData("7]", 7d)]
    [InlineData("152000000.0,", 152000000d)]
    [InlineData("0.12345678}", 0.12345678)]
    [InlineData("123456789012345,", 123456789012345d)] // fifteen characters: the longest it reads
    [InlineData("12345678.123456,", 12345678.123456)]
    [InlineData("1234567812345678,", null)] // sixteen: the word-at-a-time read takes it
    [InlineData("12345678.1234567,", null)]
    [InlineData("-0.5,", null)]
    [InlineData(".5,", null)]
    [InlineData("01,", null)]
    [InlineData("00.5,", null)]
    [InlineData("1.,", null)]
    [InlineData("1..2,", null)]
    [InlineData("1.2.3,", null)]
    [InlineData("1.5e3,", null)]
    [InlineData("356 ", null)]
    public void The_vector_unit_number_reads_up_to_fifteen_characters_and_leaves_the_rest(string number, double? expected)
    {
        var buf = Encoding.ASCII.GetBytes(number + new string(' ', 48));
        var read = NumberToken.TryShortDouble(buf, 0, out var value, out var end);
        Assert.Equal(expected.HasValue && VectorReadSupported, read); // without SSSE3/SSE4.1 it never answers
        if (read)
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits(expected!.Value), BitConverter.DoubleToInt64Bits(value));
            Assert.Equal(number.Length - 1, end);
        }
    }

    [Fact]
    public void The_vector_unit_number_gives_the_token_paths_double_bit_for_bit_whenever_it_answers()
    {
        var answered = AnswersAgreeWithTheTokenPath(NumberToken.TryShortDouble, "0123456789.", ["", "0", "1", "9", "12345678", "0.", "1.", "-", "."], [",", "}", "]", " ", "e5,", "x"]);
        Assert.True(answered > 2_000 || !VectorReadSupported, $"the vector path answered only {answered} of 50,000"); // the rest went elsewhere
    }

    [Fact]
    public void The_fused_unit_number_gives_the_token_paths_double_bit_for_bit_whenever_it_answers()
    {
        var answered = AnswersAgreeWithTheTokenPath(NumberToken.TryWideDouble, "0123456789", ["", "0", "1", "12345678", "123456789", "0.", "1.", "12345678.", "-"], [",", "}", "]", " ", "e5,", ".5,", "x"]);
        Assert.True(answered > 2_000, $"the fused path answered only {answered} of 50,000"); // the rest went to the token scan
    }

    private delegate bool FastRead(ReadOnlySpan<byte> buf, int start, out double value, out int end);

    /// <summary>50,000 generated numbers (a head, random characters, an end): wherever <paramref name="read"/> answers, the token path gives the same double bit for bit and the same end. Returns how many it answered.</summary>
    private static int AnswersAgreeWithTheTokenPath(FastRead read, string characters, string[] heads, string[] ends)
    {
        var text = Gen.Elements(heads)
            .Zip(Gen.Elements(characters.ToCharArray()).ArrayOf().Select(c => new string(c)), (head, tail) => head + tail)
            .Zip(Gen.Elements(ends), (number, end) => number + end);
        var answered = 0;
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(50_000), Prop.ForAll(Arb.From(text), t =>
        {
            var buf = Encoding.ASCII.GetBytes(t + new string(' ', 48));
            if (read(buf, 0, out var value, out var end))
            {
                answered++;
                Assert.Equal(ParseStatus.Ok, NumberToken.ScanWide(buf, 0, out var token));
                Assert.True(NumberText.ToDouble(buf, in token, out var general));
                Assert.Equal(BitConverter.DoubleToInt64Bits(general), BitConverter.DoubleToInt64Bits(value));
                Assert.Equal(token.End, end);
            }

            return true;
        }));
        return answered;
    }

    [Fact]
    public void The_fused_unit_number_leaves_a_number_near_the_end_of_the_buffer_to_the_token_scan()
    {
        var buf = Encoding.ASCII.GetBytes("22870.03759468," + new string(' ', 20));
        Assert.False(NumberToken.TryWideDouble(buf, 0, out _, out _));
    }

    private static bool VectorReadSupported => System.Runtime.Intrinsics.X86.Ssse3.IsSupported && System.Runtime.Intrinsics.X86.Sse41.IsSupported;

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
