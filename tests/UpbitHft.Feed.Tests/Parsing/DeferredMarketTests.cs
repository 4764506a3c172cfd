using UpbitHft.Feed.Events;
using UpbitHft.Feed.Markets;
using UpbitHft.Feed.Parsing;
using static UpbitHft.Feed.Tests.Parsing.ParserFixture;

namespace UpbitHft.Feed.Tests.Parsing;

/// <summary>A parser that leaves market codes to be resolved later never touches the table; the resolver gives the ids a one-thread parse gives.</summary>
public class DeferredMarketTests
{
    private const string Trade = "{\"ty\":\"trade\",\"cd\":\"CODE\",\"tms\":1,\"tp\":1,\"tv\":1,\"ab\":\"ASK\"}";

    [Fact]
    public void The_code_is_kept_and_resolved_in_order_by_the_tables_writer()
    {
        var markets = new MarketTable();
        var deferring = new UpbitMessageParser(markets, new UpbitParserOptions { DeferMarketResolution = true });
        var resolver = new UpbitMessageParser(markets, new UpbitParserOptions { DeferMarketResolution = true });
        var eth = Parse(deferring, Trade.Replace("CODE", "KRW-ETH", StringComparison.Ordinal), out var s1);
        var btc = Parse(deferring, Trade.Replace("CODE", "KRW-BTC", StringComparison.Ordinal), out var s2);
        Assert.Equal((ParseStatus.Ok, ParseStatus.Ok), (s1, s2));
        Assert.Equal(0, markets.Count); // parsing added nothing
        Assert.Equal(-1, eth.MarketId);
        Assert.Equal("KRW-ETH"u8.ToArray(), eth.MarketCode.ToArray());

        Assert.Equal(ParseStatus.Ok, resolver.ResolveDeferredMarket(ref eth));
        Assert.Equal(ParseStatus.Ok, resolver.ResolveDeferredMarket(ref btc));
        Assert.Equal((0, 1), (eth.MarketId, btc.MarketId)); // frame order, as one thread would have added them
        Assert.Equal(0, eth.MarketCodeLength);
        Assert.Equal(MarketEventKind.Trade, btc.Kind);
    }

    [Fact]
    public void A_bad_code_is_rejected_by_the_parse_and_an_unknown_market_by_the_resolver()
    {
        var markets = new MarketTable();
        markets.GetOrAdd("KRW-BTC");
        var deferring = new UpbitMessageParser(markets, new UpbitParserOptions { DeferMarketResolution = true, AddUnknownMarkets = false });
        Parse(deferring, Trade.Replace("CODE", "krw-btc", StringComparison.Ordinal), out var invalid);
        Assert.Equal(ParseStatus.InvalidMarketCode, invalid);
        Parse(deferring, Trade.Replace("CODE", "KRW-\\u0042TC", StringComparison.Ordinal), out var escaped);
        Assert.Equal(ParseStatus.InvalidMarketCode, escaped);

        var stranger = Parse(deferring, Trade.Replace("CODE", "KRW-XYZ", StringComparison.Ordinal), out var ok);
        Assert.Equal(ParseStatus.Ok, ok);
        var resolver = new UpbitMessageParser(markets, new UpbitParserOptions { AddUnknownMarkets = false });
        Assert.Equal(ParseStatus.UnknownMarket, resolver.ResolveDeferredMarket(ref stranger));
        Assert.Equal(MarketEventKind.None, stranger.Kind);
        Assert.Equal(1, resolver.Rejected);
        Assert.Equal(1, markets.Count);
    }

    [Fact]
    public void An_event_parsed_the_usual_way_is_left_as_it_is()
    {
        var parser = NewParser();
        var ev = Parse(parser, Trade.Replace("CODE", "KRW-BTC", StringComparison.Ordinal), out _);
        var before = Bytes(ref ev);
        Assert.Equal(ParseStatus.Ok, parser.ResolveDeferredMarket(ref ev));
        Assert.Equal(before, Bytes(ref ev));
    }
}
