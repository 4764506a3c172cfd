using UpbitHft.Feed.Events;

namespace UpbitHft.Feed.Parsing;

public sealed partial class UpbitMessageParser
{
    private const int AllUnitFields = 0b1111;

    /// <summary>
    /// <see cref="InRange"/> for a unit's four values at once, inlined into the units loop (which no longer got four
    /// calls to <see cref="InRange"/> inlined: 2.5–4.6 % of a frame's parse, in-process A/B).
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static bool UnitInRange(double askPrice, double bidPrice, double askSize, double bidSize, double max) =>
        askPrice >= 0 && askPrice <= max && bidPrice >= 0 && bidPrice <= max && askSize >= 0 && askSize <= max && bidSize >= 0 && bidSize <= max;

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
        var keys = ev.Format == MessageFormat.Default ? JsonScanner.DefaultUnit : JsonScanner.SimpleUnit;
        while (true)
        {
            count = s.ReadCompactUnits(keys, ref ev.AskPrices[0], ref ev.BidPrices[0], ref ev.AskSizes[0], ref ev.BidSizes[0],
                count, MarketEvent.MaxLevels, _options.MaxMagnitude, out var closed);
            if (closed)
            {
                ev.LevelCount = count;
                return ParseStatus.Ok;
            }

            if (count == MarketEvent.MaxLevels)
            {
                return ParseStatus.TooManyLevels;
            }

            if (s.Peek() == (byte)'{' && s.TryReadUnit(keys,
                    out ev.AskPrices[count], out ev.BidPrices[count], out ev.AskSizes[count], out ev.BidSizes[count]))
            {
                if (!UnitInRange(ev.AskPrices[count], ev.BidPrices[count], ev.AskSizes[count], ev.BidSizes[count], _options.MaxMagnitude))
                {
                    return ParseStatus.OutOfRange;
                }
            }
            else if ((status = ReadUnit(ref s, ref ev, count)) != ParseStatus.Ok)
            {
                return status;
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

    /// <summary>One unit in any spelling JSON allows (keys in any order, whitespace, unknown keys skipped).</summary>
    private ParseStatus ReadUnit(ref JsonScanner s, ref MarketEvent ev, int count)
    {
        var status = OpenContainer(ref s, (byte)'{');
        if (status != ParseStatus.Ok)
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

        return fields == AllUnitFields ? ParseStatus.Ok : ParseStatus.MissingField;
    }

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
        var status = s.ReadString(out var key, out var escaped, out var head);
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
            id = table.Find(key, head, out _);
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
