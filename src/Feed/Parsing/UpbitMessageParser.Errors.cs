using UpbitHft.Feed.Events;

namespace UpbitHft.Feed.Parsing;

/// <summary>Upbit's error frames (<c>{"error":{"name","message"}}</c>).</summary>
public sealed partial class UpbitMessageParser
{
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
        // The exact rate-limit names are UNCONFIRMED (docs/upbit.md#websocket-errors, §7.2): accept the spellings seen in the wild.
        : name.SequenceEqual("TOO_MANY_REQUEST"u8) || name.SequenceEqual("TOO_MANY_REQUESTS"u8) ? UpbitErrorName.TooManyRequests
        : name.SequenceEqual("I_AM_A_TEAPOT"u8) || name.SequenceEqual("TEAPOT"u8) ? UpbitErrorName.Teapot
        : UpbitErrorName.Unknown;
}
