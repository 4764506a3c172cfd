using UpbitHft.Feed.Events;

namespace UpbitHft.Feed.Parsing;

public sealed partial class UpbitMessageParser
{
    private const int AllUnitFields = 0b1111;

    /// <summary>A nested key whose value was <c>null</c> and has been consumed.</summary>
    private const FieldId ConsumedNull = (FieldId)255;

    /// <summary>Reads <c>orderbook_units</c>/<c>obu</c>: up to 30 {ask_price, bid_price, ask_size, bid_size} inline.</summary>
    private ParseStatus ReadUnits(ref JsonScanner s, ref MarketEvent ev)
    {
        var status = OpenContainer(ref s, (byte)'[');
        if (status != ParseStatus.Ok || s.TryConsumeEmpty((byte)']'))
        {
            ev.LevelCount = 0;
            return status;
        }

        var count = 0;
        while (true)
        {
            if (count == MarketEvent.MaxLevels)
            {
                return ParseStatus.TooManyLevels;
            }

            if ((status = OpenContainer(ref s, (byte)'{')) != ParseStatus.Ok)
            {
                return status;
            }

            var fields = 0;
            if (!s.TryConsumeEmpty((byte)'}'))
            {
                while (true)
                {
                    if ((status = ReadKey(ref s, UpbitKeys.Unit, out var id)) != ParseStatus.Ok)
                    {
                        return status;
                    }

                    switch (id)
                    {
                        case FieldId.AskPrice:
                            status = ReadAmount(ref s, out ev.AskPrices[count]);
                            fields |= 1;
                            break;
                        case FieldId.BidPrice:
                            status = ReadAmount(ref s, out ev.BidPrices[count]);
                            fields |= 2;
                            break;
                        case FieldId.AskSize:
                            status = ReadAmount(ref s, out ev.AskSizes[count]);
                            fields |= 4;
                            break;
                        case FieldId.BidSize:
                            status = ReadAmount(ref s, out ev.BidSizes[count]);
                            fields |= 8;
                            break;
                        default:
                            status = id == FieldId.Unknown ? s.SkipValue(1) : ParseStatus.Ok;
                            break;
                    }

                    if (status != ParseStatus.Ok)
                    {
                        return status;
                    }

                    if ((status = s.NextMember((byte)'}', out var moreFields)) != ParseStatus.Ok)
                    {
                        return status;
                    }

                    if (!moreFields)
                    {
                        break;
                    }
                }
            }

            if (fields != AllUnitFields)
            {
                return ParseStatus.MissingField;
            }

            count++;
            if ((status = s.NextMember((byte)']', out var more)) != ParseStatus.Ok)
            {
                return status;
            }

            if (!more)
            {
                ev.LevelCount = count;
                return ParseStatus.Ok;
            }
        }
    }

    /// <summary>Reads myAsset <c>assets</c>/<c>ast</c>: the first 8 kept inline, the rest validated and counted.</summary>
    private static ParseStatus ReadAssets(ref JsonScanner s, ref MarketEvent ev)
    {
        var status = OpenContainer(ref s, (byte)'[');
        if (status != ParseStatus.Ok || s.TryConsumeEmpty((byte)']'))
        {
            return status;
        }

        while (true)
        {
            if ((status = OpenContainer(ref s, (byte)'{')) != ParseStatus.Ok)
            {
                return status;
            }

            var keep = ev.AssetCount < MarketEvent.MaxAssets;
            ref var entry = ref ev.Assets[keep ? ev.AssetCount : 0];
            var currency = default(CurrencyCode);
            var currencyLength = 0;
            decimal balance = 0, locked = 0;
            var hasCurrency = false;
            if (!s.TryConsumeEmpty((byte)'}'))
            {
                while (true)
                {
                    if ((status = ReadKey(ref s, UpbitKeys.Asset, out var id)) != ParseStatus.Ok)
                    {
                        return status;
                    }

                    switch (id)
                    {
                        case FieldId.Currency:
                            status = s.ReadString(out var code, out var escaped);
                            if (status == ParseStatus.Ok)
                            {
                                if (escaped || code.IsEmpty || code.Length > 15)
                                {
                                    return ParseStatus.WrongFieldType;
                                }

                                code.CopyTo(currency);
                                currencyLength = code.Length;
                                hasCurrency = true;
                            }

                            break;
                        case FieldId.Balance:
                            // myAsset balances can carry more than 28 significant digits (API.md §4.4): a double keeps 15–17,
                            // which is what the hot path needs; reconciliation reads exact balances over REST.
                            status = ReadMoney(ref s, out balance);
                            break;
                        case FieldId.Locked:
                            status = ReadMoney(ref s, out locked);
                            break;
                        default:
                            status = id == FieldId.Unknown ? s.SkipValue(1) : ParseStatus.Ok;
                            break;
                    }

                    if (status != ParseStatus.Ok)
                    {
                        return status;
                    }

                    if ((status = s.NextMember((byte)'}', out var moreFields)) != ParseStatus.Ok)
                    {
                        return status;
                    }

                    if (!moreFields)
                    {
                        break;
                    }
                }
            }

            if (!hasCurrency)
            {
                return ParseStatus.MissingField;
            }

            if (keep)
            {
                entry.Currency = currency;
                entry.CurrencyLength = (byte)currencyLength;
                entry.Balance = balance;
                entry.Locked = locked;
                ev.AssetCount++;
            }
            else
            {
                ev.AssetsDropped++;
            }

            if ((status = s.NextMember((byte)']', out var more)) != ParseStatus.Ok)
            {
                return status;
            }

            if (!more)
            {
                return ParseStatus.Ok;
            }
        }
    }

    /// <summary>Reads <c>{"name": string|number, "message": string}</c> (WebSocket errors use strings, quotation REST numbers).</summary>
    private static ParseStatus ReadError(ref JsonScanner s, ref MarketEvent ev)
    {
        var status = OpenContainer(ref s, (byte)'{');
        if (status != ParseStatus.Ok)
        {
            return status;
        }

        ev.ErrorName = UpbitErrorName.None;
        if (s.TryConsumeEmpty((byte)'}'))
        {
            return ParseStatus.MissingField;
        }

        while (true)
        {
            if ((status = ReadKey(ref s, UpbitKeys.Error, out var id)) != ParseStatus.Ok)
            {
                return status;
            }

            if (id == FieldId.Name && s.Peek() != (byte)'"')
            {
                status = s.ReadLong(out var number);
                if (status == ParseStatus.Ok)
                {
                    ev.ErrorName = UpbitErrorName.Numeric;
                    ev.ErrorNumber = number is >= int.MinValue and <= int.MaxValue ? (int)number : 0;
                }
            }
            else if (id is FieldId.Name or FieldId.Message)
            {
                status = s.ReadString(out var text, out _);
                if (status == ParseStatus.Ok)
                {
                    if (id == FieldId.Name)
                    {
                        ev.ErrorName = MapErrorName(text);
                    }
                    else
                    {
                        var kept = Math.Min(text.Length, MarketEvent.MaxErrorMessageBytes);
                        text[..kept].CopyTo(ev.ErrorMessageBytes);
                        ev.ErrorMessageLength = kept;
                    }
                }
            }
            else
            {
                status = id == FieldId.Unknown ? s.SkipValue(1) : ParseStatus.Ok;
            }

            if (status != ParseStatus.Ok)
            {
                return status;
            }

            if ((status = s.NextMember((byte)'}', out var more)) != ParseStatus.Ok)
            {
                return status;
            }

            if (!more)
            {
                return ev.ErrorName == UpbitErrorName.None ? ParseStatus.MissingField : ParseStatus.Ok;
            }
        }
    }

    private static UpbitErrorName MapErrorName(ReadOnlySpan<byte> name) =>
        name.SequenceEqual("INVALID_AUTH"u8) ? UpbitErrorName.InvalidAuth
        : name.SequenceEqual("WRONG_FORMAT"u8) ? UpbitErrorName.WrongFormat
        : name.SequenceEqual("NO_TICKET"u8) ? UpbitErrorName.NoTicket
        : name.SequenceEqual("NO_TYPE"u8) ? UpbitErrorName.NoType
        : name.SequenceEqual("NO_CODES"u8) ? UpbitErrorName.NoCodes
        : name.SequenceEqual("INVALID_PARAM"u8) ? UpbitErrorName.InvalidParam
        // The exact rate-limit names are UNCONFIRMED (API.md §4.6, §7.2): accept the spellings seen in the wild.
        : name.SequenceEqual("TOO_MANY_REQUEST"u8) || name.SequenceEqual("TOO_MANY_REQUESTS"u8) ? UpbitErrorName.TooManyRequests
        : name.SequenceEqual("I_AM_A_TEAPOT"u8) || name.SequenceEqual("TEAPOT"u8) ? UpbitErrorName.Teapot
        : UpbitErrorName.Unknown;

    private static ParseStatus OpenContainer(ref JsonScanner s, byte open)
    {
        var next = s.Peek();
        if (next == 0)
        {
            return ParseStatus.Truncated;
        }

        if (next != open)
        {
            return next is (byte)'"' or (byte)'{' or (byte)'[' or (byte)'t' or (byte)'f' or (byte)'-' or (>= (byte)'0' and <= (byte)'9')
                ? ParseStatus.WrongFieldType
                : ParseStatus.Malformed;
        }

        return s.Expect(open);
    }

    private static ParseStatus ReadKey(ref JsonScanner s, KeyTable table, out FieldId id)
    {
        id = FieldId.Unknown;
        var status = s.ReadString(out var key, out var escaped);
        if (status != ParseStatus.Ok)
        {
            return status == ParseStatus.WrongFieldType ? ParseStatus.Malformed : status;
        }

        if ((status = s.Expect((byte)':')) != ParseStatus.Ok)
        {
            return status;
        }

        if (!escaped)
        {
            id = table.Find(key, out _);
        }

        if (id != FieldId.Unknown && s.TryReadNull(out status))
        {
            // A null nested field counts as absent; its value is already consumed.
            id = ConsumedNull;
            return status;
        }

        return ParseStatus.Ok;
    }
}
