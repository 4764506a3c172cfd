using System.Text;
using UpbitHft.Feed.Events;
using UpbitHft.Feed.Parsing;
using static UpbitHft.Feed.Tests.Parsing.ParserFixture;

namespace UpbitHft.Feed.Tests.Parsing;

/// <summary>
/// A <see cref="MarketEvent"/>'s book levels, order amounts, assets and error text share the same bytes (one message
/// is one kind). A ring slot is reused for every kind in turn, so each parse must stand on its own, and a frame that
/// would write two kinds' parts is refused.
/// </summary>
public class SharedTailTests
{
    [Fact]
    public void One_slot_reused_for_a_book_an_order_assets_and_an_error_reads_each_as_a_fresh_slot_would()
    {
        var parser = NewParser();
        var frames = new[]
        {
            Find(Simple0405, "\"ty\":\"orderbook\""),
            Find(Docs, "myOrder"),
            Find(Docs, "myAsset"),
            Find(Default2026, "NO_TICKET"),
            Find(Docs, "myOrder"),
            Find(Simple0417, "\"ty\":\"orderbook\""),
            Find(Docs, "myAsset"),
        };

        var slot = default(MarketEvent);
        foreach (var frame in frames)
        {
            Assert.Equal(ParseStatus.Ok, parser.Parse(frame.Bytes, 42, ref slot));
            var fresh = default(MarketEvent);
            Assert.Equal(ParseStatus.Ok, parser.Parse(frame.Bytes, 42, ref fresh));
            Assert.Equal(fresh.Kind, slot.Kind);
            switch (slot.Kind)
            {
                case MarketEventKind.Orderbook:
                    Assert.Equal(fresh.LevelCount, slot.LevelCount);
                    for (var i = 0; i < slot.LevelCount; i++)
                    {
                        Assert.Equal((fresh.AskPrices[i], fresh.AskSizes[i], fresh.BidPrices[i], fresh.BidSizes[i]),
                            (slot.AskPrices[i], slot.AskSizes[i], slot.BidPrices[i], slot.BidSizes[i]));
                    }

                    break;
                case MarketEventKind.MyOrder:
                    Assert.Equal(fresh.Identifier.ToArray(), slot.Identifier.ToArray());
                    Assert.Equal(fresh.Order.ExecutedVolume, slot.Order.ExecutedVolume);
                    Assert.Equal(fresh.Order.ExecutedFunds, slot.Order.ExecutedFunds);
                    Assert.Equal(fresh.Order.PaidFee, slot.Order.PaidFee);
                    Assert.Equal(fresh.Order.AvgPrice, slot.Order.AvgPrice);
                    Assert.Equal(30925891.29839369m, slot.Order.ExecutedVolume);
                    break;
                case MarketEventKind.MyAsset:
                    Assert.Equal(fresh.AssetCount, slot.AssetCount);
                    Assert.Equal(1386929.37231066771348207123m, slot.Assets[0].Balance);
                    Assert.Equal(fresh.Assets[0].Locked, slot.Assets[0].Locked);
                    break;
                case MarketEventKind.Error:
                    Assert.Equal(fresh.ErrorMessage.ToArray(), slot.ErrorMessage.ToArray());
                    break;
                default:
                    Assert.Fail($"unexpected {slot.Kind}");
                    break;
            }
        }
    }

    /// <summary>
    /// A frame parsed into a buffer and copied to a slot that held something else (<see cref="MarketEvent.CopyParsed"/>)
    /// reads as the frame parsed straight into a fresh slot: the whole head, the market code left to resolve, and the
    /// kind's tail up to its counts.
    /// </summary>
    [Fact]
    public void A_parse_copied_to_a_used_slot_reads_as_a_parse_into_a_fresh_one()
    {
        var deferred = new UpbitMessageParser(new Feed.Markets.MarketTable(), new UpbitParserOptions { AddUnknownMarkets = true, DeferMarketResolution = true });
        var direct = NewParser();
        var frames = new[]
        {
            Find(Simple0405, "\"ty\":\"trade\""), Find(Simple0405, "\"ty\":\"orderbook\""), Find(Simple0417, "\"ty\":\"orderbook\""),
            Find(Docs, "myOrder"), Find(Docs, "myAsset"), Find(Default2026, "NO_TICKET"), Find(Default2026.Where(f => f.Direction != "sent"), "\"type\":\"ticker\""),
        };

        foreach (var parser in new[] { direct, deferred })
        {
            foreach (var frame in frames)
            {
                var buffer = default(MarketEvent);
                parser.Parse(frame.Bytes, 42, ref buffer);
                var fresh = default(MarketEvent);
                parser.Parse(frame.Bytes, 42, ref fresh);
                Assert.NotEqual(MarketEventKind.None, fresh.Kind);

                var slot = default(MarketEvent);
                System.Runtime.CompilerServices.Unsafe.InitBlockUnaligned(ref System.Runtime.CompilerServices.Unsafe.As<MarketEvent, byte>(ref slot), 0xAB, (uint)System.Runtime.CompilerServices.Unsafe.SizeOf<MarketEvent>());
                MarketEvent.CopyParsed(ref buffer, ref slot);

                Assert.Equal(Head(ref fresh), Head(ref slot));
                Assert.Equal(fresh.MarketCode.ToArray(), slot.MarketCode.ToArray());
                if (fresh.Kind is MarketEventKind.Trade or MarketEventKind.Ticker or MarketEventKind.Orderbook or MarketEventKind.MyOrder)
                {
                    Assert.Equal(parser == deferred, slot.MarketCode.Length > 0); // the code to resolve came along
                }
                switch (fresh.Kind)
                {
                    case MarketEventKind.Orderbook:
                        Assert.True(fresh.LevelCount >= 15);
                        for (var i = 0; i < fresh.LevelCount; i++)
                        {
                            Assert.Equal((fresh.AskPrices[i], fresh.AskSizes[i], fresh.BidPrices[i], fresh.BidSizes[i]), (slot.AskPrices[i], slot.AskSizes[i], slot.BidPrices[i], slot.BidSizes[i]));
                        }

                        break;
                    case MarketEventKind.MyOrder:
                        Assert.Equal(fresh.Identifier.ToArray(), slot.Identifier.ToArray());
                        Assert.Equal((fresh.Order.ExecutedVolume, fresh.Order.ExecutedFunds, fresh.Order.PaidFee, fresh.Order.AvgPrice), (slot.Order.ExecutedVolume, slot.Order.ExecutedFunds, slot.Order.PaidFee, slot.Order.AvgPrice));
                        break;
                    case MarketEventKind.MyAsset:
                        Assert.Equal(fresh.AssetCount, slot.AssetCount);
                        for (var i = 0; i < fresh.AssetCount; i++)
                        {
                            Assert.Equal((fresh.Assets[i].Balance, fresh.Assets[i].Locked), (slot.Assets[i].Balance, slot.Assets[i].Locked));
                        }

                        break;
                    case MarketEventKind.Error:
                        Assert.Equal(fresh.ErrorMessage.ToArray(), slot.ErrorMessage.ToArray());
                        break;
                }
            }
        }

        static byte[] Head(ref MarketEvent ev) =>
            System.Runtime.InteropServices.MemoryMarshal.CreateReadOnlySpan(ref System.Runtime.CompilerServices.Unsafe.As<MarketEvent, byte>(ref ev), MarketEvent.HeadBytes).ToArray();
    }

    [Fact]
    public void The_tail_parts_overlap_and_the_slot_is_smaller_than_laid_end_to_end()
    {
        var ev = default(MarketEvent);
        ref var book = ref System.Runtime.CompilerServices.Unsafe.As<LevelBuffer, byte>(ref ev.AskPrices);
        Assert.True(System.Runtime.CompilerServices.Unsafe.AreSame(ref book, ref System.Runtime.CompilerServices.Unsafe.As<IdentifierBuffer, byte>(ref ev.IdentifierBytes)));
        Assert.True(System.Runtime.CompilerServices.Unsafe.AreSame(ref book, ref System.Runtime.CompilerServices.Unsafe.As<AssetBuffer, byte>(ref ev.Assets)));
        Assert.True(System.Runtime.CompilerServices.Unsafe.AreSame(ref book, ref System.Runtime.CompilerServices.Unsafe.As<ErrorMessageBuffer, byte>(ref ev.ErrorMessageBytes)));
        var endToEnd = (4 * MarketEvent.MaxLevels * sizeof(double)) + MarketEvent.MaxIdentifierBytes + (9 * 16)
            + System.Runtime.CompilerServices.Unsafe.SizeOf<AssetBuffer>() + MarketEvent.MaxErrorMessageBytes;
        Assert.True(System.Runtime.CompilerServices.Unsafe.SizeOf<MarketEvent>() < MarketEvent.HeadBytes + endToEnd - 600);
    }

    [Theory]
    [InlineData("{\"type\":\"orderbook\",\"code\":\"KRW-BTC\",\"timestamp\":1,\"total_ask_size\":1,\"total_bid_size\":1,\"orderbook_units\":[{\"ask_price\":2,\"bid_price\":1,\"ask_size\":1,\"bid_size\":1}],\"paid_fee\":\"0.5\"}")]
    [InlineData("{\"type\":\"orderbook\",\"code\":\"KRW-BTC\",\"timestamp\":1,\"identifier\":\"x\",\"orderbook_units\":[{\"ask_price\":2,\"bid_price\":1,\"ask_size\":1,\"bid_size\":1}]}")]
    [InlineData("{\"type\":\"myOrder\",\"code\":\"KRW-BTC\",\"uuid\":\"ac2dc2a3-fce9-40a2-a4f6-5987c25c438f\",\"state\":\"wait\",\"ask_bid\":\"BID\",\"orderbook_units\":[{\"ask_price\":2,\"bid_price\":1,\"ask_size\":1,\"bid_size\":1}]}")]
    [InlineData("{\"type\":\"myAsset\",\"assets\":[{\"currency\":\"KRW\",\"balance\":\"1\",\"locked\":\"0\"}],\"error\":{\"name\":\"X\",\"message\":\"m\"}}")]
    [InlineData("{\"type\":\"myAsset\",\"assets\":[{\"currency\":\"KRW\",\"balance\":\"1\",\"locked\":\"0\"}],\"executed_funds\":\"3\"}")]
    public void A_frame_with_two_kinds_parts_is_refused(string json)
    {
        var parser = NewParser();
        var ev = default(MarketEvent);
        Assert.Equal(ParseStatus.MixedKinds, parser.Parse(Encoding.UTF8.GetBytes(json), 1, ref ev));
        Assert.Equal(MarketEventKind.None, ev.Kind);
        Assert.Equal(1, parser.Count(ParseStatus.MixedKinds));
    }

    [Theory]
    [InlineData("{\"type\":\"myOrder\",\"code\":\"KRW-BTC\",\"orderbook_units\":[{\"ask_price\":2,\"bid_price\":1,\"ask_size\":1,\"bid_size\":1}],\"price\":1,\"type\":\"orderbook\",\"timestamp\":1}")]
    [InlineData("{\"type\":\"trade\",\"code\":\"KRW-BTC\",\"price\":1,\"volume\":1,\"type\":\"myOrder\",\"uuid\":\"ac2dc2a3-fce9-40a2-a4f6-5987c25c438f\",\"state\":\"trade\",\"ask_bid\":\"BID\"}")]
    public void A_second_type_key_is_refused_it_would_change_the_kind_after_fields_were_read(string json)
    {
        var parser = NewParser();
        var ev = default(MarketEvent);
        Assert.Equal(ParseStatus.Malformed, parser.Parse(Encoding.UTF8.GetBytes(json), 1, ref ev));
        Assert.Equal(MarketEventKind.None, ev.Kind);
    }

    [Fact]
    public void A_trade_with_a_stray_order_key_still_parses_it_uses_no_tail()
    {
        var parser = NewParser();
        var trade = Parse(parser, "{\"type\":\"trade\",\"code\":\"KRW-BTC\",\"timestamp\":1,\"trade_price\":5,\"trade_volume\":1,\"ask_bid\":\"ASK\",\"paid_fee\":\"1\"}", out var status);
        Assert.Equal(ParseStatus.Ok, status);
        Assert.Equal(5.0, trade.Price);
    }
}
