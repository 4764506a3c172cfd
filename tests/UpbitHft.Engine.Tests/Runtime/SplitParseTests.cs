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
        Assert.True(split.TryHandOver(eth, ref first));
        var second = default(EngineEvent);
        split.ReaderParser.Parse(btc, 0, ref second.Market);
        Assert.Equal(-1, second.Market.MarketId); // the reader never touches the table
        Assert.Equal(0, markets.Count);

        first.Kind = second.Kind = EngineEventKind.Market;
        split.Complete(ref first);
        split.Complete(ref second);
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
        Assert.False(split.TryHandOver(longFrame, ref ev));
        Assert.Equal(0, ev.HandedOverLength);
        Assert.False(split.TryHandOver(ReadOnlySpan<byte>.Empty, ref ev));
    }

    [Fact]
    public void A_bad_frame_handed_over_is_rejected_and_counted_on_the_engine_side()
    {
        var split = new SplitParse(new MarketTable(16), addUnknownMarkets: true);
        var ev = default(EngineEvent);
        ev.Kind = EngineEventKind.Market;
        Assert.True(split.TryHandOver("{\"ty\":\"trade\",\"cd\":\"KRW-BTC\""u8, ref ev));
        split.Complete(ref ev);
        Assert.Equal(MarketEventKind.None, ev.Market.Kind);
        Assert.Equal(1, split.Rejected);
    }

    [Fact]
    public void A_frame_decoded_into_the_next_arena_slot_is_handed_over_where_it_lies_and_the_slots_go_in_turn()
    {
        var split = new SplitParse(new MarketTable(16), addUnknownMarkets: true);
        var trade = SessionScript.TradeFrame("KRW-ETH", 1_000, 3_000_000m, 0.5m, 1);
        var slot = split.NextSlot();
        Assert.Equal(SplitParse.Stride, slot.Length);
        trade.CopyTo(slot); // what a decoding source does when given the slot
        var ev = default(EngineEvent);
        ev.Kind = EngineEventKind.Market;
        Assert.True(split.TryHandOver(slot[..trade.Length], ref ev));
        Assert.Equal((0, trade.Length), (ev.HandedOverSlot, ev.HandedOverLength));
        Assert.False(split.NextSlot().Overlaps(slot)); // the next frame goes to the next slot

        // A frame from elsewhere is copied into the next slot; the first one is untouched.
        var second = default(EngineEvent);
        second.Kind = EngineEventKind.Market;
        Assert.True(split.TryHandOver(SessionScript.TradeFrame("KRW-BTC", 1_001, 50_000_000m, 0.1m, 2), ref second));
        Assert.Equal(1, second.HandedOverSlot);
        split.Complete(ref ev);
        split.Complete(ref second);
        Assert.Equal((MarketEventKind.Trade, 3_000_000d), (ev.Market.Kind, ev.Market.Price));
        Assert.Equal((MarketEventKind.Trade, 50_000_000d), (second.Market.Kind, second.Market.Price));

        // Slots are used in turn and wrap around.
        for (var i = 2; i < SplitParse.ArenaSlots; i++)
        {
            var e = default(EngineEvent);
            Assert.True(split.TryHandOver(trade, ref e));
        }

        Assert.True(split.NextSlot().Overlaps(slot));
    }

    [Fact]
    public void The_frames_waiting_in_the_arena_never_reach_the_slot_being_written()
    {
        // The reader hands a batch over only while fewer than MaxPending handed-over frames wait, and a batch adds at
        // most FullSpeedBatch: the arena must hold all of them plus the slot the next frame is decoded into.
        Assert.True(SplitParse.MaxPending + EnginePipeline.FullSpeedBatch < SplitParse.ArenaSlots);
    }

    [Fact]
    public void Pending_counts_the_frames_handed_over_that_the_engine_has_not_parsed()
    {
        var markets = new MarketTable(16);
        var split = new SplitParse(markets, addUnknownMarkets: true);
        var trade = SessionScript.TradeFrame("KRW-ETH", 1_000, 3_000_000m, 0.5m, 1);
        var events = new EngineEvent[3];
        for (var i = 0; i < events.Length; i++)
        {
            Assert.True(split.TryHandOver(trade, ref events[i]));
        }

        Assert.Equal(3, split.Pending);
        split.Complete(ref events[0]);
        split.Complete(ref events[1]);
        Assert.Equal(1, split.Pending);

        // A frame the reader parsed itself is no work waiting for the engine: it neither adds to nor takes from Pending.
        var parsed = default(EngineEvent);
        split.ReaderParser.Parse(trade, 0, ref parsed.Market);
        split.Complete(ref parsed);
        Assert.Equal(1, split.Pending);
        split.Complete(ref events[2]);
        Assert.Equal(0, split.Pending);
        Assert.Equal(3, split.EngineParsed);
    }
}
