using UpbitHft.Feed.Events;
using UpbitHft.Feed.Parsing;
using static UpbitHft.Feed.Tests.Parsing.ParserFixture;

namespace UpbitHft.Feed.Tests.Parsing;

public class RealFrameTests
{
    [Fact]
    public void All_2182_real_simple_frames_parse()
    {
        var parser = NewParser();
        var frames = Simple0405.Concat(Simple0417).ToList();
        Assert.Equal(2182, frames.Count);
        int trades = 0, books = 0;
        foreach (var f in frames)
        {
            var ev = default(MarketEvent);
            var status = parser.Parse(f.Bytes, 1, ref ev);
            Assert.True(status == ParseStatus.Ok, $"{f}: {status}");
            Assert.Equal(MessageFormat.Simple, ev.Format);
            Assert.True(ev.MarketId >= 0);
            if (ev.Kind == MarketEventKind.Trade)
            {
                trades++;
                Assert.True(ev.Price > 0 && ev.Volume > 0 && ev.SequentialId > 0 && ev.TradeTimestampMs > 1_600_000_000_000);
            }
            else
            {
                Assert.Equal(MarketEventKind.Orderbook, ev.Kind);
                books++;
                Assert.Equal(15, ev.LevelCount);
                Assert.True(ev.TotalAskSize > 0 && ev.TotalBidSize > 0);
            }
        }

        Assert.Equal(672 + 304, trades);
        Assert.Equal(1061 + 145, books);
        Assert.Equal(0, parser.Rejected);
        Assert.Equal(14, parser.Markets.Count); // 9 + 5 markets in the two captures
    }

    [Fact]
    public void Every_received_docs_and_2026_frame_parses_to_its_kind()
    {
        var parser = NewParser();
        // Checked in order: the LIST_SUBSCRIPTIONS reply mentions "type":"ticker" inside its result.
        var expected = new List<KeyValuePair<string, MarketEventKind>>
        {
            new("\"method\"", MarketEventKind.Status),
            new("\"type\":\"ticker\"", MarketEventKind.Ticker),
            new("\"type\":\"trade\"", MarketEventKind.Trade),
            new("\"type\":\"orderbook\"", MarketEventKind.Orderbook),
            new("\"ty\":\"orderbook\"", MarketEventKind.Orderbook),
            new("\"type\":\"candle.1m\"", MarketEventKind.Candle),
            new("\"type\":\"myOrder\"", MarketEventKind.MyOrder),
            new("\"type\":\"myAsset\"", MarketEventKind.MyAsset),
            new("\"status\"", MarketEventKind.Status),
            new("\"error\"", MarketEventKind.Error),
        };
        foreach (var f in Docs.Concat(Default2026.Where(x => x.Direction != "sent")))
        {
            var ev = default(MarketEvent);
            var status = parser.Parse(f.Bytes, 1, ref ev);
            Assert.True(status == ParseStatus.Ok, $"{f}: {status}");
            var kind = expected.First(kv => f.Text.Contains(kv.Key, StringComparison.Ordinal)).Value;
            Assert.Equal(kind, ev.Kind);
        }
    }

    [Fact]
    public void Simple_trade_fields_are_exact()
    {
        var f = Find(Simple0417, "\"sid\":1618678262000004");
        var ev = Parse(NewParser(), f.Text, out var status);
        Assert.Equal(ParseStatus.Ok, status);
        Assert.Equal(MarketEventKind.Trade, ev.Kind);
        Assert.Equal(126.0, ev.Price);
        Assert.Equal(47.97601199, ev.Volume);
        Assert.Equal(TradeSide.Ask, ev.Side);
        Assert.Equal(123.0, ev.PrevClose); // "pcp":123.00000000
        Assert.Equal(1618678262000004L, ev.SequentialId);
        Assert.Equal(1618678262000L, ev.TradeTimestampMs);
        Assert.Equal(1618678263084L, ev.TimestampMs);
        Assert.Equal(StreamType.Realtime, ev.StreamType);
        Assert.Equal(42, ev.ReceiveTimestampNs);
    }

    [Fact]
    public void Default_trade_from_the_docs_keeps_a_sequential_id_above_2_pow_53()
    {
        var f = Find(Docs, "\"sequential_id\":17877285547970000");
        var ev = Parse(NewParser(), f.Text, out var status);
        Assert.Equal(ParseStatus.Ok, status);
        Assert.Equal(17877285547970000L, ev.SequentialId); // > 2^53: a double would not hold it
        Assert.Equal(109847000.0, ev.Price);
        Assert.Equal(0.00509799, ev.Volume);
        Assert.Equal(109867000.0, ev.BestAskPrice);
        Assert.Equal(0.1583673, ev.BestBidSize);
        Assert.Equal(MessageFormat.Default, ev.Format);
        Assert.Equal(StreamType.Snapshot, ev.StreamType);
    }

    [Fact]
    public void Exponent_numbers_in_2026_frames()
    {
        var parser = NewParser();
        var book = Parse(parser, Find(Default2026, "1.16539E8").Text, out var s1);
        Assert.Equal(ParseStatus.Ok, s1);
        Assert.Equal(116539000.0, book.AskPrices[0]);
        Assert.Equal(116538000.0, book.BidPrices[0]);
        Assert.Equal(0.00077720, book.AskSizes[1]);
        Assert.Equal(2, book.LevelCount);
        Assert.Equal(2.51469375, book.TotalAskSize);
        Assert.Equal(1790134742106L, book.TimestampMs);

        var simple = Parse(parser, Find(Default2026, "7.9276E-4").Text, out var s2);
        Assert.Equal(ParseStatus.Ok, s2);
        Assert.Equal(MessageFormat.Simple, simple.Format);
        Assert.Equal(7.9276E-4, simple.BidSizes[0]);
        Assert.Equal(5.0E-4, simple.AskSizes[1]);
        Assert.Equal(0.0, simple.Level);
        Assert.Equal(book.MarketId, simple.MarketId);
    }

    [Fact]
    public void Padding_slot_with_ask_price_zero_and_microsecond_timestamp()
    {
        var parser = NewParser();
        var dot = Parse(parser, Find(Default2026, "KRW-DOT").Text, out var s1);
        Assert.Equal(ParseStatus.Ok, s1);
        Assert.Equal(0.0, dot.AskPrices[1]);
        Assert.Equal(41720.0, dot.BidPrices[1]);

        var etc = Parse(parser, Find(Default2026, "USDT-ETC").Text, out var s2);
        Assert.Equal(ParseStatus.Ok, s2);
        Assert.Equal(1691530805062L, etc.TimestampMs); // 1691530805062000 µs scaled to ms
        Assert.Equal(15, etc.LevelCount);
        Assert.Equal(18.14783928, etc.AskPrices[0]);
        Assert.Equal(14.994004, etc.BidPrices[14]);
    }

    [Fact]
    public void The_documented_myOrder_and_myAsset_in_SIMPLE_keys_parse_the_same()
    {
        // What a client subscribed with "format":"SIMPLE" receives on the private socket: the documented messages
        // with every key abbreviated per docs/upbit.md#simple-format (the fake exchange sends exactly this).
        var parser = NewParser();
        var order = Parse(parser, System.Text.Encoding.UTF8.GetString(UpbitHft.TestSupport.FakeUpbit.SimpleFormat.Simplify(Find(Docs, "myOrder").Bytes)), out var s1);
        Assert.Equal(ParseStatus.Ok, s1);
        Assert.Equal((OrderState.Trade, OrderType.Limit, TradeSide.Bid), (order.OrderState, order.OrderType, order.Side));
        Assert.Equal(Guid.Parse("ac2dc2a3-fce9-40a2-a4f6-5987c25c438f"), order.OrderUuid);
        Assert.Equal("test-1"u8.ToArray(), order.Identifier.ToArray());
        Assert.Equal(0.00145372m, order.Order.AvgPrice);
        Assert.Equal(44935.32005656603m, order.Order.ExecutedFunds);

        var asset = Parse(parser, System.Text.Encoding.UTF8.GetString(UpbitHft.TestSupport.FakeUpbit.SimpleFormat.Simplify(Find(Docs, "myAsset").Bytes)), out var s2);
        Assert.Equal(ParseStatus.Ok, s2);
        Assert.Equal(1, asset.AssetCount);
        Assert.Equal(10329.670127489597585685m, asset.Assets[0].Locked);
    }

    [Fact]
    public void Ticker_candle_myorder_myasset_fields()
    {
        var parser = NewParser();
        var ticker = Parse(parser, Find(Docs, "\"type\":\"ticker\"").Text, out var s1);
        Assert.Equal(ParseStatus.Ok, s1);
        Assert.Equal(32287000.0, ticker.Price);
        Assert.Equal(31883000.0, ticker.PrevClose);
        Assert.Equal(78039261076.51241, ticker.AccTradePrice);
        Assert.Equal(MarketState.Active, ticker.MarketState);
        Assert.Equal(1676965262139L, ticker.TradeTimestampMs);

        var candle = Parse(parser, Find(Docs, "candle.1m").Text, out var s2);
        Assert.Equal(ParseStatus.Ok, s2);
        Assert.Equal(60, candle.CandleUnitSeconds);
        Assert.Equal(new DateTimeOffset(2026, 8, 26, 8, 8, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(), candle.CandleStartMs);
        Assert.Equal(109715000.0, candle.Open);
        Assert.Equal(109756000.0, candle.Price);
        Assert.Equal(0.71326612, candle.AccTradeVolume);

        var order = Parse(parser, Find(Docs, "myOrder").Text, out var s3);
        Assert.Equal(ParseStatus.Ok, s3);
        Assert.Equal(OrderState.Trade, order.OrderState);
        Assert.Equal(OrderType.Limit, order.OrderType);
        Assert.Equal(TradeSide.Bid, order.Side);
        Assert.Equal(Guid.Parse("ac2dc2a3-fce9-40a2-a4f6-5987c25c438f"), order.OrderUuid);
        Assert.Equal(Guid.Parse("68315169-fba4-4175-ade3-aff14a616657"), order.TradeUuid);
        Assert.Equal("test-1"u8.ToArray(), order.Identifier.ToArray());
        Assert.Equal(0.001453, order.Price);
        Assert.Equal(0.001453m, order.Order.Price); // on a trade event: the fill's own price and volume, exact
        Assert.Equal(30925891.29839369m, order.Order.Volume);
        Assert.Equal(0.00145372m, order.Order.AvgPrice);
        Assert.Equal(30925891.29839369m, order.Order.ExecutedVolume); // 16 significant digits: more than a double keeps
        Assert.Equal(44935.32005656603m, order.Order.ExecutedFunds);
        Assert.Equal(22.467660028283017m, order.Order.PaidFee);
        Assert.True(order.HasExecutedFunds && order.HasAvgPrice && order.HasExecutedVolume && order.HasPriceAndVolume);
        Assert.True(order.IsMaker);
        Assert.Equal(1, order.TradesCount);
        Assert.Equal(1710751590000L, order.OrderTimestampMs);

        var asset = Parse(parser, Find(Docs, "myAsset").Text, out var s4);
        Assert.Equal(ParseStatus.Ok, s4);
        Assert.Equal(-1, asset.MarketId);
        Assert.Equal(1, asset.AssetCount);
        Assert.Equal("KRW"u8.ToArray(), ((ReadOnlySpan<byte>)asset.Assets[0].Currency)[..asset.Assets[0].CurrencyLength].ToArray());
        Assert.Equal(1386929.37231066771348207123m, asset.Assets[0].Balance); // 27 significant digits, exact
        Assert.Equal(10329.670127489597585685m, asset.Assets[0].Locked);
    }

    [Fact]
    public void Status_and_error_frames()
    {
        var parser = NewParser();
        var up = Parse(parser, "{\"status\":\"UP\"}", out var s1);
        Assert.Equal(ParseStatus.Ok, s1);
        Assert.Equal(MarketEventKind.Status, up.Kind);
        Assert.Equal(StatusCode.Up, up.Status);

        var noTicket = Parse(parser, Find(Default2026, "NO_TICKET").Text, out var s2);
        Assert.Equal(ParseStatus.Ok, s2);
        Assert.Equal(MarketEventKind.Error, noTicket.Kind);
        Assert.Equal(UpbitErrorName.NoTicket, noTicket.ErrorName);
        Assert.Equal("티켓이 존재하지 않거나, 유효하지 않습니다.", System.Text.Encoding.UTF8.GetString(noTicket.ErrorMessage));

        // Key order is not assumed: message before name.
        Assert.Equal(UpbitErrorName.InvalidParam, Parse(parser, Find(Default2026, "INVALID_PARAM").Text, out _).ErrorName);
        Assert.Equal(UpbitErrorName.WrongFormat, Parse(parser, Find(Default2026, "WRONG_FORMAT").Text, out _).ErrorName);

        var numeric = Parse(parser, "{\"error\":{\"name\":400,\"message\":\"Invalid parameter. Check the given value!\"}}", out var s3);
        Assert.Equal(ParseStatus.Ok, s3);
        Assert.Equal(UpbitErrorName.Numeric, numeric.ErrorName);
        Assert.Equal(400, numeric.ErrorNumber);

        var list = Parse(parser, Find(Docs, "LIST_SUBSCRIPTIONS").Text, out var s4);
        Assert.Equal(ParseStatus.Ok, s4);
        Assert.Equal(StatusCode.SubscriptionList, list.Status);
    }
}
