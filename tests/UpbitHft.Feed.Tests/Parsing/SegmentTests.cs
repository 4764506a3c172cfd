using FsCheck;
using FsCheck.Fluent;
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
    public void One_byte_segments_parse_the_same()
    {
        var parser = NewParser();
        foreach (var f in SegmentFrames)
        {
            var whole = default(MarketEvent);
            Assert.Equal(ParseStatus.Ok, parser.Parse(f, 1, ref whole));
            var one = default(MarketEvent);
            Assert.Equal(ParseStatus.Ok, parser.Parse(TestSupport.Bytes.Split(f, [.. Enumerable.Range(1, f.Length - 1)]), 1, ref one));
            Assert.Equal(Bytes(ref whole), Bytes(ref one));
        }
    }

    /// <summary>Any frame cut anywhere into any number of segments (empty ones included) parses to the same event.</summary>
    [Fact]
    public void Random_multi_cuts_parse_the_same()
    {
        var frames = SegmentFrames;
        var parser = NewParser();
        var cuts = Gen.Choose(0, frames.Length - 1)
            .SelectMany(i => Gen.Choose(0, frames[i].Length).ArrayOf().Select(at => new Cuts(i, at)));
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(1_000), Prop.ForAll(Arb.From(cuts, Shrink), c =>
        {
            var frame = frames[c.Frame];
            var at = c.At.Select(a => a % (frame.Length + 1)).Order().ToArray(); // a shrunk frame may be shorter
            var whole = default(MarketEvent);
            Assert.Equal(ParseStatus.Ok, parser.Parse(frame, 1, ref whole));
            var ev = default(MarketEvent);
            Assert.Equal(ParseStatus.Ok, parser.Parse(TestSupport.Bytes.Split(frame, at), 1, ref ev));
            Assert.Equal(Bytes(ref whole), Bytes(ref ev));
        }));
    }

    /// <summary>Fewer cuts, then cuts nearer the start, then an earlier frame.</summary>
    private static IEnumerable<Cuts> Shrink(Cuts c)
    {
        for (var i = 0; i < c.At.Length; i++)
        {
            yield return c with { At = [.. c.At[..i], .. c.At[(i + 1)..]] };
        }

        for (var i = 0; i < c.At.Length; i++)
        {
            if (c.At[i] > 0)
            {
                yield return c with { At = [.. c.At[..i], c.At[i] / 2, .. c.At[(i + 1)..]] };
            }
        }

        if (c.Frame > 0)
        {
            yield return c with { Frame = c.Frame / 2 };
        }
    }

    public sealed record Cuts(int Frame, int[] At)
    {
        public override string ToString() => $"frame {Frame} cut at [{string.Join(", ", At)}]";
    }

    private static byte[][] SegmentFrames => [.. Docs.Concat(Simple0417.Take(40)).Select(f => f.Bytes)];
}
