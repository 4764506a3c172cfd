using System.Buffers.Text;
using UpbitHft.Feed.Events;

namespace UpbitHft.Feed.Parsing;

public sealed partial class UpbitMessageParser
{
    private static ParseStatus ClassifyType(ReadOnlySpan<byte> type, ref MarketEvent ev, out MarketEventKind kind)
    {
        kind = MarketEventKind.None;
        if (type.SequenceEqual("trade"u8))
        {
            kind = MarketEventKind.Trade;
        }
        else if (type.SequenceEqual("orderbook"u8))
        {
            kind = MarketEventKind.Orderbook;
        }
        else if (type.SequenceEqual("ticker"u8))
        {
            kind = MarketEventKind.Ticker;
        }
        else if (type.SequenceEqual("myOrder"u8))
        {
            kind = MarketEventKind.MyOrder;
        }
        else if (type.SequenceEqual("myAsset"u8))
        {
            kind = MarketEventKind.MyAsset;
        }
        else if (type.StartsWith("candle."u8))
        {
            var unit = CandleUnitSeconds(type["candle."u8.Length..]);
            if (unit == 0)
            {
                return ParseStatus.UnknownType;
            }

            ev.CandleUnitSeconds = unit;
            kind = MarketEventKind.Candle;
        }
        else
        {
            return ParseStatus.UnknownType;
        }

        return ParseStatus.Ok;
    }

    // candle.1s, candle.1m … candle.240m (docs/upbit.md#subscriptions).
    private static int CandleUnitSeconds(ReadOnlySpan<byte> unit)
    {
        if (unit.Length < 2)
        {
            return 0;
        }

        var suffix = unit[^1];
        if (!Utf8Parser.TryParse(unit[..^1], out int n, out var consumed) || consumed != unit.Length - 1 || n <= 0)
        {
            return 0;
        }

        return suffix switch
        {
            (byte)'s' when n == 1 => 1,
            (byte)'m' when n is 1 or 3 or 5 or 10 or 15 or 30 or 60 or 240 => n * 60,
            _ => 0,
        };
    }

    private ParseStatus ReadScalar(ref JsonScanner s, FieldId id, ref MarketEvent ev)
    {
        ParseStatus status;
        switch (id)
        {
            case FieldId.Timestamp:
                return ReadTimestamp(ref s, out ev.TimestampMs);
            case FieldId.TradeTimestamp:
                return ReadTimestamp(ref s, out ev.TradeTimestampMs);
            case FieldId.OrderTimestamp:
                return ReadTimestamp(ref s, out ev.OrderTimestampMs);
            case FieldId.AssetTimestamp:
                return ReadTimestamp(ref s, out ev.AssetTimestampMs);
            case FieldId.SequentialId:
                status = s.ReadLong(out ev.SequentialId);
                return status == ParseStatus.Ok && ev.SequentialId < 0 ? ParseStatus.OutOfRange : status;
            case FieldId.TradesCount:
                status = s.ReadLong(out var count);
                if (status == ParseStatus.Ok)
                {
                    if (count is < 0 or > int.MaxValue)
                    {
                        return ParseStatus.OutOfRange;
                    }

                    ev.TradesCount = (int)count;
                }

                return status;
            case FieldId.TradePrice:
                return ReadAmount(ref s, out ev.Price);
            case FieldId.TradeVolume:
                return ReadAmount(ref s, out ev.Volume);
            case FieldId.PrevClose:
                return ReadAmount(ref s, out ev.PrevClose);
            case FieldId.BestAskPrice:
                return ReadAmount(ref s, out ev.BestAskPrice);
            case FieldId.BestAskSize:
                return ReadAmount(ref s, out ev.BestAskSize);
            case FieldId.BestBidPrice:
                return ReadAmount(ref s, out ev.BestBidPrice);
            case FieldId.BestBidSize:
                return ReadAmount(ref s, out ev.BestBidSize);
            case FieldId.Open:
                return ReadAmount(ref s, out ev.Open);
            case FieldId.High:
                return ReadAmount(ref s, out ev.High);
            case FieldId.Low:
                return ReadAmount(ref s, out ev.Low);
            case FieldId.AccTradePrice:
            case FieldId.CandleAccPrice:
                return ReadAmount(ref s, out ev.AccTradePrice);
            case FieldId.AccTradeVolume:
            case FieldId.CandleAccVolume:
                return ReadAmount(ref s, out ev.AccTradeVolume);
            case FieldId.AccTradePrice24h:
                return ReadAmount(ref s, out ev.AccTradePrice24h);
            case FieldId.TotalAskSize:
                return ReadAmount(ref s, out ev.TotalAskSize);
            case FieldId.TotalBidSize:
                return ReadAmount(ref s, out ev.TotalBidSize);
            case FieldId.Level:
                return ReadAmount(ref s, out ev.Level);
            case FieldId.AvgPrice:
                return ReadMoney(ref s, out ev.Order.AvgPrice);
            case FieldId.RemainingVolume:
                return ReadMoney(ref s, out ev.Order.RemainingVolume);
            case FieldId.ExecutedVolume:
                return ReadMoney(ref s, out ev.Order.ExecutedVolume);
            case FieldId.ExecutedFunds:
                return ReadMoney(ref s, out ev.Order.ExecutedFunds);
            case FieldId.PaidFee:
                return ReadMoney(ref s, out ev.Order.PaidFee);
            case FieldId.TradeFee:
                return ReadMoney(ref s, out ev.Order.TradeFee);
            case FieldId.Locked:
                return ReadMoney(ref s, out ev.Order.Locked);
            case FieldId.SignedChangeRate:
                status = s.ReadDouble(out ev.SignedChangeRate);
                return status == ParseStatus.Ok && Math.Abs(ev.SignedChangeRate) > _options.MaxMagnitude ? ParseStatus.OutOfRange : status;
            case FieldId.IsMaker:
                return s.ReadBool(out ev.IsMaker);
            case FieldId.StreamType:
                if ((status = s.ReadString(out var st, out _)) == ParseStatus.Ok)
                {
                    ev.StreamType = st.SequenceEqual("REALTIME"u8) ? StreamType.Realtime
                        : st.SequenceEqual("SNAPSHOT"u8) ? StreamType.Snapshot : StreamType.Unknown;
                }

                return status;
            case FieldId.AskBid:
                if ((status = s.ReadString(out var side, out _)) == ParseStatus.Ok)
                {
                    ev.Side = side.SequenceEqual("ASK"u8) ? TradeSide.Ask : side.SequenceEqual("BID"u8) ? TradeSide.Bid : TradeSide.Unknown;
                    if (ev.Side == TradeSide.Unknown)
                    {
                        return ParseStatus.WrongFieldType;
                    }
                }

                return status;
            case FieldId.MarketState:
                if ((status = s.ReadString(out var ms, out _)) == ParseStatus.Ok)
                {
                    // An unknown future state is not an error: it just is not ACTIVE.
                    ev.MarketState = ms.SequenceEqual("ACTIVE"u8) ? MarketState.Active
                        : ms.SequenceEqual("PREVIEW"u8) ? MarketState.Preview
                        : ms.SequenceEqual("DELISTED"u8) ? MarketState.Delisted : MarketState.Unknown;
                }

                return status;
            case FieldId.State:
                if ((status = s.ReadString(out var state, out _)) == ParseStatus.Ok)
                {
                    ev.OrderState = ParseOrderState(state);
                    if (ev.OrderState == OrderState.Unknown)
                    {
                        return ParseStatus.WrongFieldType;
                    }
                }

                return status;
            case FieldId.OrderType:
                if ((status = s.ReadString(out var ot, out _)) == ParseStatus.Ok)
                {
                    ev.OrderType = ot.SequenceEqual("limit"u8) ? OrderType.Limit
                        : ot.SequenceEqual("price"u8) ? OrderType.Price
                        : ot.SequenceEqual("market"u8) ? OrderType.Market
                        : ot.SequenceEqual("best"u8) ? OrderType.Best : OrderType.Unknown;
                }

                return status;
            case FieldId.Uuid:
                return ReadGuid(ref s, out ev.OrderUuid);
            case FieldId.TradeUuid:
                return ReadGuid(ref s, out ev.TradeUuid);
            case FieldId.Identifier:
                if ((status = s.ReadString(out var identifier, out var escaped)) == ParseStatus.Ok)
                {
                    if (escaped || identifier.Length > MarketEvent.MaxIdentifierBytes)
                    {
                        return ParseStatus.OutOfRange;
                    }

                    identifier.CopyTo(ev.IdentifierBytes);
                    ev.IdentifierLength = identifier.Length;
                }

                return status;
            case FieldId.CandleUtc:
                if ((status = s.ReadString(out var when, out _)) == ParseStatus.Ok)
                {
                    return UpbitTime.TryParseUtcMs(when, out ev.CandleStartMs) ? ParseStatus.Ok : ParseStatus.WrongFieldType;
                }

                return status;
            default:
                return s.SkipValue();
        }
    }

    private static OrderState ParseOrderState(ReadOnlySpan<byte> state) =>
        state.SequenceEqual("trade"u8) ? OrderState.Trade
        : state.SequenceEqual("wait"u8) ? OrderState.Wait
        : state.SequenceEqual("done"u8) ? OrderState.Done
        : state.SequenceEqual("cancel"u8) ? OrderState.Cancel
        : state.SequenceEqual("watch"u8) ? OrderState.Watch
        : state.SequenceEqual("prevented"u8) ? OrderState.Prevented : OrderState.Unknown;

    /// <summary>A price or size: finite, not negative, not absurd.</summary>
    /// <summary>A private-socket amount as an exact decimal.</summary>
    private static ParseStatus ReadMoney(ref JsonScanner s, out decimal value)
    {
        var status = s.ReadDecimal(out value);
        return status == ParseStatus.Ok && value < 0 ? ParseStatus.OutOfRange : status;
    }

    private ParseStatus ReadAmount(ref JsonScanner s, out double value)
    {
        var status = s.ReadDouble(out value);
        if (status != ParseStatus.Ok)
        {
            return status;
        }

        return InRange(value) ? ParseStatus.Ok : ParseStatus.OutOfRange;
    }

    /// <summary>A price, size or amount: not negative and within <see cref="UpbitParserOptions.MaxMagnitude"/>.</summary>
    private bool InRange(double value) => value >= 0 && value <= _options.MaxMagnitude;

    /// <summary>Unix ms; the 16-digit microsecond form seen in real captures (1691530805062000) is scaled to ms.</summary>
    private static ParseStatus ReadTimestamp(ref JsonScanner s, out long ms)
    {
        var status = s.ReadLong(out ms);
        if (status != ParseStatus.Ok)
        {
            return status;
        }

        if (ms is < 0 or >= 100_000_000_000_000_000)
        {
            return ParseStatus.OutOfRange;
        }

        if (ms >= 100_000_000_000_000)
        {
            ms /= 1000;
        }

        return ParseStatus.Ok;
    }

    private static ParseStatus ReadGuid(ref JsonScanner s, out Guid value)
    {
        value = default;
        var status = s.ReadString(out var text, out _);
        if (status != ParseStatus.Ok)
        {
            return status;
        }

        return Utf8Parser.TryParse(text, out value, out var consumed, 'D') && consumed == text.Length ? ParseStatus.Ok : ParseStatus.WrongFieldType;
    }
}
