using System.Globalization;
using System.Text;

namespace UpbitHft.TestSupport.FakeUpbit;

/// <summary>
/// Builds a scripted public session in Upbit's DEFAULT format (docs/upbit.md#market-data-messages) for the fake exchange. Times are
/// exchange ms; the fake REST candles end with the minute starting <see cref="Minute30"/>, so scripts start at
/// <see cref="Minute31"/> and warm-up plus script form one history.
/// </summary>
public sealed class SessionScript
{
    public static readonly long Minute30 = new DateTimeOffset(2026, 11, 2, 0, 30, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
    public static readonly long Minute31 = Minute30 + 60_000;

    private long _seq;

    public List<byte[]> Frames { get; } = [];

    public int Count => Frames.Count;

    public static byte[] TradeFrame(string market, long ms, decimal price, decimal volume, long seq) => Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
        $$"""{"type":"trade","code":"{{market}}","timestamp":{{ms}},"trade_date":"2026-11-02","trade_time":"00:31:00","trade_timestamp":{{ms}},"trade_price":{{price}},"trade_volume":{{volume}},"ask_bid":"BID","prev_closing_price":499000.0,"change":"RISE","change_price":1000.0,"sequential_id":{{seq}},"stream_type":"REALTIME"}"""));

    /// <summary>A one-level book: best bid <paramref name="bid"/>, best ask <paramref name="ask"/>, sizes as given.</summary>
    public static byte[] BookFrame(string market, long ms, decimal bid, decimal ask, decimal bidSize, decimal askSize) => Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
        $$"""{"type":"orderbook","code":"{{market}}","timestamp":{{ms}},"total_ask_size":{{askSize}},"total_bid_size":{{bidSize}},"orderbook_units":[{"ask_price":{{ask}},"bid_price":{{bid}},"ask_size":{{askSize}},"bid_size":{{bidSize}}}],"stream_type":"REALTIME","level":0}"""));

    public SessionScript Trade(string market, long ms, decimal price, decimal volume)
    {
        Frames.Add(TradeFrame(market, ms, price, volume, ++_seq));
        return this;
    }

    public SessionScript Book(string market, long ms, decimal bid, decimal ask, decimal bidSize, decimal askSize)
    {
        Frames.Add(BookFrame(market, ms, bid, ask, bidSize, askSize));
        return this;
    }

    /// <summary>Any bytes (malformed frames, unknown markets).</summary>
    public SessionScript Raw(string text)
    {
        Frames.Add(Encoding.UTF8.GetBytes(text));
        return this;
    }

    /// <summary>
    /// A volume surge in minute 00:31 in each market (6 × 100 coins at 500,000 — 2.6× the warm-up's minutes) with
    /// bids above asks, interleaved across markets, then a fresh book and a trade at 00:32 in each so the entry rule
    /// sees the completed surge minute. The books' best ask is 500,000: a market buy fills there.
    /// </summary>
    public SessionScript Surge(params string[] markets)
    {
        const decimal price = 500_000m;
        foreach (var m in markets)
        {
            Book(m, Minute31 + 100, price - 500, price, 10, 5);
        }

        for (var i = 0; i < 6; i++)
        {
            foreach (var m in markets)
            {
                Trade(m, Minute31 + 1_000 + (i * 1_000), price, 100);
            }
        }

        foreach (var m in markets)
        {
            Book(m, Minute31 + 60_100, price - 500, price, 10, 5);
            Trade(m, Minute31 + 60_200, price, 0.01m);
        }

        return this;
    }

    /// <summary>Books with asks above bids in size (no entry), no trades: lets wall-clock time pass while orders are answered.</summary>
    public SessionScript Quiet(string market, long fromMs, int n, decimal bid = 499_500m)
    {
        for (var i = 0; i < n; i++)
        {
            Book(market, fromMs + (i * 10), bid, bid + 500, 5, 10);
        }

        return this;
    }

    /// <summary>The price moves to <paramref name="price"/>: a book whose best bid is there (market sells fill at it), then trades at it.</summary>
    public SessionScript MoveTo(string market, long fromMs, decimal price, int trades = 20)
    {
        Book(market, fromMs, price, price + 500, 5, 10);
        for (var i = 0; i < trades; i++)
        {
            Trade(market, fromMs + 10 + (i * 10), price, 0.01m);
        }

        return this;
    }
}
