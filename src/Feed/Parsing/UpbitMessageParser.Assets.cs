using UpbitHft.Feed.Events;

namespace UpbitHft.Feed.Parsing;

/// <summary>myAsset balances: one entry per currency, exact decimals.</summary>
public sealed partial class UpbitMessageParser
{
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
                            // myAsset balances can carry more than 28 significant digits (docs/upbit.md#numbers): a double keeps 15–17,
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
}
