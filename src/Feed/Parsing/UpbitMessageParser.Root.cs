using UpbitHft.Feed.Events;

namespace UpbitHft.Feed.Parsing;

/// <summary>The top-level object of a frame: keys in any order, dispatched to the field readers, then validated.</summary>
public sealed partial class UpbitMessageParser
{
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
        var keys = UpbitKeys.TopLevel;
        var previous = keys.Count; // "before the first key"
        ParseStatus status;

        if (!s.TryConsumeEmpty((byte)'}'))
        {
            while (true)
            {
                // Upbit sends a kind's keys in a fixed order: the key this kind had after the previous one last time
                // is tried first, as its literal "key": bytes. A miss (or a first sight) takes the general path.
                var slot = (int)kind * _nextKeyStride + previous;
                var entry = _nextKey[slot] - 1;
                if (entry < 0 || !s.TryConsumeKey(keys, entry))
                {
                    if ((status = s.ReadString(out var key, out var keyEscaped, out var keyHead)) != ParseStatus.Ok)
                    {
                        return status == ParseStatus.WrongFieldType ? ParseStatus.Malformed : status;
                    }

                    if ((status = s.Expect((byte)':')) != ParseStatus.Ok)
                    {
                        return status;
                    }

                    entry = keyEscaped ? -1 : keys.FindEntry(key, keyHead);
                    _nextKey[slot] = (short)(entry + 1);
                }
                else
                {
                    _keysPredicted++;
                }

                FieldId id;
                var simple = false;
                if (entry >= 0)
                {
                    id = keys.IdOf(entry);
                    simple = keys.IsSimple(entry);
                    previous = entry;
                }
                else
                {
                    id = FieldId.Unknown;
                    previous = keys.Count + 1;
                }

                if (id is FieldId.Unknown or FieldId.Ignored)
                {
                    status = s.SkipValue();
                }
                else if (s.TryReadNull(out status))
                {
                    // null = absent (Upbit sends e.g. "delisting_date":null, "time_in_force":null).
                }
                else if (id == FieldId.Type && (seen & Bit(FieldId.Type)) != 0)
                {
                    // A second type key would change the kind after fields were read for the first one (a myOrder's
                    // amounts go into the tail its book shares): Upbit never sends one.
                    return ParseStatus.Malformed;
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
                            status = ReadMoney(ref s, out ev.Order.Price); // never negative
                            ev.Price = (double)ev.Order.Price;
                            break;
                        case FieldId.TradeVolume when kind == MarketEventKind.MyOrder:
                            status = ReadMoney(ref s, out ev.Order.Volume);
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

            var code = frame.Slice(codeStart, codeLength);
            if ((status = _options.DeferMarketResolution ? KeepCode(code, codeEscaped, ref ev) : ResolveMarket(code, codeEscaped, ref ev)) != ParseStatus.Ok)
            {
                return status;
            }
        }

        ev.Kind = kind;
        return ParseStatus.Ok;
    }
}
