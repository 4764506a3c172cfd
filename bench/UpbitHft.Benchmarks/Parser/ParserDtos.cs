using System.Text.Json.Serialization;

namespace UpbitHft.Benchmarks.Parser;

// The baseline: what a typical client deserializes a frame into with source-generated System.Text.Json.
// Numbers are doubles/longs like the project's event; strings stay strings (as a DTO would have them).

public sealed class TradeDto
{
    [JsonPropertyName("type")] public string? Type { get; set; }
    [JsonPropertyName("code")] public string? Code { get; set; }
    [JsonPropertyName("timestamp")] public long Timestamp { get; set; }
    [JsonPropertyName("trade_date")] public string? TradeDate { get; set; }
    [JsonPropertyName("trade_time")] public string? TradeTime { get; set; }
    [JsonPropertyName("trade_timestamp")] public long TradeTimestamp { get; set; }
    [JsonPropertyName("trade_price")] public double TradePrice { get; set; }
    [JsonPropertyName("trade_volume")] public double TradeVolume { get; set; }
    [JsonPropertyName("ask_bid")] public string? AskBid { get; set; }
    [JsonPropertyName("prev_closing_price")] public double PrevClosingPrice { get; set; }
    [JsonPropertyName("change")] public string? Change { get; set; }
    [JsonPropertyName("change_price")] public double ChangePrice { get; set; }
    [JsonPropertyName("sequential_id")] public long SequentialId { get; set; }
    [JsonPropertyName("best_ask_price")] public double BestAskPrice { get; set; }
    [JsonPropertyName("best_ask_size")] public double BestAskSize { get; set; }
    [JsonPropertyName("best_bid_price")] public double BestBidPrice { get; set; }
    [JsonPropertyName("best_bid_size")] public double BestBidSize { get; set; }
    [JsonPropertyName("stream_type")] public string? StreamType { get; set; }
}

public sealed class SimpleTradeDto
{
    [JsonPropertyName("ty")] public string? Type { get; set; }
    [JsonPropertyName("cd")] public string? Code { get; set; }
    [JsonPropertyName("tms")] public long Timestamp { get; set; }
    [JsonPropertyName("td")] public string? TradeDate { get; set; }
    [JsonPropertyName("ttm")] public string? TradeTime { get; set; }
    [JsonPropertyName("ttms")] public long TradeTimestamp { get; set; }
    [JsonPropertyName("tp")] public double TradePrice { get; set; }
    [JsonPropertyName("tv")] public double TradeVolume { get; set; }
    [JsonPropertyName("ab")] public string? AskBid { get; set; }
    [JsonPropertyName("pcp")] public double PrevClosingPrice { get; set; }
    [JsonPropertyName("c")] public string? Change { get; set; }
    [JsonPropertyName("cp")] public double ChangePrice { get; set; }
    [JsonPropertyName("sid")] public long SequentialId { get; set; }
    [JsonPropertyName("st")] public string? StreamType { get; set; }
}

public sealed class TickerDto
{
    [JsonPropertyName("type")] public string? Type { get; set; }
    [JsonPropertyName("code")] public string? Code { get; set; }
    [JsonPropertyName("opening_price")] public double OpeningPrice { get; set; }
    [JsonPropertyName("high_price")] public double HighPrice { get; set; }
    [JsonPropertyName("low_price")] public double LowPrice { get; set; }
    [JsonPropertyName("trade_price")] public double TradePrice { get; set; }
    [JsonPropertyName("prev_closing_price")] public double PrevClosingPrice { get; set; }
    [JsonPropertyName("acc_trade_price")] public double AccTradePrice { get; set; }
    [JsonPropertyName("change")] public string? Change { get; set; }
    [JsonPropertyName("change_price")] public double ChangePrice { get; set; }
    [JsonPropertyName("signed_change_price")] public double SignedChangePrice { get; set; }
    [JsonPropertyName("change_rate")] public double ChangeRate { get; set; }
    [JsonPropertyName("signed_change_rate")] public double SignedChangeRate { get; set; }
    [JsonPropertyName("ask_bid")] public string? AskBid { get; set; }
    [JsonPropertyName("trade_volume")] public double TradeVolume { get; set; }
    [JsonPropertyName("acc_trade_volume")] public double AccTradeVolume { get; set; }
    [JsonPropertyName("trade_date")] public string? TradeDate { get; set; }
    [JsonPropertyName("trade_time")] public string? TradeTime { get; set; }
    [JsonPropertyName("trade_timestamp")] public long TradeTimestamp { get; set; }
    [JsonPropertyName("acc_ask_volume")] public double AccAskVolume { get; set; }
    [JsonPropertyName("acc_bid_volume")] public double AccBidVolume { get; set; }
    [JsonPropertyName("highest_52_week_price")] public double Highest52WeekPrice { get; set; }
    [JsonPropertyName("highest_52_week_date")] public string? Highest52WeekDate { get; set; }
    [JsonPropertyName("lowest_52_week_price")] public double Lowest52WeekPrice { get; set; }
    [JsonPropertyName("lowest_52_week_date")] public string? Lowest52WeekDate { get; set; }
    [JsonPropertyName("market_state")] public string? MarketState { get; set; }
    [JsonPropertyName("is_trading_suspended")] public bool IsTradingSuspended { get; set; }
    [JsonPropertyName("delisting_date")] public string? DelistingDate { get; set; }
    [JsonPropertyName("market_warning")] public string? MarketWarning { get; set; }
    [JsonPropertyName("timestamp")] public long Timestamp { get; set; }
    [JsonPropertyName("acc_trade_price_24h")] public double AccTradePrice24h { get; set; }
    [JsonPropertyName("acc_trade_volume_24h")] public double AccTradeVolume24h { get; set; }
    [JsonPropertyName("stream_type")] public string? StreamType { get; set; }
}

public sealed class SimpleTickerDto
{
    [JsonPropertyName("ty")] public string? Type { get; set; }
    [JsonPropertyName("cd")] public string? Code { get; set; }
    [JsonPropertyName("op")] public double OpeningPrice { get; set; }
    [JsonPropertyName("hp")] public double HighPrice { get; set; }
    [JsonPropertyName("lp")] public double LowPrice { get; set; }
    [JsonPropertyName("tp")] public double TradePrice { get; set; }
    [JsonPropertyName("pcp")] public double PrevClosingPrice { get; set; }
    [JsonPropertyName("atp")] public double AccTradePrice { get; set; }
    [JsonPropertyName("c")] public string? Change { get; set; }
    [JsonPropertyName("cp")] public double ChangePrice { get; set; }
    [JsonPropertyName("scp")] public double SignedChangePrice { get; set; }
    [JsonPropertyName("cr")] public double ChangeRate { get; set; }
    [JsonPropertyName("scr")] public double SignedChangeRate { get; set; }
    [JsonPropertyName("ab")] public string? AskBid { get; set; }
    [JsonPropertyName("tv")] public double TradeVolume { get; set; }
    [JsonPropertyName("atv")] public double AccTradeVolume { get; set; }
    [JsonPropertyName("tdt")] public string? TradeDate { get; set; }
    [JsonPropertyName("ttm")] public string? TradeTime { get; set; }
    [JsonPropertyName("ttms")] public long TradeTimestamp { get; set; }
    [JsonPropertyName("aav")] public double AccAskVolume { get; set; }
    [JsonPropertyName("abv")] public double AccBidVolume { get; set; }
    [JsonPropertyName("h52wp")] public double Highest52WeekPrice { get; set; }
    [JsonPropertyName("h52wdt")] public string? Highest52WeekDate { get; set; }
    [JsonPropertyName("l52wp")] public double Lowest52WeekPrice { get; set; }
    [JsonPropertyName("l52wdt")] public string? Lowest52WeekDate { get; set; }
    [JsonPropertyName("ms")] public string? MarketState { get; set; }
    [JsonPropertyName("its")] public bool IsTradingSuspended { get; set; }
    [JsonPropertyName("dd")] public string? DelistingDate { get; set; }
    [JsonPropertyName("mw")] public string? MarketWarning { get; set; }
    [JsonPropertyName("tms")] public long Timestamp { get; set; }
    [JsonPropertyName("atp24h")] public double AccTradePrice24h { get; set; }
    [JsonPropertyName("atv24h")] public double AccTradeVolume24h { get; set; }
    [JsonPropertyName("st")] public string? StreamType { get; set; }
}

public sealed class UnitDto
{
    [JsonPropertyName("ask_price")] public double AskPrice { get; set; }
    [JsonPropertyName("bid_price")] public double BidPrice { get; set; }
    [JsonPropertyName("ask_size")] public double AskSize { get; set; }
    [JsonPropertyName("bid_size")] public double BidSize { get; set; }
}

public sealed class OrderbookDto
{
    [JsonPropertyName("type")] public string? Type { get; set; }
    [JsonPropertyName("code")] public string? Code { get; set; }
    [JsonPropertyName("timestamp")] public long Timestamp { get; set; }
    [JsonPropertyName("total_ask_size")] public double TotalAskSize { get; set; }
    [JsonPropertyName("total_bid_size")] public double TotalBidSize { get; set; }
    [JsonPropertyName("orderbook_units")] public List<UnitDto>? Units { get; set; }
    [JsonPropertyName("stream_type")] public string? StreamType { get; set; }
    [JsonPropertyName("level")] public double Level { get; set; }
}

public sealed class SimpleUnitDto
{
    [JsonPropertyName("ap")] public double AskPrice { get; set; }
    [JsonPropertyName("bp")] public double BidPrice { get; set; }
    [JsonPropertyName("as")] public double AskSize { get; set; }
    [JsonPropertyName("bs")] public double BidSize { get; set; }
}

public sealed class SimpleOrderbookDto
{
    [JsonPropertyName("ty")] public string? Type { get; set; }
    [JsonPropertyName("cd")] public string? Code { get; set; }
    [JsonPropertyName("tms")] public long Timestamp { get; set; }
    [JsonPropertyName("tas")] public double TotalAskSize { get; set; }
    [JsonPropertyName("tbs")] public double TotalBidSize { get; set; }
    [JsonPropertyName("obu")] public List<SimpleUnitDto>? Units { get; set; }
    [JsonPropertyName("st")] public string? StreamType { get; set; }
    [JsonPropertyName("lv")] public double Level { get; set; }
}

[JsonSerializable(typeof(TradeDto))]
[JsonSerializable(typeof(SimpleTradeDto))]
[JsonSerializable(typeof(TickerDto))]
[JsonSerializable(typeof(SimpleTickerDto))]
[JsonSerializable(typeof(OrderbookDto))]
[JsonSerializable(typeof(SimpleOrderbookDto))]
[JsonSourceGenerationOptions(NumberHandling = JsonNumberHandling.AllowReadingFromString)]
public sealed partial class ParserBenchJsonContext : JsonSerializerContext;
