using UpbitHft.Feed.Events;
using UpbitHft.Feed.Parsing;
using UpbitHft.TestSupport;
using static UpbitHft.Feed.Tests.Parsing.ParserFixture;

namespace UpbitHft.Feed.Tests.Parsing;

public class SegmentTests
{
    /// <summary>One frame of every kind and format, plus a spread of the real SIMPLE captures.</summary>
    public static TheoryData<string> Frames()
    {
        var data = new TheoryData<string>();
        foreach (var f in Docs.Concat(Default2026.Where(x => x.Direction != "sent")))
        {
            data.Add(f.ToString());
        }

        foreach (var f in Simple0405.Where((_, i) => i % 97 == 0).Concat(Simple0417.Where((_, i) => i % 61 == 0)))
        {
            data.Add(f.ToString());
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Frames))]
    public void Every_two_way_cut_parses_to_the_same_event(string frameName)
    {
        var frame = AllReceived.First(f => f.ToString() == frameName).Bytes;
        var parser = NewParser();
        var whole = default(MarketEvent);
        Assert.Equal(ParseStatus.Ok, parser.Parse(frame, 7, ref whole));
        var expected = Bytes(ref whole);

        for (var cut = 1; cut < frame.Length; cut++)
        {
            var seq = TestSupport.Bytes.Split(frame, cut);
            Assert.False(seq.IsSingleSegment);
            var ev = default(MarketEvent);
            Assert.Equal(ParseStatus.Ok, parser.Parse(seq, 7, ref ev));
            Assert.True(expected.AsSpan().SequenceEqual(Bytes(ref ev)), $"{frameName} differs when cut at {cut}");
        }
    }

    [Fact]
    public void One_byte_segments_and_random_multi_cuts_parse_the_same()
    {
        var parser = NewParser();
        var random = new Random(12345);
        foreach (var f in Docs.Concat(Simple0417.Take(40)))
        {
            var whole = default(MarketEvent);
            Assert.Equal(ParseStatus.Ok, parser.Parse(f.Bytes, 1, ref whole));
            var expected = Bytes(ref whole);

            var everyByte = Enumerable.Range(1, f.Bytes.Length - 1).ToArray();
            var one = default(MarketEvent);
            Assert.Equal(ParseStatus.Ok, parser.Parse(TestSupport.Bytes.Split(f.Bytes, everyByte), 1, ref one));
            Assert.Equal(expected, Bytes(ref one));

            for (var round = 0; round < 5; round++)
            {
                var cuts = Enumerable.Range(0, random.Next(2, 8)).Select(_ => random.Next(0, f.Bytes.Length + 1)).Order().ToArray();
                var ev = default(MarketEvent);
                Assert.Equal(ParseStatus.Ok, parser.Parse(TestSupport.Bytes.Split(f.Bytes, cuts), 1, ref ev));
                Assert.Equal(expected, Bytes(ref ev));
            }
        }
    }
}
