using System.Text.Json.Serialization;

namespace UpbitHft.Gateway.Rest;

// Upbit REST response models (docs/upbit.md#endpoints). Unknown fields are ignored; fields Upbit leaves out on some orders
// (volume/price on market orders, identifier on old orders) are nullable.

public sealed record MarketEventFlags(
    [property: JsonPropertyName("warning")] bool Warning);

public sealed record MarketInfo(
    [property: JsonPropertyName("market")] string Market,
    [property: JsonPropertyName("korean_name")] string? KoreanName,
    [property: JsonPropertyName("english_name")] string? EnglishName,
    [property: JsonPropertyName("market_event")] MarketEventFlags? MarketEvent,
    [property: JsonPropertyName("market_warning")] string? MarketWarning)
{
    /// <summary>Flagged 유의 종목 (investment warning), in the 2024-11 field or the legacy one.</summary>
    public bool IsWarning => MarketEvent?.Warning == true || string.Equals(MarketWarning, "CAUTION", StringComparison.Ordinal);
}

public sealed record MinuteCandle(
    [property: JsonPropertyName("market")] string Market,
    [property: JsonPropertyName("candle_date_time_utc")] string CandleDateTimeUtc,
    [property: JsonPropertyName("opening_price")] decimal OpeningPrice,
    [property: JsonPropertyName("high_price")] decimal HighPrice,
    [property: JsonPropertyName("low_price")] decimal LowPrice,
    [property: JsonPropertyName("trade_price")] decimal TradePrice,
    [property: JsonPropertyName("timestamp")] long Timestamp,
    [property: JsonPropertyName("candle_acc_trade_price")] decimal CandleAccTradePrice,
    [property: JsonPropertyName("candle_acc_trade_volume")] decimal CandleAccTradeVolume);

public sealed record Ticker(
    [property: JsonPropertyName("market")] string Market,
    [property: JsonPropertyName("trade_price")] decimal TradePrice,
    [property: JsonPropertyName("timestamp")] long Timestamp);

public sealed record Instrument(
    [property: JsonPropertyName("market")] string Market,
    [property: JsonPropertyName("tick_size")] decimal TickSize);

public sealed record Account(
    [property: JsonPropertyName("currency")] string Currency,
    [property: JsonPropertyName("balance")] decimal Balance,
    [property: JsonPropertyName("locked")] decimal Locked,
    [property: JsonPropertyName("avg_buy_price")] decimal AvgBuyPrice,
    [property: JsonPropertyName("unit_currency")] string? UnitCurrency);

public sealed record OrderChanceSide(
    [property: JsonPropertyName("currency")] string? Currency,
    [property: JsonPropertyName("min_total")] decimal? MinTotal);

public sealed record OrderChanceMarket(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("bid")] OrderChanceSide? Bid,
    [property: JsonPropertyName("ask")] OrderChanceSide? Ask,
    [property: JsonPropertyName("max_total")] decimal? MaxTotal,
    [property: JsonPropertyName("state")] string? State);

public sealed record OrderChance(
    [property: JsonPropertyName("bid_fee")] decimal BidFee,
    [property: JsonPropertyName("ask_fee")] decimal AskFee,
    [property: JsonPropertyName("market")] OrderChanceMarket Market);

public sealed record OrderTrade(
    [property: JsonPropertyName("price")] decimal Price,
    [property: JsonPropertyName("volume")] decimal Volume,
    [property: JsonPropertyName("funds")] decimal Funds);

public sealed record UpbitOrder(
    [property: JsonPropertyName("uuid")] string Uuid,
    [property: JsonPropertyName("side")] string Side,
    [property: JsonPropertyName("ord_type")] string OrdType,
    [property: JsonPropertyName("price")] decimal? Price,
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("market")] string Market,
    [property: JsonPropertyName("created_at")] string? CreatedAt,
    [property: JsonPropertyName("volume")] decimal? Volume,
    [property: JsonPropertyName("remaining_volume")] decimal? RemainingVolume,
    [property: JsonPropertyName("executed_volume")] decimal ExecutedVolume,
    [property: JsonPropertyName("executed_funds")] decimal? ExecutedFunds,
    [property: JsonPropertyName("paid_fee")] decimal PaidFee,
    [property: JsonPropertyName("locked")] decimal Locked,
    [property: JsonPropertyName("trades_count")] int TradesCount,
    [property: JsonPropertyName("identifier")] string? Identifier,
    [property: JsonPropertyName("trades")] IReadOnlyList<OrderTrade>? Trades)
{
    /// <summary>The typed <see cref="State"/>.</summary>
    public UpbitOrderState Status => State switch
    {
        "wait" => UpbitOrderState.Wait,
        "watch" => UpbitOrderState.Watch,
        "done" => UpbitOrderState.Done,
        "cancel" => UpbitOrderState.Cancel,
        _ => UpbitOrderState.Unknown,
    };

    /// <summary>wait/watch: still open.</summary>
    public bool IsOpen => Status is UpbitOrderState.Wait or UpbitOrderState.Watch;

    /// <summary>done/cancel: nothing more will happen to it.</summary>
    public bool IsFinal => Status is UpbitOrderState.Done or UpbitOrderState.Cancel;

    /// <summary>KRW executed: <c>executed_funds</c> when present, else the sum of the trades' funds.</summary>
    public decimal? Funds => ExecutedFunds ?? (Trades is { Count: > 0 } t ? t.Sum(x => x.Funds) : null);
}

/// <summary>An order's <c>state</c> (REST): open (wait/watch) or final (done/cancel).</summary>
public enum UpbitOrderState : byte
{
    /// <summary>A state this code does not know (Upbit may add some): neither open nor final; looked up again.</summary>
    Unknown = 0,
    Wait,
    Watch,
    Done,
    Cancel,
}

public sealed record CancelEntry(
    [property: JsonPropertyName("uuid")] string Uuid,
    [property: JsonPropertyName("market")] string Market,
    [property: JsonPropertyName("identifier")] string? Identifier);

public sealed record CancelGroup(
    [property: JsonPropertyName("count")] int Count,
    [property: JsonPropertyName("orders")] IReadOnlyList<CancelEntry> Orders);

public sealed record BatchCancelResult(
    [property: JsonPropertyName("success")] CancelGroup? Success,
    [property: JsonPropertyName("failed")] CancelGroup? Failed);

[JsonSourceGenerationOptions(Converters = [typeof(FlexibleDecimalConverter), typeof(FlexibleNullableDecimalConverter)])]
[JsonSerializable(typeof(List<MarketInfo>))]
[JsonSerializable(typeof(List<MinuteCandle>))]
[JsonSerializable(typeof(List<Ticker>))]
[JsonSerializable(typeof(List<Instrument>))]
[JsonSerializable(typeof(List<Account>))]
[JsonSerializable(typeof(OrderChance))]
[JsonSerializable(typeof(UpbitOrder))]
[JsonSerializable(typeof(List<UpbitOrder>))]
[JsonSerializable(typeof(BatchCancelResult))]
public sealed partial class UpbitJsonContext : JsonSerializerContext;
