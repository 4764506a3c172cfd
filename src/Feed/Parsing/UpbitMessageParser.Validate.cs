using UpbitHft.Feed.Events;

namespace UpbitHft.Feed.Parsing;

public sealed partial class UpbitMessageParser
{
    /// <summary>Checks that the fields a kind needs are there and consistent, and fills derived ones.</summary>
    private static ParseStatus Validate(MarketEventKind kind, ulong seen, ref MarketEvent ev)
    {
        if ((seen & ForeignTailKeys(kind)) != 0)
        {
            return ParseStatus.MixedKinds;
        }

        switch (kind)
        {
            case MarketEventKind.Trade:
                if (!Has(seen, FieldId.TradePrice) || !Has(seen, FieldId.TradeVolume) || !Has(seen, FieldId.AskBid)
                    || !(Has(seen, FieldId.TradeTimestamp) || Has(seen, FieldId.Timestamp)))
                {
                    return ParseStatus.MissingField;
                }

                if (ev.Price <= 0)
                {
                    return ParseStatus.OutOfRange;
                }

                FillTimes(ref ev);
                return ParseStatus.Ok;

            case MarketEventKind.Ticker:
                if (!Has(seen, FieldId.TradePrice))
                {
                    return ParseStatus.MissingField;
                }

                if (ev.Price <= 0)
                {
                    return ParseStatus.OutOfRange;
                }

                FillTimes(ref ev);
                return ParseStatus.Ok;

            case MarketEventKind.Orderbook:
                if (!Has(seen, FieldId.Units) || ev.LevelCount == 0)
                {
                    return ParseStatus.MissingField;
                }

                if (!Has(seen, FieldId.TotalAskSize) || !Has(seen, FieldId.TotalBidSize))
                {
                    // Both totals are always sent; if one is missing, fall back to the visible depth.
                    SumLevels(ref ev, Has(seen, FieldId.TotalAskSize), Has(seen, FieldId.TotalBidSize));
                }

                return ParseStatus.Ok;

            case MarketEventKind.Candle:
                if (!Has(seen, FieldId.CandleUtc) || !Has(seen, FieldId.TradePrice) || !Has(seen, FieldId.Open)
                    || !Has(seen, FieldId.High) || !Has(seen, FieldId.Low))
                {
                    return ParseStatus.MissingField;
                }

                return ev.Price > 0 && ev.Open > 0 && ev.High > 0 && ev.Low > 0 ? ParseStatus.Ok : ParseStatus.OutOfRange;

            case MarketEventKind.MyOrder:
                if (!Has(seen, FieldId.Uuid) || !Has(seen, FieldId.State) || !Has(seen, FieldId.AskBid))
                {
                    return ParseStatus.MissingField;
                }

                return ParseStatus.Ok;

            case MarketEventKind.MyAsset:
                return Has(seen, FieldId.Assets) ? ParseStatus.Ok : ParseStatus.MissingField;

            case MarketEventKind.Status:
                return ev.Status != StatusCode.None ? ParseStatus.Ok : ParseStatus.MissingField;

            case MarketEventKind.Error:
                return ev.ErrorName != UpbitErrorName.None ? ParseStatus.Ok : ParseStatus.MissingField;

            default:
                return ParseStatus.UnknownType;
        }
    }

    private static readonly ulong BookKeys = Bit(FieldId.Units);

    private static readonly ulong OrderKeys = Bit(FieldId.Identifier) | Bit(FieldId.AvgPrice) | Bit(FieldId.RemainingVolume)
        | Bit(FieldId.ExecutedVolume) | Bit(FieldId.ExecutedFunds) | Bit(FieldId.PaidFee) | Bit(FieldId.TradeFee) | Bit(FieldId.Locked);

    private static readonly ulong AssetKeys = Bit(FieldId.Assets);

    private static readonly ulong ErrorKeys = Bit(FieldId.Error);

    /// <summary>
    /// Keys that write another kind's part of the shared tail (<see cref="MarketEvent"/>'s book, order, assets and
    /// error overlap). Kinds that use no tail accept them: what those keys wrote is never read.
    /// </summary>
    private static ulong ForeignTailKeys(MarketEventKind kind) => kind switch
    {
        MarketEventKind.Orderbook => OrderKeys | AssetKeys | ErrorKeys,
        MarketEventKind.MyOrder => BookKeys | AssetKeys | ErrorKeys,
        MarketEventKind.MyAsset => BookKeys | OrderKeys | ErrorKeys,
        MarketEventKind.Error => BookKeys | OrderKeys | AssetKeys,
        _ => 0,
    };

    private static bool Has(ulong seen, FieldId id) => (seen & (1UL << (int)id)) != 0;

    private static void FillTimes(ref MarketEvent ev)
    {
        if (ev.TradeTimestampMs == 0)
        {
            ev.TradeTimestampMs = ev.TimestampMs;
        }
        else if (ev.TimestampMs == 0)
        {
            ev.TimestampMs = ev.TradeTimestampMs;
        }
    }

    private static void SumLevels(ref MarketEvent ev, bool hasAsk, bool hasBid)
    {
        double asks = 0, bids = 0;
        for (var i = 0; i < ev.LevelCount; i++)
        {
            asks += ev.AskSizes[i];
            bids += ev.BidSizes[i];
        }

        if (!hasAsk)
        {
            ev.TotalAskSize = asks;
        }

        if (!hasBid)
        {
            ev.TotalBidSize = bids;
        }
    }
}
