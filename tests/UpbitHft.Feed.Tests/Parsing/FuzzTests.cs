using System.Text;
using FsCheck;
using FsCheck.Fluent;
using UpbitHft.Feed.Events;
using UpbitHft.Feed.Parsing;
using static UpbitHft.Feed.Tests.Parsing.ParserFixture;

namespace UpbitHft.Feed.Tests.Parsing;

/// <summary>
/// Random mutations of real frames (an FsCheck property: a failure prints its seed and shrinks to the smallest
/// mutation that still breaks): the parser never throws, a truncated frame is never valid, and anything it does call
/// valid satisfies the event invariants.
/// </summary>
public class FuzzTests
{
    private static readonly string[] s_replacements = ["\"x\"", "{}", "[]", "null", "true", "-1", "1e999", "\"NaN\"", "0", "\"\\u0000\"", "[1,[2,{\"a\":3}]]"];

    public enum MutationKind
    {
        Truncate,
        FlipBytes,
        DuplicatePair,
        SwapValueType,
        InsertByte,
    }

    /// <summary>Which frame, what to do, where (<see cref="At"/>, and <see cref="More"/> for extra flipped bytes) and with which byte.</summary>
    public sealed record Mutation(int Source, MutationKind Kind, int At, byte Byte, int[] More)
    {
        public override string ToString() => $"{Kind} of frame {Source} at {At} (byte {Byte}, more [{string.Join(", ", More)}])";
    }

    [Fact]
    public void Forty_thousand_mutations_never_throw_nor_yield_garbage()
    {
        var sources = AllReceived.Select(f => f.Bytes).ToArray();
        var parser = NewParser();
        var mutation = Gen.Choose(0, sources.Length - 1).Zip(Gen.Elements(Enum.GetValues<MutationKind>()), (source, kind) => (source, kind))
            .Zip(Gen.Choose(0, 1 << 20).Zip(Gen.Choose(0, 255), (at, b) => (at, b)), (x, y) => (x.source, x.kind, y.at, y.b))
            .SelectMany(m => Gen.Choose(0, 2).SelectMany(n => Gen.Choose(0, 1 << 20).ArrayOf(n)).Select(more => new Mutation(m.source, m.kind, m.at, (byte)m.b, more)));
        var ok = 0;
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(40_000), Prop.ForAll(Arb.From(mutation, Shrink), m =>
        {
            var bytes = Mutate(sources[Index(m.Source, sources.Length)], m);
            var ev = default(MarketEvent);
            ev.Kind = MarketEventKind.Orderbook; // stale slot
            var status = parser.Parse(bytes, 1, ref ev);
            if (status != ParseStatus.Ok)
            {
                Assert.Equal(MarketEventKind.None, ev.Kind);
                return;
            }

            ok++;
            Assert.True(m.Kind != MutationKind.Truncate, $"a truncated frame parsed as valid: {Encoding.UTF8.GetString(bytes)}");
            AssertInvariants(ref ev, parser, bytes);
        }));
        Assert.InRange(ok, 1, 39_999); // both outcomes were exercised
    }

    private static int Index(int value, int length) => (int)((uint)value % (uint)length);

    /// <summary>Smaller mutations: fewer extra bytes, earlier positions, byte 0, an earlier frame.</summary>
    private static IEnumerable<Mutation> Shrink(Mutation m)
    {
        if (m.More.Length > 0)
        {
            yield return m with { More = m.More[..^1] };
        }

        if (m.At > 0)
        {
            yield return m with { At = m.At / 2 };
        }

        if (m.Byte > 0)
        {
            yield return m with { Byte = 0 };
        }

        if (m.Source > 0)
        {
            yield return m with { Source = m.Source / 2 };
        }
    }

    private static byte[] Mutate(byte[] source, Mutation m)
    {
        var text = Encoding.UTF8.GetString(source);
        switch (m.Kind)
        {
            case MutationKind.Truncate:
                return source[..Index(m.At, source.Length)];
            case MutationKind.FlipBytes:
                var flipped = (byte[])source.Clone();
                int[] positions = [m.At, .. m.More];
                for (var k = 0; k < positions.Length; k++)
                {
                    flipped[Index(positions[k], flipped.Length)] = (byte)(m.Byte + (85 * k));
                }

                return flipped;
            case MutationKind.DuplicatePair:
                var comma = text.IndexOf(',', Index(m.At, text.Length));
                var prev = comma > 0 ? text.LastIndexOf(',', comma - 1) : -1;
                return comma > 0 && prev > 0 ? Encoding.UTF8.GetBytes(text.Insert(comma, text[prev..comma])) : source;
            case MutationKind.SwapValueType:
                var colon = text.IndexOf(':', Index(m.At, text.Length));
                if (colon < 0)
                {
                    return source;
                }

                var end = colon + 1;
                while (end < text.Length && text[end] is not (',' or '}' or ']'))
                {
                    end++;
                }

                return Encoding.UTF8.GetBytes(text[..(colon + 1)] + s_replacements[m.Byte % s_replacements.Length] + text[end..]);
            default:
                var at = Index(m.At, source.Length + 1);
                return [.. source[..at], m.Byte, .. source[at..]];
        }
    }

    private static void AssertInvariants(ref MarketEvent ev, UpbitMessageParser parser, byte[] bytes)
    {
        var why = Encoding.UTF8.GetString(bytes);
        Assert.True(ev.Kind is > MarketEventKind.None and <= MarketEventKind.Error, why);
        foreach (var v in new[] { ev.Price, ev.Volume, ev.TotalAskSize, ev.TotalBidSize, ev.Open, ev.High, ev.Low, ev.BestAskPrice, ev.BestBidSize })
        {
            Assert.True(double.IsFinite(v) && v >= 0, why);
        }

        Assert.InRange(ev.LevelCount, 0, MarketEvent.MaxLevels);
        for (var i = 0; i < ev.LevelCount; i++)
        {
            Assert.True(double.IsFinite(ev.AskPrices[i]) && ev.AskPrices[i] >= 0 && double.IsFinite(ev.BidSizes[i]) && ev.BidSizes[i] >= 0, why);
        }

        switch (ev.Kind)
        {
            case MarketEventKind.Trade:
                Assert.True(ev.Price > 0 && ev.TradeTimestampMs >= 0 && ev.Side != TradeSide.Unknown, why);
                break;
            case MarketEventKind.Orderbook:
                Assert.True(ev.LevelCount > 0, why);
                break;
            case MarketEventKind.MyOrder:
                Assert.True(ev.OrderState != OrderState.Unknown && ev.Side != TradeSide.Unknown, why);
                break;
        }

        if (ev.Kind is MarketEventKind.Trade or MarketEventKind.Ticker or MarketEventKind.Orderbook or MarketEventKind.Candle or MarketEventKind.MyOrder)
        {
            Assert.InRange(ev.MarketId, 0, parser.Markets.Count - 1);
            Assert.True(UpbitHft.Feed.Markets.MarketTable.IsValidCode(parser.Markets.GetUtf8Code(ev.MarketId)), why);
        }
    }
}
