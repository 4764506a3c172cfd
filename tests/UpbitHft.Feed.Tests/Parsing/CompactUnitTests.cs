using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using UpbitHft.Feed.Events;
using UpbitHft.Feed.Parsing;
using static UpbitHft.Feed.Tests.Parsing.ParserFixture;

namespace UpbitHft.Feed.Tests.Parsing;

/// <summary>
/// A SIMPLE order-book unit is read in one 64-byte register where the machine has AVX-512 VBMI and the frame has room
/// after it (<see cref="JsonScanner.ReadCompactUnits"/>). It must never change an answer: the same unit read where that
/// read may take it (room after the frame) and where it cannot (at the very end) gives the same status and values, and
/// every value it gives is the correctly rounded double of its text.
/// </summary>
public class CompactUnitTests
{
    private const string Head = "{\"ty\":\"orderbook\",\"cd\":\"KRW-BTC\",\"tms\":1,\"st\":\"REALTIME\",\"obu\":[";
    private static readonly string s_padding = ",\"pad\":\"" + new string('.', 100) + "\"}";

    [Theory]
    [InlineData("{\"ap\":356,\"bp\":355,\"as\":22870.03759468,\"bs\":18341.18771756}")]
    [InlineData("{\"ap\":9.62,\"bp\":9.47,\"as\":2422423.39049149,\"bs\":1886318.89979849}")] // 66 bytes: fits from the first number on
    [InlineData("{\"ap\":0,\"bp\":0.0,\"as\":0.00000001,\"bs\":999999999999999}")]
    [InlineData("{\"ap\":100000000,\"bp\":99999999,\"as\":0.1,\"bs\":123456789012345}")]
    [InlineData("{\"ap\":1,\"bp\":2,\"as\":3,\"bs\":4}")]
    [InlineData("{\"ap\":123456789.12345,\"bp\":123456789.12345,\"as\":12345678.123456,\"bs\":12345678.1234567}")] // too long for one register
    [InlineData("{\"ap\":1,\"bp\":2,\"as\":1234567890123456,\"bs\":4}")] // 16 digits
    [InlineData("{\"ap\":1,\"bp\":2,\"as\":-3,\"bs\":4}")]
    [InlineData("{\"ap\":1,\"bp\":2,\"as\":3e2,\"bs\":4}")]
    [InlineData("{\"ap\":01,\"bp\":2,\"as\":3,\"bs\":4}")]
    [InlineData("{\"ap\":1.,\"bp\":2,\"as\":3,\"bs\":4}")]
    [InlineData("{\"ap\":.5,\"bp\":2,\"as\":3,\"bs\":4}")]
    [InlineData("{\"ap\":1.2.3,\"bp\":2,\"as\":3,\"bs\":4}")]
    [InlineData("{\"ap\":1,\"bp\":2,\"as\":3,\"bs\":4,\"x\":5}")]
    [InlineData("{\"ap\":1,\"bp\":2,\"as\":3,\"bs\":}")]
    [InlineData("{\"ap\":1,\"bp\":2,\"as\":3}")]
    [InlineData("{\"ap\": 1,\"bp\":2,\"as\":3,\"bs\":4}")]
    [InlineData("{\"bp\":2,\"ap\":1,\"as\":3,\"bs\":4}")]
    [InlineData("{\"ap\":1,\"bp\":2,\"as\":3,\"bs\":1e16}")]
    [InlineData("{\"ap\":1,\"bp\":2,\"as\":3,\"bs\":9999999999999999}")] // above the parser's largest magnitude (1e15)
    public void A_unit_reads_the_same_with_room_after_it_as_at_the_end_of_the_frame(string unit) => AssertSameBothWays([unit]);

    [Fact]
    public void Random_units_read_the_same_both_ways_and_as_their_text_says()
    {
        var taken = 0;
        var tried = 0;
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(20_000), Prop.ForAll(Arb.From(Units()), units =>
        {
            AssertSameBothWays(units);
            tried += units.Length;
            taken += units.Sum(u => TakenInOneRegister([u], out _));
        }));
        Assert.True(JsonScanner.CompactUnitsSupported ? taken > tried / 10 : taken == 0, $"{taken} of {tried} random units went through the one-register read");
    }

    [Fact]
    public void Real_units_go_through_the_one_register_read_with_their_exact_values()
    {
        var books = AllReceived.Where(f => f.Text.Contains("\"obu\"", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(books);
        var parser = NewParser();
        var taken = 0;
        var usual = 0;
        foreach (var f in books)
        {
            var start = f.Text.IndexOf('[', f.Text.IndexOf("\"obu\"", StringComparison.Ordinal)) + 1;
            var units = System.Text.RegularExpressions.Regex.Matches(f.Text[start..f.Text.IndexOf(']', start)], "\\{[^}]*\\}").Select(m => m.Value).ToArray();
            var ev = default(MarketEvent);
            Assert.Equal(ParseStatus.Ok, parser.Parse(f.Bytes, 1, ref ev));
            AssertValues(units, ref ev);
            foreach (var unit in units)
            {
                taken += TakenInOneRegister([unit], out _);
                usual += Usual(unit) ? 1 : 0;
            }
        }

        Assert.True(usual > 100, $"only {usual} real units in Upbit's usual spelling");
        Assert.Equal(JsonScanner.CompactUnitsSupported ? usual : 0, taken);
    }

    /// <summary>
    /// A unit the one-register read must take: at most 69 bytes (the register holds it from its first number to the
    /// byte after its <c>}</c>), numbers of at most 15 characters, no sign, no exponent (the 2021 captures have
    /// <c>7.9276E-4</c>).
    /// </summary>
    private static bool Usual(string unit) =>
        unit.Length <= 69 && !unit.Contains('-', StringComparison.Ordinal) && !unit.Contains('e', StringComparison.OrdinalIgnoreCase)
        && System.Text.RegularExpressions.Regex.Matches(unit, ":([^,}]*)").All(m => m.Groups[1].Length <= 15);

    [Fact]
    public void It_stops_before_a_unit_it_does_not_take_and_the_general_reader_goes_on_from_there()
    {
        var units = new[] { "{\"ap\":1,\"bp\":2,\"as\":3,\"bs\":4}", "{\"ap\":1,\"bp\":2,\"as\":-3,\"bs\":4}", "{\"ap\":5,\"bp\":6,\"as\":7,\"bs\":8}" };
        Assert.Equal(JsonScanner.CompactUnitsSupported ? 1 : 0, TakenInOneRegister(units, out var closed));
        Assert.False(closed);
        AssertSameBothWays(units);
    }

    /// <summary>How many of <paramref name="units"/>, in an array with room after it, the one-register read takes from the start.</summary>
    private static int TakenInOneRegister(string[] units, out bool closed)
    {
        var text = "[" + string.Join(",", units) + "]" + s_padding;
        var s = new JsonScanner(Encoding.ASCII.GetBytes(text));
        s.Expect((byte)'[');
        var levels = new double[4 * MarketEvent.MaxLevels];
        var n = s.ReadCompactUnits(JsonScanner.SimpleUnit, ref levels[0], ref levels[30], ref levels[60], ref levels[90], 0, MarketEvent.MaxLevels, 1e15, out closed);
        Assert.True(n == 0 || s.Position > 1);
        return n;
    }

    private static void AssertSameBothWays(string[] units)
    {
        var array = string.Join(",", units) + "]";
        var roomy = default(MarketEvent);
        var tight = default(MarketEvent);
        var parser = NewParser();
        var roomyStatus = parser.Parse(Encoding.ASCII.GetBytes(Head + array + s_padding), 1, ref roomy);
        var tightStatus = parser.Parse(Encoding.ASCII.GetBytes(Head + array + "}"), 1, ref tight);
        Assert.Equal(tightStatus, roomyStatus);
        if (roomyStatus == ParseStatus.Ok)
        {
            Assert.Equal(tight.LevelCount, roomy.LevelCount);
            for (var i = 0; i < roomy.LevelCount; i++)
            {
                Assert.Equal(BitConverter.DoubleToInt64Bits(tight.AskPrices[i]), BitConverter.DoubleToInt64Bits(roomy.AskPrices[i]));
                Assert.Equal(BitConverter.DoubleToInt64Bits(tight.BidPrices[i]), BitConverter.DoubleToInt64Bits(roomy.BidPrices[i]));
                Assert.Equal(BitConverter.DoubleToInt64Bits(tight.AskSizes[i]), BitConverter.DoubleToInt64Bits(roomy.AskSizes[i]));
                Assert.Equal(BitConverter.DoubleToInt64Bits(tight.BidSizes[i]), BitConverter.DoubleToInt64Bits(roomy.BidSizes[i]));
            }

            AssertValues(units, ref roomy);
        }
    }

    /// <summary>Each level's four values are the correctly rounded doubles of the unit's texts (<see cref="double.Parse(string, IFormatProvider)"/>).</summary>
    private static void AssertValues(string[] units, ref MarketEvent ev)
    {
        Assert.Equal(units.Length, ev.LevelCount);
        for (var i = 0; i < units.Length; i++)
        {
            var values = System.Text.RegularExpressions.Regex.Matches(units[i], "\"(ap|bp|as|bs)\":\\s*([^,}]+)")
                .ToDictionary(m => m.Groups[1].Value, m => double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
            Assert.Equal(values["ap"], ev.AskPrices[i]);
            Assert.Equal(values["bp"], ev.BidPrices[i]);
            Assert.Equal(values["as"], ev.AskSizes[i]);
            Assert.Equal(values["bs"], ev.BidSizes[i]);
        }
    }

    /// <summary>Arrays of 1–4 units: mostly Upbit's spelling with numbers of every length, sometimes a spelling or number the one-register read must leave alone.</summary>
    private static Gen<string[]> Units()
    {
        var length = Gen.OneOf(Gen.Choose(1, 12), Gen.Choose(1, 12), Gen.Choose(1, 12), Gen.Choose(13, 17));
        var digits = length.SelectMany(k => Gen.Elements('0', '1', '3', '5', '9').ArrayOf(k))
            .Zip(Gen.Elements('1', '2', '7', '9', '1', '3', '5', '0'), (d, first) => first + new string(d[1..]));
        var number = digits.Zip(Gen.Choose(-1, 20), (d, point) => point >= 0 && point <= d.Length ? d.Insert(point, ".") : d)
            .Zip(Gen.Choose(0, 79), (n, extra) => extra switch
            {
                0 => "-" + n,
                1 => "0" + n,
                2 => n + ".",
                3 => n + "e2",
                4 => n + "E-4",
                _ => n,
            });
        var sep = Gen.Elements(",", ",", ",", ",", ",", ", ");
        var unit = number.ArrayOf(4).Zip(sep, (n, s) =>
            "{\"ap\":" + n[0] + s + "\"bp\":" + n[1] + ",\"as\":" + n[2] + ",\"bs\":" + n[3] + "}");
        return Gen.Choose(1, 4).SelectMany<int, string[]>(k => unit.ArrayOf(k));
    }
}
