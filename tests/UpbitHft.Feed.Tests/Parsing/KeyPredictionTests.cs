using System.Text;
using System.Text.Json.Nodes;
using UpbitHft.Feed.Events;
using UpbitHft.Feed.Markets;
using UpbitHft.Feed.Parsing;
using static UpbitHft.Feed.Tests.Parsing.ParserFixture;

namespace UpbitHft.Feed.Tests.Parsing;

/// <summary>
/// The parser tries the key a kind had after the previous one last time (Upbit sends keys in a fixed order) before
/// scanning and hashing the key. What it learned must never change what a frame means: a parser that has seen every
/// kind, in every order, reads each frame exactly as a fresh parser does.
/// </summary>
public class KeyPredictionTests
{
    private const string Trade = "{\"ty\":\"trade\",\"cd\":\"KRW-LAMB\",\"tms\":1618678263084,\"td\":\"2021-04-17\",\"ttm\":\"16:51:02\",\"ttms\":1618678262000,\"tp\":126.0,\"tv\":47.97601199,\"ab\":\"ASK\",\"pcp\":123.00000000,\"c\":\"RISE\",\"cp\":3.00000000,\"sid\":1618678262000004,\"st\":\"REALTIME\"}";

    [Fact]
    public void A_parser_that_learned_every_kind_in_both_orders_reads_each_frame_as_a_fresh_parser_does()
    {
        var frames = AllReceived.Select(f => f.Text).ToList();
        frames.AddRange(frames.Select(Reordered).ToList());
        var markets = new MarketTable();
        var trained = new UpbitMessageParser(markets);
        foreach (var frame in frames.Concat(frames))
        {
            var scratch = default(MarketEvent);
            trained.Parse(Encoding.UTF8.GetBytes(frame), 42, ref scratch);
        }

        var compared = 0;
        foreach (var frame in frames)
        {
            var bytes = Encoding.UTF8.GetBytes(frame);
            var byTrained = default(MarketEvent);
            var byFresh = default(MarketEvent);
            var trainedStatus = trained.Parse(bytes, 42, ref byTrained);
            var freshStatus = new UpbitMessageParser(markets).Parse(bytes, 42, ref byFresh);
            Assert.Equal(freshStatus, trainedStatus);
            Assert.Equal(Bytes(ref byFresh), Bytes(ref byTrained));
            compared += trainedStatus == ParseStatus.Ok ? 1 : 0;
        }

        Assert.True(compared > 100, $"only {compared} frames parsed");
    }

    [Theory]
    [InlineData("{\"ty\":\"trade\",\"cd\" :\"KRW-LAMB\",\"tms\":1618678263084,\"ttms\":1618678262000,\"tp\":126.0,\"tv\":47.97601199,\"ab\":\"ASK\",\"pcp\":123.0,\"sid\":1618678262000004,\"st\":\"REALTIME\"}", ParseStatus.Ok)]
    [InlineData("{\"ty\":\"trade\",\"c\\u0064\":\"KRW-LAMB\",\"tms\":1618678263084,\"ttms\":1618678262000,\"tp\":126.0,\"tv\":47.97601199,\"ab\":\"ASK\",\"pcp\":123.0,\"sid\":1618678262000004,\"st\":\"REALTIME\"}", ParseStatus.MissingField)]
    [InlineData("{\"ty\":\"trade\",\"cdx\":\"KRW-LAMB\",\"tms\":1618678263084,\"ttms\":1618678262000,\"tp\":126.0,\"tv\":47.97601199,\"ab\":\"ASK\",\"pcp\":123.0,\"sid\":1618678262000004,\"st\":\"REALTIME\"}", ParseStatus.MissingField)]
    [InlineData("{\"ty\":\"trade\",\"cd\"", ParseStatus.Truncated)]
    [InlineData("{\"ty\":\"trade\",\"c", ParseStatus.Truncated)]
    [InlineData("{\"ty\":\"trade\",\"cd\":\"KRW-LAMB\",\"tms\":1618678263084,\"td\":\"2021-04-17\",\"ttm\":\"16:51:02\",\"ttms\":1618678262000,\"tp\":-126.0,\"tv\":47.97601199,\"ab\":\"ASK\",\"pcp\":123.0,\"sid\":1618678262000004,\"st\":\"REALTIME\"}", ParseStatus.OutOfRange)]
    public void A_predicted_key_is_taken_only_when_its_whole_literal_is_there(string frame, ParseStatus expected)
    {
        var markets = new MarketTable();
        var trained = new UpbitMessageParser(markets);
        var scratch = default(MarketEvent);
        Assert.Equal(ParseStatus.Ok, trained.Parse(Encoding.UTF8.GetBytes(Trade), 1, ref scratch));

        var bytes = Encoding.UTF8.GetBytes(frame);
        var byTrained = default(MarketEvent);
        var byFresh = default(MarketEvent);
        Assert.Equal(expected, trained.Parse(bytes, 42, ref byTrained));
        Assert.Equal(expected, new UpbitMessageParser(markets).Parse(bytes, 42, ref byFresh));
        Assert.Equal(Bytes(ref byFresh), Bytes(ref byTrained));

        // And what it learned from the odd frame does not spoil the usual one.
        var again = default(MarketEvent);
        Assert.Equal(ParseStatus.Ok, trained.Parse(Encoding.UTF8.GetBytes(Trade), 42, ref again));
        Assert.Equal(126.0, again.Price);
        Assert.Equal("KRW-LAMB", markets.GetCode(again.MarketId));
    }

    [Fact]
    public void Keys_the_engine_skips_are_known_so_the_key_after_them_can_be_predicted_but_they_still_set_nothing()
    {
        Assert.Equal(FieldId.Ignored, UpbitKeys.TopLevel.Find("change_price"u8, out _));
        Assert.Equal(FieldId.Ignored, UpbitKeys.TopLevel.Find("ttm"u8, out var simple));
        Assert.True(simple);
        Assert.Equal(FieldId.Unknown, UpbitKeys.TopLevel.Find("no_such_key"u8, out _));

        // A frame whose ignored keys carry odd values (an object, null, a string where a number was) still parses.
        var parser = NewParser();
        var ev = Parse(parser, Trade.Replace("\"c\":\"RISE\"", "\"c\":{\"x\":[1,2]}", StringComparison.Ordinal).Replace("\"td\":\"2021-04-17\"", "\"td\":null", StringComparison.Ordinal), out var status);
        Assert.Equal(ParseStatus.Ok, status);
        Assert.Equal(47.97601199, ev.Volume);
    }

    /// <summary>
    /// The word compare of a predicted key agrees with a plain byte compare for every key: whole, with any one byte
    /// changed (first, middle or last word), and cut short, with and without room after it.
    /// </summary>
    [Fact]
    public void A_predicted_key_matches_exactly_when_its_bytes_are_there()
    {
        var keys = UpbitKeys.TopLevel;
        var hits = 0;
        for (var entry = 0; entry < keys.Count; entry++)
        {
            var literal = keys.LiteralOf(entry).ToArray();
            foreach (var padding in new[] { 0, 3, 30 })
            {
                var rest = literal.Concat(Enumerable.Repeat((byte)'1', padding)).ToArray();
                Assert.Equal(literal.Length, keys.MatchLiteral(entry, rest));
                hits++;
                for (var i = 0; i < literal.Length; i++)
                {
                    var changed = (byte[])rest.Clone();
                    changed[i] ^= 0x20;
                    Assert.Equal(0, keys.MatchLiteral(entry, changed));
                }

                Assert.Equal(0, keys.MatchLiteral(entry, rest.AsSpan(0, literal.Length - 1)));
            }
        }

        Assert.True(hits > 200);
    }

    [Fact]
    public void After_one_frame_of_a_kind_every_key_of_the_next_is_predicted()
    {
        var parser = NewParser();
        var ev = default(MarketEvent);
        var bytes = Encoding.UTF8.GetBytes(Trade);
        Assert.Equal(ParseStatus.Ok, parser.Parse(bytes, 1, ref ev));
        Assert.Equal(0, parser.KeysPredicted);
        Assert.Equal(ParseStatus.Ok, parser.Parse(bytes, 2, ref ev));
        Assert.Equal(14, parser.KeysPredicted); // every key of the SIMPLE trade, the first included
    }

    [Fact]
    public void A_key_table_refuses_a_key_listed_twice()
    {
        Assert.Throws<ArgumentException>(() => new KeyTable(("tp", FieldId.TradePrice, true), ("tp", FieldId.Ignored, true)));
    }

    /// <summary>The same frame with its top-level keys in reverse order.</summary>
    private static string Reordered(string frame)
    {
        if (JsonNode.Parse(frame) is not JsonObject obj)
        {
            return frame;
        }

        var reversed = new JsonObject();
        foreach (var (key, value) in obj.Reverse().ToList())
        {
            reversed[key] = value?.DeepClone();
        }

        return reversed.ToJsonString();
    }
}
