using UpbitHft.Feed.Events;
using UpbitHft.Feed.Markets;
using UpbitHft.Feed.Parsing;
using static UpbitHft.Feed.Tests.Parsing.ParserFixture;

namespace UpbitHft.Feed.Tests.Parsing;

public class BadInputTests
{
    private const string Trade = "{\"ty\":\"trade\",\"cd\":\"KRW-BTC\",\"tms\":1618678263084,\"ttms\":1618678262000,\"tp\":126.0,\"tv\":47.9,\"ab\":\"ASK\",\"sid\":1618678262000004,\"st\":\"REALTIME\"}";

    [Theory]
    [InlineData("", ParseStatus.Empty)]
    [InlineData("   \r\n", ParseStatus.Empty)]
    [InlineData("{", ParseStatus.Truncated)]
    [InlineData("{\"ty\":\"trade\"", ParseStatus.Truncated)]
    [InlineData("{\"ty\":\"trade\",\"tp\":12", ParseStatus.Truncated)]
    [InlineData("{\"ty\":\"trade\",\"tp\":12.", ParseStatus.Truncated)]
    [InlineData("{\"ty\":\"tra", ParseStatus.Truncated)]
    [InlineData("hello", ParseStatus.Malformed)]
    [InlineData("{\"ty\" \"trade\"}", ParseStatus.Malformed)]
    [InlineData("{\"ty\":\"trade\",}", ParseStatus.Malformed)]
    [InlineData("{\"status\":\"UP\"} x", ParseStatus.Malformed)]
    [InlineData("{\"status\":\"UP\"}{\"status\":\"UP\"}", ParseStatus.Malformed)]
    [InlineData("{\"x\":01}", ParseStatus.Malformed)]
    [InlineData("{\"x\":1.e5}", ParseStatus.Malformed)]
    [InlineData("{\"x\":tru}", ParseStatus.Malformed)]
    [InlineData("[{\"status\":\"UP\"}]", ParseStatus.UnsupportedFormat)]
    [InlineData("{}", ParseStatus.MissingType)]
    [InlineData("{\"foo\":1}", ParseStatus.MissingType)]
    [InlineData("{\"ty\":\"announcement\",\"cd\":\"KRW-BTC\"}", ParseStatus.UnknownType)]
    [InlineData("{\"ty\":\"candle.2m\",\"cd\":\"KRW-BTC\"}", ParseStatus.UnknownType)]
    [InlineData("{\"ty\":\"trade\",\"cd\":\"KRW-BTC\",\"tms\":1,\"tv\":1,\"ab\":\"ASK\"}", ParseStatus.MissingField)]
    [InlineData("{\"ty\":\"trade\",\"cd\":\"KRW-BTC\",\"tms\":1,\"tp\":null,\"tv\":1,\"ab\":\"ASK\"}", ParseStatus.MissingField)]
    [InlineData("{\"ty\":\"trade\",\"tms\":1,\"tp\":1,\"tv\":1,\"ab\":\"ASK\"}", ParseStatus.MissingField)]
    [InlineData("{\"ty\":\"trade\",\"cd\":\"KRW-BTC\",\"tms\":1,\"tp\":\"NaN\",\"tv\":1,\"ab\":\"ASK\"}", ParseStatus.BadNumber)]
    [InlineData("{\"ty\":\"trade\",\"cd\":\"KRW-BTC\",\"tms\":1,\"tp\":\"abc\",\"tv\":1,\"ab\":\"ASK\"}", ParseStatus.BadNumber)]
    [InlineData("{\"ty\":\"trade\",\"cd\":\"KRW-BTC\",\"tms\":1,\"tp\":-5,\"tv\":1,\"ab\":\"ASK\"}", ParseStatus.OutOfRange)]
    [InlineData("{\"ty\":\"trade\",\"cd\":\"KRW-BTC\",\"tms\":1,\"tp\":0,\"tv\":1,\"ab\":\"ASK\"}", ParseStatus.OutOfRange)]
    [InlineData("{\"ty\":\"trade\",\"cd\":\"KRW-BTC\",\"tms\":1,\"tp\":1e400,\"tv\":1,\"ab\":\"ASK\"}", ParseStatus.BadNumber)]
    [InlineData("{\"ty\":\"trade\",\"cd\":\"KRW-BTC\",\"tms\":1,\"tp\":1e16,\"tv\":1,\"ab\":\"ASK\"}", ParseStatus.OutOfRange)]
    [InlineData("{\"ty\":\"trade\",\"cd\":\"KRW-BTC\",\"tms\":1,\"tp\":{},\"tv\":1,\"ab\":\"ASK\"}", ParseStatus.WrongFieldType)]
    [InlineData("{\"ty\":\"trade\",\"cd\":\"KRW-BTC\",\"tms\":1,\"tp\":true,\"tv\":1,\"ab\":\"ASK\"}", ParseStatus.WrongFieldType)]
    [InlineData("{\"ty\":\"trade\",\"cd\":\"KRW-BTC\",\"tms\":1,\"tp\":1,\"tv\":1,\"ab\":\"SELL\"}", ParseStatus.WrongFieldType)]
    [InlineData("{\"ty\":\"trade\",\"cd\":\"KRW-BTC\",\"tms\":-1,\"tp\":1,\"tv\":1,\"ab\":\"ASK\"}", ParseStatus.OutOfRange)]
    [InlineData("{\"ty\":\"trade\",\"cd\":\"krw-btc\",\"tms\":1,\"tp\":1,\"tv\":1,\"ab\":\"ASK\"}", ParseStatus.InvalidMarketCode)]
    [InlineData("{\"ty\":\"trade\",\"cd\":7,\"tms\":1,\"tp\":1,\"tv\":1,\"ab\":\"ASK\"}", ParseStatus.WrongFieldType)]
    [InlineData("{\"ty\":\"orderbook\",\"cd\":\"KRW-BTC\",\"obu\":[]}", ParseStatus.MissingField)]
    [InlineData("{\"ty\":\"orderbook\",\"cd\":\"KRW-BTC\",\"obu\":[{\"ap\":1,\"bp\":1,\"as\":1}]}", ParseStatus.MissingField)]
    [InlineData("{\"ty\":\"orderbook\",\"cd\":\"KRW-BTC\",\"obu\":{}}", ParseStatus.WrongFieldType)]
    [InlineData("{\"ty\":\"orderbook\",\"cd\":\"KRW-BTC\",\"obu\":[{\"ap\":1,\"bp\":1,\"as\":-2,\"bs\":1}],\"tms\":1,\"st\":\"REALTIME\"}", ParseStatus.OutOfRange)]
    [InlineData("{\"ty\":\"orderbook\",\"cd\":\"KRW-BTC\",\"obu\":[{\"ap\":1,\"bp\":1,\"as\":2,\"bs\":1e16}],\"tms\":1,\"st\":\"REALTIME\"}", ParseStatus.OutOfRange)]
    [InlineData("{\"ty\":\"myOrder\",\"cd\":\"KRW-BTC\",\"uid\":\"ac2dc2a3-fce9-40a2-a4f6-5987c25c438f\",\"s\":\"wait\",\"ab\":\"BID\",\"p\":-1}", ParseStatus.OutOfRange)]
    [InlineData("{\"ty\":\"myOrder\",\"cd\":\"KRW-BTC\",\"uid\":\"ac2dc2a3-fce9-40a2-a4f6-5987c25c438f\",\"s\":\"wait\",\"ab\":\"BID\",\"v\":-0.5}", ParseStatus.OutOfRange)]
    [InlineData("{\"ty\":\"myOrder\",\"cd\":\"KRW-BTC\",\"uid\":\"not-a-uuid\",\"s\":\"wait\",\"ab\":\"BID\"}", ParseStatus.WrongFieldType)]
    [InlineData("{\"ty\":\"myOrder\",\"cd\":\"KRW-BTC\",\"uid\":\"ac2dc2a3-fce9-40a2-a4f6-5987c25c438f\",\"s\":\"gone\",\"ab\":\"BID\"}", ParseStatus.WrongFieldType)]
    [InlineData("{\"error\":{}}", ParseStatus.MissingField)]
    [InlineData("{\"a\":[[[[[[[[[[[1]]]]]]]]]]]}", ParseStatus.TooDeep)]
    public void Rejects_with_a_reason_and_leaves_no_valid_event(string json, ParseStatus expected)
    {
        var parser = NewParser();
        var ev = default(MarketEvent);
        ev.Kind = MarketEventKind.Trade; // a stale slot: a failed parse must not leave it looking valid
        var status = parser.Parse(System.Text.Encoding.UTF8.GetBytes(json), 1, ref ev);
        Assert.Equal(expected, status);
        Assert.Equal(MarketEventKind.None, ev.Kind);
        Assert.Equal(1, parser.Count(expected));
        Assert.Equal(1, parser.Rejected);
        Assert.Equal(0, parser.Markets.Count); // an invalid frame never adds a market
    }

    [Fact]
    public void An_orderbook_with_31_levels_is_rejected_and_30_are_accepted()
    {
        string Book(int levels) => "{\"ty\":\"orderbook\",\"cd\":\"KRW-BTC\",\"tms\":1,\"tas\":1,\"tbs\":2,\"obu\":["
            + string.Join(",", Enumerable.Range(0, levels).Select(i => $"{{\"ap\":{100 + i},\"bp\":{99 - i},\"as\":1,\"bs\":2}}")) + "]}";
        var parser = NewParser();
        var ok = Parse(parser, Book(30), out var s30);
        Assert.Equal(ParseStatus.Ok, s30);
        Assert.Equal(30, ok.LevelCount);
        Assert.Equal(129.0, ok.AskPrices[29]);
        Parse(parser, Book(31), out var s31);
        Assert.Equal(ParseStatus.TooManyLevels, s31);
    }

    [Fact]
    public void Numbers_as_strings_unknown_fields_nulls_and_any_key_order()
    {
        var parser = NewParser();
        var ev = Parse(parser, "{\"extra\":{\"deep\":[1,2,{\"x\":null}]},\"ab\":\"BID\",\"tv\":\"0.5\",\"tp\":\"1000000.0\",\"new_field\":\"\\u0041\\n\",\"delisting_date\":null,\"cd\":\"KRW-BTC\",\"ty\":\"trade\",\"ttms\":\"1618678262000\",\"sid\":\"1618678262000004\"}", out var status);
        Assert.Equal(ParseStatus.Ok, status);
        Assert.Equal(MarketEventKind.Trade, ev.Kind);
        Assert.Equal(1_000_000.0, ev.Price);
        Assert.Equal(0.5, ev.Volume);
        Assert.Equal(TradeSide.Bid, ev.Side);
        Assert.Equal(1618678262000004L, ev.SequentialId);
        Assert.Equal(1618678262000L, ev.TimestampMs); // filled from trade_timestamp
    }

    [Fact]
    public void Unknown_markets_rejected_when_the_table_is_closed_and_counted_when_full()
    {
        var closed = NewParser(addUnknown: false);
        closed.Markets.GetOrAdd("KRW-ETH");
        Parse(closed, Trade, out var s1);
        Assert.Equal(ParseStatus.UnknownMarket, s1);

        var tiny = new UpbitMessageParser(new MarketTable(capacity: 1));
        Parse(tiny, Trade, out var s2);
        Assert.Equal(ParseStatus.Ok, s2);
        Parse(tiny, Trade.Replace("KRW-BTC", "KRW-XRP", StringComparison.Ordinal), out var s3);
        Assert.Equal(ParseStatus.MarketTableFull, s3);
        Assert.Equal(1, tiny.Markets.RejectedFull);
    }

    [Fact]
    public void Frames_larger_than_the_limit_are_rejected()
    {
        var parser = new UpbitMessageParser(new MarketTable(), new UpbitParserOptions { MaxFrameBytes = 1024 });
        var big = "{\"status\":\"UP\",\"pad\":\"" + new string('x', 2000) + "\"}";
        Parse(parser, big, out var status);
        Assert.Equal(ParseStatus.TooLarge, status);
        var ev = default(MarketEvent);
        var seq = TestSupport.Bytes.Split(System.Text.Encoding.UTF8.GetBytes(big), 10);
        Assert.Equal(ParseStatus.TooLarge, parser.Parse(seq, 1, ref ev));
    }

    [Fact]
    public void Invalid_options_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new UpbitMessageParser(new MarketTable(), new UpbitParserOptions { MaxFrameBytes = 10 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new UpbitMessageParser(new MarketTable(), new UpbitParserOptions { MaxMagnitude = double.NaN }));
    }
}
