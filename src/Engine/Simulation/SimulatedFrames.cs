using System.Globalization;
using System.Text;

namespace UpbitHft.Engine.Simulation;

/// <summary>A market's running ticker figures (what Upbit's ticker frame reports), kept by the simulator.</summary>
internal sealed class TickerFigures
{
    public decimal Open { get; set; }
    public decimal High { get; set; }
    public decimal Low { get; set; }
    public decimal AccPrice { get; set; }
    public decimal AccVolume { get; set; }
    public decimal AccAsk { get; set; }
    public decimal AccBid { get; set; }
    public decimal LastVolume { get; set; }
    public string LastSide { get; set; } = "BID";
    public long LastTradeMs { get; set; }

    /// <summary>What the 24 hours before the session added (the 24 h figures are this plus the session's).</summary>
    public decimal Price24hBase { get; set; }
    public decimal Volume24hBase { get; set; }
}

/// <summary>
/// Spells simulated Upbit frames — trade, orderbook, ticker — with SIMPLE or DEFAULT keys and the sample's or the
/// wire's number spelling (<see cref="SimulationSpelling"/>). Field order follows Upbit's frames. One instance per
/// session (it reuses one buffer); not thread-safe.
/// </summary>
internal sealed class SimulatedFrames
{
    private static readonly CultureInfo s_inv = CultureInfo.InvariantCulture;
    private readonly StringBuilder _sb = new(4096);
    private readonly bool _simple;
    private readonly bool _wire;

    public SimulatedFrames(SimulationFormat format, SimulationSpelling spelling)
    {
        _simple = format == SimulationFormat.Simple;
        _wire = spelling == SimulationSpelling.Wire;
    }

    /// <summary>A trade frame. <paramref name="fixedEight"/>: this market spells previous close and change as <c>123.00000000</c> (wire only).</summary>
    public string Trade(string code, long ms, decimal price, decimal volume, string side, decimal prevClose, long sequence, bool fixedEight,
        (decimal AskPrice, decimal AskSize, decimal BidPrice, decimal BidSize) best)
    {
        var t = DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime;
        var change = price > prevClose ? "RISE" : price < prevClose ? "FALL" : "EVEN";
        var sb = _sb.Clear();
        sb.Append('{');
        Text("ty", "type", "trade", first: true);
        Text("cd", "code", code);
        Raw("tms", "timestamp", (ms + 2).ToString(s_inv));
        Text("td", "trade_date", t.ToString("yyyy-MM-dd", s_inv));
        Text("ttm", "trade_time", t.ToString("HH:mm:ss", s_inv));
        Raw("ttms", "trade_timestamp", ms.ToString(s_inv));
        Raw("tp", "trade_price", _wire ? Java(price) : Sample(price));
        Raw("tv", "trade_volume", _wire ? WireSize(volume) : Sample(volume));
        Text("ab", "ask_bid", side);
        Raw("pcp", "prev_closing_price", _wire ? (fixedEight ? Fixed8(prevClose) : Java(prevClose)) : Sample(prevClose));
        Text("c", "change", change);
        var changePrice = Math.Abs(price - prevClose);
        Raw("cp", "change_price", _wire ? (fixedEight ? Fixed8(changePrice) : Java(changePrice)) : Sample(changePrice));
        Raw("sid", "sequential_id", ((ms * 1000) + (sequence % 1000)).ToString(s_inv));
        if (_wire)
        {
            Raw("bap", "best_ask_price", WholeOrJava(best.AskPrice));
            Raw("bas", "best_ask_size", WireSize(best.AskSize));
            Raw("bbp", "best_bid_price", WholeOrJava(best.BidPrice));
            Raw("bbs", "best_bid_size", WireSize(best.BidSize));
        }

        Text("st", "stream_type", "REALTIME");
        return sb.Append('}').ToString();
    }

    /// <summary>An orderbook frame of <paramref name="levels"/> units (sizes as drawn, unrounded doubles).</summary>
    public string Book(string code, long ms, int levels, decimal[] asks, decimal[] bids, double[] askSizes, double[] bidSizes, double totalAsk, double totalBid)
    {
        var sb = _sb.Clear();
        sb.Append('{');
        Text("ty", "type", "orderbook", first: true);
        Text("cd", "code", code);
        Raw("tms", "timestamp", ms.ToString(s_inv));
        Raw("tas", "total_ask_size", _wire ? Plain8(totalAsk) : SampleSize(totalAsk));
        Raw("tbs", "total_bid_size", _wire ? Plain8(totalBid) : SampleSize(totalBid));
        Key("obu", "orderbook_units", first: false);
        sb.Append('[');
        for (var i = 0; i < levels; i++)
        {
            sb.Append(i == 0 ? "{" : ",{");
            Raw("ap", "ask_price", BookPrice(asks[i]), first: true);
            Raw("bp", "bid_price", BookPrice(bids[i]));
            Raw("as", "ask_size", _wire ? WireSize(askSizes[i]) : SampleSize(askSizes[i]));
            Raw("bs", "bid_size", _wire ? WireSize(bidSizes[i]) : SampleSize(bidSizes[i]));
            sb.Append('}');
        }

        sb.Append(']');
        Text("st", "stream_type", "REALTIME");
        Raw("lv", "level", "0");
        return sb.Append('}').ToString();
    }

    /// <summary>A ticker frame from a market's running figures.</summary>
    public string Ticker(string code, long ms, decimal price, decimal prevClose, TickerFigures f)
    {
        var t = DateTimeOffset.FromUnixTimeMilliseconds(f.LastTradeMs == 0 ? ms : f.LastTradeMs).UtcDateTime;
        var signed = price - prevClose;
        var change = signed > 0 ? "RISE" : signed < 0 ? "FALL" : "EVEN";
        var rate = prevClose == 0 ? 0 : Math.Round(signed / prevClose, 10);
        var sb = _sb.Clear();
        sb.Append('{');
        Text("ty", "type", "ticker", first: true);
        Text("cd", "code", code);
        Raw("op", "opening_price", TickerPrice(f.Open));
        Raw("hp", "high_price", TickerPrice(f.High));
        Raw("lp", "low_price", TickerPrice(f.Low));
        Raw("tp", "trade_price", TickerPrice(price));
        Raw("pcp", "prev_closing_price", TickerFixed(prevClose));
        Raw("atp", "acc_trade_price", TickerFixed(f.AccPrice));
        Text("c", "change", change);
        Raw("cp", "change_price", TickerFixed(Math.Abs(signed)));
        Raw("scp", "signed_change_price", TickerFixed(signed));
        Raw("cr", "change_rate", Rate(Math.Abs(rate)));
        Raw("scr", "signed_change_rate", Rate(rate));
        Text("ab", "ask_bid", f.LastSide);
        Raw("tv", "trade_volume", _wire ? WireSize(f.LastVolume) : Sample(f.LastVolume));
        Raw("atv", "acc_trade_volume", TickerAmount(f.AccVolume));
        Text("tdt", "trade_date", t.ToString("yyyyMMdd", s_inv));
        Text("ttm", "trade_time", t.ToString("HHmmss", s_inv));
        Raw("ttms", "trade_timestamp", (f.LastTradeMs == 0 ? ms : f.LastTradeMs).ToString(s_inv));
        Raw("aav", "acc_ask_volume", TickerAmount(f.AccAsk));
        Raw("abv", "acc_bid_volume", TickerAmount(f.AccBid));
        Raw("h52wp", "highest_52_week_price", TickerFixed(Math.Round(prevClose * 1.8m, 8)));
        Text("h52wdt", "highest_52_week_date", "2026-03-14");
        Raw("l52wp", "lowest_52_week_price", TickerFixed(Math.Round(prevClose * 0.45m, 8)));
        Text("l52wdt", "lowest_52_week_date", "2025-12-19");
        Text("ms", "market_state", "ACTIVE");
        Raw("its", "is_trading_suspended", "false");
        Raw("dd", "delisting_date", "null");
        Text("mw", "market_warning", "NONE");
        Raw("tms", "timestamp", ms.ToString(s_inv));
        Raw("atp24h", "acc_trade_price_24h", TickerFixed(f.Price24hBase + f.AccPrice));
        Raw("atv24h", "acc_trade_volume_24h", TickerFixed(f.Volume24hBase + f.AccVolume));
        Text("st", "stream_type", "REALTIME");
        return sb.Append('}').ToString();
    }

    private void Key(string simple, string full, bool first)
    {
        if (!first)
        {
            _sb.Append(',');
        }

        _sb.Append('"').Append(_simple ? simple : full).Append("\":");
    }

    private void Text(string simple, string full, string value, bool first = false)
    {
        Key(simple, full, first);
        _sb.Append('"').Append(value).Append('"');
    }

    private void Raw(string simple, string full, string value, bool first = false)
    {
        Key(simple, full, first);
        _sb.Append(value);
    }

    private string BookPrice(decimal price) =>
        !_wire ? Sample(price) : _simple ? WholeOrJava(price) : Java(price); // SIMPLE books: 116606000; DEFAULT books: 1.16539E8

    private string TickerPrice(decimal v) => _wire ? Java(v) : Sample(v);

    private string TickerFixed(decimal v) => _wire ? Fixed8(v) : Sample(v);

    private string TickerAmount(decimal v) => _wire ? Plain8(v) : Sample(v);

    private static string Rate(decimal v) => v.ToString("0.0#########", s_inv);

    // The sample session's spelling: 126.0, 0.85453452 (one fixed spelling keeps data/sample-session.jsonl stable).
    private static string Sample(decimal value)
    {
        var text = value.ToString("0.########", s_inv);
        return text.Contains('.', StringComparison.Ordinal) ? text : text + ".0";
    }

    private static string SampleSize(double value) => value.ToString("0.########", s_inv);

    /// <summary>Java's <c>Double.toString</c> shape: plain with at least one decimal in [10⁻³, 10⁷), else <c>d.dddE±n</c>.</summary>
    internal static string Java(decimal value)
    {
        if (value == 0)
        {
            return "0.0";
        }

        var abs = Math.Abs(value);
        if (abs is >= 0.001m and < 10_000_000m)
        {
            return value.ToString("0.0###########################", s_inv);
        }

        var exponent = 0;
        while (abs >= 10)
        {
            abs /= 10;
            exponent++;
        }

        while (abs < 1)
        {
            abs *= 10;
            exponent--;
        }

        return (value < 0 ? "-" : "") + abs.ToString("0.0###########################", s_inv) + "E" + exponent.ToString(s_inv);
    }

    internal static string WholeOrJava(decimal value) => value == decimal.Truncate(value) ? value.ToString("0", s_inv) : Java(value);

    internal static string Fixed8(decimal value) => value.ToString("0.00000000", s_inv);

    private static string Plain8(decimal value) => Math.Round(value, 8).ToString("0.0#######", s_inv);

    private static string Plain8(double value) => Plain8((decimal)value);

    /// <summary>Sizes: 8 decimals; below 10⁻³ in E notation (<c>7.9276E-4</c>, <c>5.0E-4</c>), else plain (<c>0.0099545</c>, <c>3000.0</c>).</summary>
    internal static string WireSize(decimal value)
    {
        var v = Math.Round(value, 8);
        return v != 0 && Math.Abs(v) < 0.001m ? Java(v) : v.ToString("0.0#######", s_inv);
    }

    private static string WireSize(double value) => WireSize((decimal)value);
}
