namespace UpbitHft.Feed.Parsing;

/// <summary>Upbit's naive date-time strings (<c>2026-08-26T08:08:00</c>, candle start, UTC) → Unix ms, without allocating.</summary>
public static class UpbitTime
{
    /// <summary>Parses exactly <c>yyyy-MM-ddTHH:mm:ss</c> (a space instead of 'T' is accepted) as UTC.</summary>
    public static bool TryParseUtcMs(ReadOnlySpan<byte> text, out long unixMs)
    {
        unixMs = 0;
        if (text.Length != 19 || text[4] != (byte)'-' || text[7] != (byte)'-' || (text[10] != (byte)'T' && text[10] != (byte)' ')
            || text[13] != (byte)':' || text[16] != (byte)':')
        {
            return false;
        }

        if (!TryDigits(text[..4], out var year) || !TryDigits(text[5..7], out var month) || !TryDigits(text[8..10], out var day)
            || !TryDigits(text[11..13], out var hour) || !TryDigits(text[14..16], out var minute) || !TryDigits(text[17..19], out var second))
        {
            return false;
        }

        if (year < 1970 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        var ticks = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc).Ticks - DateTime.UnixEpoch.Ticks;
        unixMs = ticks / TimeSpan.TicksPerMillisecond;
        return true;
    }

    private static bool TryDigits(ReadOnlySpan<byte> digits, out int value)
    {
        value = 0;
        foreach (var b in digits)
        {
            var d = (uint)(b - '0');
            if (d > 9)
            {
                return false;
            }

            value = (value * 10) + (int)d;
        }

        return true;
    }
}
