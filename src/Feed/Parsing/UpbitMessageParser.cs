using System.Buffers;
using System.Runtime.CompilerServices;
using UpbitHft.Feed.Events;
using UpbitHft.Feed.Markets;

namespace UpbitHft.Feed.Parsing;

/// <summary>
/// Parses one Upbit WebSocket frame (DEFAULT or SIMPLE format; trade, ticker, orderbook, candle.*, myOrder, myAsset,
/// the status keep-alive, error frames) straight from UTF-8 into a ring slot, without allocating.
/// </summary>
/// <remarks>
/// Owned by one thread (the feed thread that writes the ring); the counters are plain fields for that reason.
/// Keys may come in any order; unknown keys are skipped (validated); a null is treated as an absent field.
/// Any failure leaves <see cref="MarketEvent.Kind"/> at <see cref="MarketEventKind.None"/> — a half-filled event is
/// never reported valid. The method never throws on any input.
/// </remarks>
public sealed partial class UpbitMessageParser
{
    private readonly MarketTable _markets;
    private readonly UpbitParserOptions _options;
    private readonly byte[] _scratch;
    private readonly long[] _counts;

    /// <summary>Creates a parser writing market ids from <paramref name="markets"/>.</summary>
    public UpbitMessageParser(MarketTable markets, UpbitParserOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(markets);
        _markets = markets;
        _options = options ?? new UpbitParserOptions();
        _options.Validate();
        _scratch = new byte[_options.MaxFrameBytes];
        _counts = new long[Enum.GetValues<ParseStatus>().Length];
    }

    /// <summary>The market table this parser resolves codes with.</summary>
    public MarketTable Markets => _markets;

    /// <summary>How many frames ended with <paramref name="status"/> (owner thread; a racy read elsewhere is fine for metrics).</summary>
    public long Count(ParseStatus status) => _counts[(int)status];

    /// <summary>Frames that did not parse, all reasons together.</summary>
    public long Rejected
    {
        get
        {
            long total = 0;
            for (var i = 1; i < _counts.Length; i++)
            {
                total += _counts[i];
            }

            return total;
        }
    }

    /// <summary>Parses a frame held in one contiguous span.</summary>
    public ParseStatus Parse(ReadOnlySpan<byte> frame, long receiveTimestampNs, ref MarketEvent ev)
    {
        ev.ClearHead();
        ev.MarketId = -1;
        ev.ReceiveTimestampNs = receiveTimestampNs;
        var status = frame.Length > _options.MaxFrameBytes ? ParseStatus.TooLarge : ParseRoot(frame, ref ev);
        if (status != ParseStatus.Ok)
        {
            ev.Kind = MarketEventKind.None;
        }

        _counts[(int)status]++;
        return status;
    }

    /// <summary>Parses a frame that may straddle pipe segments: the single-segment case goes straight to the span path.</summary>
    public ParseStatus Parse(in ReadOnlySequence<byte> frame, long receiveTimestampNs, ref MarketEvent ev)
    {
        if (frame.IsSingleSegment)
        {
            return Parse(frame.FirstSpan, receiveTimestampNs, ref ev);
        }

        return ParseMultiSegment(frame, receiveTimestampNs, ref ev);
    }

    /// <summary>
    /// Frames split across segments are copied once into a preallocated scratch buffer: Upbit frames are a few KB,
    /// so one copy is cheaper than a segment-aware tokenizer on every byte, and it keeps one validated scanner.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private ParseStatus ParseMultiSegment(in ReadOnlySequence<byte> frame, long receiveTimestampNs, ref MarketEvent ev)
    {
        if (frame.Length > _scratch.Length)
        {
            ev.ClearHead();
            ev.MarketId = -1;
            ev.ReceiveTimestampNs = receiveTimestampNs;
            _counts[(int)ParseStatus.TooLarge]++;
            return ParseStatus.TooLarge;
        }

        var length = (int)frame.Length;
        frame.CopyTo(_scratch);
        return Parse(_scratch.AsSpan(0, length), receiveTimestampNs, ref ev);
    }

    private ParseStatus ParseRoot(ReadOnlySpan<byte> frame, ref MarketEvent ev)
    {
        var s = new JsonScanner(frame);
        if (!s.SkipWhitespace())
        {
            return ParseStatus.Empty;
        }

        var first = s.Peek();
        if (first != (byte)'{')
        {
            return first == (byte)'[' ? ParseStatus.UnsupportedFormat : ParseStatus.Malformed;
        }

        s.Expect((byte)'{');
        ulong seen = 0;
        var codeStart = -1;
        var codeLength = 0;
        var codeEscaped = false;
        var kind = MarketEventKind.None;
        var typeStatus = ParseStatus.Ok;
        var amountsBeforeType = false;
        ParseStatus status;

        if (!s.TryConsumeEmpty((byte)'}'))
        {
            while (true)
            {
                if ((status = s.ReadString(out var key, out var keyEscaped)) != ParseStatus.Ok)
                {
                    return status == ParseStatus.WrongFieldType ? ParseStatus.Malformed : status;
                }

                if ((status = s.Expect((byte)':')) != ParseStatus.Ok)
                {
                    return status;
                }

                var simple = false;
                var id = keyEscaped ? FieldId.Unknown : UpbitKeys.TopLevel.Find(key, out simple);
                if (id == FieldId.Unknown)
                {
                    status = s.SkipValue();
                }
                else if (s.TryReadNull(out status))
                {
                    // null = absent (Upbit sends e.g. "delisting_date":null, "time_in_force":null).
                }
                else
                {
                    seen |= 1UL << (int)id;
                    switch (id)
                    {
                        case FieldId.Type:
                            ev.Format = simple ? MessageFormat.Simple : MessageFormat.Default;
                            status = s.ReadString(out var typeText, out var typeEscaped);
                            if (status == ParseStatus.Ok)
                            {
                                typeStatus = typeEscaped ? ParseStatus.UnknownType : ClassifyType(typeText, ref ev, out kind);
                            }

                            break;
                        case FieldId.Code:
                            status = s.ReadString(out var codeText, out codeEscaped);
                            if (status == ParseStatus.Ok)
                            {
                                // Remember where the code sits; the market is resolved only once the frame is valid,
                                // so a corrupt frame never adds a market to the table.
                                codeLength = codeText.Length;
                                codeStart = s.Position - 1 - codeLength;
                            }

                            break;
                        case FieldId.Units:
                            status = ReadUnits(ref s, ref ev);
                            break;
                        case FieldId.Assets:
                            status = ReadAssets(ref s, ref ev);
                            break;
                        case FieldId.Error:
                            status = ReadError(ref s, ref ev);
                            break;
                        case FieldId.Status:
                            status = s.ReadString(out var statusText, out _);
                            ev.Status = statusText.SequenceEqual("UP"u8) ? StatusCode.Up : StatusCode.Other;
                            break;
                        case FieldId.Method:
                            status = s.ReadString(out var methodText, out _);
                            if (status == ParseStatus.Ok && methodText.SequenceEqual("LIST_SUBSCRIPTIONS"u8))
                            {
                                ev.Status = StatusCode.SubscriptionList;
                            }

                            break;
                        case FieldId.TradePrice when kind == MarketEventKind.MyOrder:
                            // A myOrder's price and volume are money (the fill's, on a trade event): exact decimals.
                            status = s.ReadDecimal(out ev.Order.Price);
                            ev.Price = (double)ev.Order.Price;
                            break;
                        case FieldId.TradeVolume when kind == MarketEventKind.MyOrder:
                            status = s.ReadDecimal(out ev.Order.Volume);
                            ev.Volume = (double)ev.Order.Volume;
                            break;
                        case FieldId.TradePrice or FieldId.TradeVolume:
                            status = ReadScalar(ref s, id, ref ev);
                            amountsBeforeType |= kind == MarketEventKind.None;
                            break;
                        default:
                            status = ReadScalar(ref s, id, ref ev);
                            break;
                    }
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
                    break;
                }
            }
        }

        if (s.SkipWhitespace())
        {
            return ParseStatus.Malformed; // bytes after the root object
        }

        if ((seen & Bit(FieldId.Type)) != 0)
        {
            if (typeStatus != ParseStatus.Ok)
            {
                return typeStatus;
            }
        }
        else if ((seen & Bit(FieldId.Error)) != 0)
        {
            kind = MarketEventKind.Error;
        }
        else if ((seen & Bit(FieldId.Status)) != 0 || ev.Status == StatusCode.SubscriptionList)
        {
            kind = MarketEventKind.Status;
        }
        else
        {
            return ParseStatus.MissingType;
        }

        ev.FieldsSeen = seen;
        if ((status = Validate(kind, seen, ref ev)) != ParseStatus.Ok)
        {
            return status;
        }

        if (kind == MarketEventKind.MyOrder && amountsBeforeType)
        {
            // The type key came after price/volume (Upbit sends it first), so those were read as doubles.
            ev.Order.Price = (decimal)ev.Price;
            ev.Order.Volume = (decimal)ev.Volume;
        }

        if (kind is not (MarketEventKind.MyAsset or MarketEventKind.Status or MarketEventKind.Error))
        {
            if (codeStart < 0)
            {
                return ParseStatus.MissingField;
            }

            if ((status = ResolveMarket(frame.Slice(codeStart, codeLength), codeEscaped, ref ev)) != ParseStatus.Ok)
            {
                return status;
            }
        }

        ev.Kind = kind;
        return ParseStatus.Ok;
    }

    private ParseStatus ResolveMarket(ReadOnlySpan<byte> code, bool escaped, ref MarketEvent ev)
    {
        if (_markets.TryGetId(code, out var id))
        {
            ev.MarketId = id;
            return ParseStatus.Ok;
        }

        if (escaped || !MarketTable.IsValidCode(code))
        {
            return ParseStatus.InvalidMarketCode;
        }

        if (!_options.AddUnknownMarkets)
        {
            return ParseStatus.UnknownMarket;
        }

        if (!_markets.TryGetOrAdd(code, out id))
        {
            return ParseStatus.MarketTableFull;
        }

        ev.MarketId = id;
        return ParseStatus.Ok;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Bit(FieldId id) => 1UL << (int)id;
}
