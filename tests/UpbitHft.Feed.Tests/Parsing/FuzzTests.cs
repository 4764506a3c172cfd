using System.Text;
using UpbitHft.Feed.Events;
using UpbitHft.Feed.Parsing;
using static UpbitHft.Feed.Tests.Parsing.ParserFixture;

namespace UpbitHft.Feed.Tests.Parsing;

/// <summary>
/// Random mutations of real frames (seeded, so a failure reproduces): the parser never throws, a truncated frame is
/// never valid, and anything it does call valid satisfies the event invariants.
/// </summary>
public class FuzzTests
{
    private static readonly string[] s_replacements = ["\"x\"", "{}", "[]", "null", "true", "-1", "1e999", "\"NaN\"", "0", "\"\\u0000\"", "[1,[2,{\"a\":3}]]"];

    [Fact]
    public void Forty_thousand_mutations_never_throw_nor_yield_garbage()
    {
        var random = new Random(20261124);
        var sources = AllReceived.Select(f => f.Bytes).ToArray();
        var parser = NewParser();
        var ok = 0;
        for (var i = 0; i < 40_000; i++)
        {
            var source = sources[random.Next(sources.Length)];
            var mutation = random.Next(5);
            var bytes = Mutate(source, mutation, random);
            var ev = default(MarketEvent);
            ev.Kind = MarketEventKind.Orderbook; // stale slot
            var status = parser.Parse(bytes, 1, ref ev);
            if (status != ParseStatus.Ok)
            {
                Assert.Equal(MarketEventKind.None, ev.Kind);
                continue;
            }

            ok++;
            Assert.True(mutation != 0, $"a truncated frame parsed as valid: {Encoding.UTF8.GetString(bytes)}");
            AssertInvariants(ref ev, parser, bytes);
        }

        Assert.InRange(ok, 1, 39_999); // both outcomes were exercised
    }

    private static byte[] Mutate(byte[] source, int mutation, Random random)
    {
        var text = Encoding.UTF8.GetString(source);
        switch (mutation)
        {
            case 0: // truncate
                return source[..random.Next(0, source.Length)];
            case 1: // flip bytes
                var flipped = (byte[])source.Clone();
                for (var k = random.Next(1, 4); k > 0; k--)
                {
                    flipped[random.Next(flipped.Length)] = (byte)random.Next(256);
                }

                return flipped;
            case 2: // duplicate a key/value pair
                var comma = text.IndexOf(',', random.Next(text.Length));
                var prev = comma > 0 ? text.LastIndexOf(',', comma - 1) : -1;
                return comma > 0 && prev > 0 ? Encoding.UTF8.GetBytes(text.Insert(comma, text[prev..comma])) : source;
            case 3: // swap a value's type
                var colon = text.IndexOf(':', random.Next(text.Length));
                if (colon < 0)
                {
                    return source;
                }

                var end = colon + 1;
                while (end < text.Length && text[end] is not (',' or '}' or ']'))
                {
                    end++;
                }

                return Encoding.UTF8.GetBytes(text[..(colon + 1)] + s_replacements[random.Next(s_replacements.Length)] + text[end..]);
            default: // insert a random byte
                var at = random.Next(source.Length + 1);
                return [.. source[..at], (byte)random.Next(256), .. source[at..]];
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
