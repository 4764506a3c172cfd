using System.Text;
using UpbitHft.Engine.Ring;
using UpbitHft.Engine.Runtime;
using UpbitHft.Feed.Events;
using UpbitHft.Feed.Markets;
using UpbitHft.TestSupport.FakeUpbit;

namespace UpbitHft.Engine.Tests.Runtime;

/// <summary>
/// Parsing on both cores: a frame handed over is parsed by the engine thread into its slot; every market is resolved
/// there in ring order, whichever thread parsed the frame; a frame too long for an arena slot stays with the reader.
/// </summary>
public class SplitParseTests
{
    [Fact]
    public void Handed_over_and_reader_parsed_frames_come_out_alike_with_ids_in_ring_order()
    {
        var markets = new MarketTable(16);
        var split = new SplitParse(markets, addUnknownMarkets: true);
        var eth = SessionScript.TradeFrame("KRW-ETH", 1_000, 3_000_000m, 0.5m, 1);
        var btc = SessionScript.BookFrame("KRW-BTC", 1_001, 499_500m, 500_000m, 5, 10);

        // Sequence 0: handed over (ETH); sequence 1: parsed by the reader (BTC), as a batch would mix them.
        var first = default(EngineEvent);
        Assert.True(split.TryHandOver(eth, 0, ref first));
        var second = default(EngineEvent);
        split.ReaderParser.Parse(btc, 0, ref second.Market);
        Assert.Equal(-1, second.Market.MarketId); // the reader never touches the table
        Assert.Equal(0, markets.Count);

        first.Kind = second.Kind = EngineEventKind.Market;
        split.Complete(ref first, 0);
        split.Complete(ref second, 1);
        Assert.Equal((MarketEventKind.Trade, 0), (first.Market.Kind, first.Market.MarketId)); // ETH first in ring order
        Assert.Equal((MarketEventKind.Orderbook, 1), (second.Market.Kind, second.Market.MarketId));
        Assert.Equal(3_000_000, first.Market.Price);
        Assert.Equal(0, first.HandedOverLength);
        Assert.Equal(1, split.EngineParsed);
        Assert.Equal("KRW-ETH", markets.GetCode(0));
    }

    [Fact]
    public void A_frame_longer_than_an_arena_slot_is_not_handed_over()
    {
        var split = new SplitParse(new MarketTable(16), addUnknownMarkets: true);
        var ev = default(EngineEvent);
        var longFrame = Encoding.UTF8.GetBytes("{\"ty\":\"trade\",\"cd\":\"KRW-BTC\",\"pad\":\"" + new string('x', SplitParse.Stride) + "\"}");
        Assert.False(split.TryHandOver(longFrame, 7, ref ev));
        Assert.Equal(0, ev.HandedOverLength);
        Assert.False(split.TryHandOver(ReadOnlySpan<byte>.Empty, 8, ref ev));
    }

    [Fact]
    public void A_bad_frame_handed_over_is_rejected_and_counted_on_the_engine_side()
    {
        var split = new SplitParse(new MarketTable(16), addUnknownMarkets: true);
        var ev = default(EngineEvent);
        ev.Kind = EngineEventKind.Market;
        Assert.True(split.TryHandOver("{\"ty\":\"trade\",\"cd\":\"KRW-BTC\""u8, 3, ref ev));
        split.Complete(ref ev, 3);
        Assert.Equal(MarketEventKind.None, ev.Market.Kind);
        Assert.Equal(1, split.Rejected);
    }
}
