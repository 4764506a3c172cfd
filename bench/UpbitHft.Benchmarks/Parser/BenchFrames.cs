using System.Globalization;
using System.Text;

namespace UpbitHft.Benchmarks.Parser;

/// <summary>
/// The frames the parser benchmarks use. Trades and the DEFAULT ticker are real/documented messages verbatim; the SIMPLE
/// ticker is the documented DEFAULT ticker with its keys abbreviated per docs/upbit.md#simple-format; the 30-level books are built
/// from the real 15-level KRW-IQ SIMPLE capture (2021-04-05) by continuing its price ladder and reusing its sizes,
/// because no real 30-level frame was captured.
/// </summary>
public static class BenchFrames
{
    public const string TradeDefault = "{\"type\":\"trade\",\"code\":\"KRW-BTC\",\"timestamp\":1787728554853,\"trade_date\":\"2026-08-26\",\"trade_time\":\"07:15:54\",\"trade_timestamp\":1787728554797,\"trade_price\":109847000.0,\"trade_volume\":0.00509799,\"ask_bid\":\"ASK\",\"prev_closing_price\":109165000.0,\"change\":\"RISE\",\"change_price\":682000.0,\"sequential_id\":17877285547970000,\"best_ask_price\":109867000,\"best_ask_size\":0.0099545,\"best_bid_price\":109847000,\"best_bid_size\":0.1583673,\"stream_type\":\"SNAPSHOT\"}";

    public const string TradeSimple = "{\"ty\":\"trade\",\"cd\":\"KRW-LAMB\",\"tms\":1618678263084,\"td\":\"2021-04-17\",\"ttm\":\"16:51:02\",\"ttms\":1618678262000,\"tp\":126.0,\"tv\":47.97601199,\"ab\":\"ASK\",\"pcp\":123.00000000,\"c\":\"RISE\",\"cp\":3.00000000,\"sid\":1618678262000004,\"st\":\"REALTIME\"}";

    public const string TickerDefault = "{\"type\":\"ticker\",\"code\":\"KRW-BTC\",\"opening_price\":31883000,\"high_price\":32310000,\"low_price\":31855000,\"trade_price\":32287000,\"prev_closing_price\":31883000.00000000,\"acc_trade_price\":78039261076.51241000,\"change\":\"RISE\",\"change_price\":404000.00000000,\"signed_change_price\":404000.00000000,\"change_rate\":0.0126713295,\"signed_change_rate\":0.0126713295,\"ask_bid\":\"ASK\",\"trade_volume\":0.03103806,\"acc_trade_volume\":2429.58834336,\"trade_date\":\"20230221\",\"trade_time\":\"074102\",\"trade_timestamp\":1676965262139,\"acc_ask_volume\":1146.25573608,\"acc_bid_volume\":1283.33260728,\"highest_52_week_price\":57678000.00000000,\"highest_52_week_date\":\"2022-03-28\",\"lowest_52_week_price\":20700000.00000000,\"lowest_52_week_date\":\"2022-12-30\",\"market_state\":\"ACTIVE\",\"is_trading_suspended\":false,\"delisting_date\":null,\"market_warning\":\"NONE\",\"timestamp\":1676965262177,\"acc_trade_price_24h\":228827082483.70729000,\"acc_trade_volume_24h\":7158.80283560,\"stream_type\":\"REALTIME\"}";

    public static readonly string TickerSimple = Abbreviate(TickerDefault);

    private static readonly double[] s_askSizes = [9354.4915888, 166549.32477005, 215587.54516761, 391706.08364387, 532789.53091055, 391080.11390585, 228984.31886728, 263249.28344247, 259293.8655124, 348062.66946829, 183244.30614018, 109026.53680664, 430037.5168271, 258109.47506019, 86622.88118365];
    private static readonly double[] s_bidSizes = [24347.90399112, 209448.79353972, 224496.89309439, 247571.71431174, 632672.64415657, 1035538.64655913, 563379.73087194, 1353176.87736017, 760992.27050092, 1737354.20147992, 540193.55725807, 1573613.86798331, 2340732.9741764, 358659.45799068, 501196.24383138];

    public static readonly string Book30Simple = Book(simple: true, levels: 30);
    public static readonly string Book30Default = Book(simple: false, levels: 30);

    /// <summary>The real 15-level KRW-IQ book (the usual depth of Upbit's stream): prices as captured, sizes as captured.</summary>
    public static readonly string Book15Simple = Book(simple: true, levels: 15);
    public static readonly string Book15Default = Book(simple: false, levels: 15);

    public static byte[] Utf8(string name) => Encoding.UTF8.GetBytes(name switch
    {
        "trade-default" => TradeDefault,
        "trade-simple" => TradeSimple,
        "ticker-default" => TickerDefault,
        "ticker-simple" => TickerSimple,
        "book30-default" => Book30Default,
        "book30-simple" => Book30Simple,
        "book15-default" => Book15Default,
        "book15-simple" => Book15Simple,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown frame"),
    });

    private static string Book(bool simple, int levels)
    {
        var sb = new StringBuilder();
        sb.Append(simple ? "{\"ty\":\"orderbook\",\"cd\":\"KRW-IQ\",\"tms\":1617646620673,\"tas\":3873697.94329493,\"tbs\":12103375.77710546,\"obu\":["
                         : "{\"type\":\"orderbook\",\"code\":\"KRW-IQ\",\"timestamp\":1617646620673,\"total_ask_size\":3873697.94329493,\"total_bid_size\":12103375.77710546,\"orderbook_units\":[");
        for (var i = 0; i < levels; i++)
        {
            var ask = (41.4m + (0.1m * i)).ToString("0.0", CultureInfo.InvariantCulture);
            var bid = (41.2m - (0.1m * i)).ToString("0.0", CultureInfo.InvariantCulture);
            var a = s_askSizes[i % 15].ToString("R", CultureInfo.InvariantCulture);
            var b = s_bidSizes[i % 15].ToString("R", CultureInfo.InvariantCulture);
            sb.Append(i == 0 ? "" : ",");
            sb.Append(simple ? $"{{\"ap\":{ask},\"bp\":{bid},\"as\":{a},\"bs\":{b}}}" : $"{{\"ask_price\":{ask},\"bid_price\":{bid},\"ask_size\":{a},\"bid_size\":{b}}}");
        }

        sb.Append(simple ? "],\"st\":\"REALTIME\",\"lv\":0}" : "],\"stream_type\":\"REALTIME\",\"level\":0}");
        return sb.ToString();
    }

    private static string Abbreviate(string json)
    {
        (string Full, string Short)[] map =
        [
            ("type", "ty"), ("code", "cd"), ("opening_price", "op"), ("high_price", "hp"), ("low_price", "lp"), ("trade_price", "tp"),
            ("prev_closing_price", "pcp"), ("acc_trade_price_24h", "atp24h"), ("acc_trade_price", "atp"), ("change_price", "cp"), ("signed_change_price", "scp"),
            ("signed_change_rate", "scr"), ("change_rate", "cr"), ("change", "c"), ("ask_bid", "ab"), ("trade_volume", "tv"), ("acc_trade_volume_24h", "atv24h"),
            ("acc_trade_volume", "atv"), ("trade_date", "tdt"), ("trade_time", "ttm"), ("trade_timestamp", "ttms"), ("acc_ask_volume", "aav"),
            ("acc_bid_volume", "abv"), ("highest_52_week_price", "h52wp"), ("highest_52_week_date", "h52wdt"), ("lowest_52_week_price", "l52wp"),
            ("lowest_52_week_date", "l52wdt"), ("market_state", "ms"), ("is_trading_suspended", "its"), ("delisting_date", "dd"),
            ("market_warning", "mw"), ("timestamp", "tms"), ("stream_type", "st"),
        ];
        foreach (var (full, abbreviation) in map)
        {
            json = json.Replace($"\"{full}\":", $"\"{abbreviation}\":", StringComparison.Ordinal);
        }

        return json;
    }
}
