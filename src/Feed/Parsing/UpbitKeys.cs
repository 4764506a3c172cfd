namespace UpbitHft.Feed.Parsing;

/// <summary>The key spellings of Upbit's DEFAULT and SIMPLE formats (docs/upbit.md#simple-format).</summary>
internal static class UpbitKeys
{
    public static readonly KeyTable TopLevel = new(
        ("type", FieldId.Type, false), ("ty", FieldId.Type, true),
        ("code", FieldId.Code, false), ("cd", FieldId.Code, true),
        ("mk", FieldId.Code, true), // 2018-era SIMPLE examples used mk for the market code
        ("timestamp", FieldId.Timestamp, false), ("tms", FieldId.Timestamp, true),
        ("stream_type", FieldId.StreamType, false), ("st", FieldId.StreamType, true),
        ("trade_price", FieldId.TradePrice, false), ("tp", FieldId.TradePrice, true),
        ("trade_volume", FieldId.TradeVolume, false), ("tv", FieldId.TradeVolume, true),
        ("ask_bid", FieldId.AskBid, false), ("ab", FieldId.AskBid, true),
        ("prev_closing_price", FieldId.PrevClose, false), ("pcp", FieldId.PrevClose, true),
        ("sequential_id", FieldId.SequentialId, false), ("sid", FieldId.SequentialId, true),
        ("trade_timestamp", FieldId.TradeTimestamp, false), ("ttms", FieldId.TradeTimestamp, true),
        ("best_ask_price", FieldId.BestAskPrice, false), ("bap", FieldId.BestAskPrice, true),
        ("best_ask_size", FieldId.BestAskSize, false), ("bas", FieldId.BestAskSize, true),
        ("best_bid_price", FieldId.BestBidPrice, false), ("bbp", FieldId.BestBidPrice, true),
        ("best_bid_size", FieldId.BestBidSize, false), ("bbs", FieldId.BestBidSize, true),
        ("opening_price", FieldId.Open, false), ("op", FieldId.Open, true),
        ("high_price", FieldId.High, false), ("hp", FieldId.High, true),
        ("low_price", FieldId.Low, false), ("lp", FieldId.Low, true),
        ("acc_trade_price", FieldId.AccTradePrice, false), ("atp", FieldId.AccTradePrice, true),
        ("acc_trade_volume", FieldId.AccTradeVolume, false), ("atv", FieldId.AccTradeVolume, true),
        ("acc_trade_price_24h", FieldId.AccTradePrice24h, false), ("atp24h", FieldId.AccTradePrice24h, true),
        ("signed_change_rate", FieldId.SignedChangeRate, false), ("scr", FieldId.SignedChangeRate, true),
        ("market_state", FieldId.MarketState, false), ("ms", FieldId.MarketState, true),
        ("candle_acc_trade_price", FieldId.CandleAccPrice, false), ("catp", FieldId.CandleAccPrice, true),
        ("candle_acc_trade_volume", FieldId.CandleAccVolume, false), ("catv", FieldId.CandleAccVolume, true),
        ("candle_date_time_utc", FieldId.CandleUtc, false), ("cdttmu", FieldId.CandleUtc, true),
        ("total_ask_size", FieldId.TotalAskSize, false), ("tas", FieldId.TotalAskSize, true),
        ("total_bid_size", FieldId.TotalBidSize, false), ("tbs", FieldId.TotalBidSize, true),
        ("orderbook_units", FieldId.Units, false), ("obu", FieldId.Units, true),
        ("level", FieldId.Level, false), ("lv", FieldId.Level, true),
        ("uuid", FieldId.Uuid, false), ("uid", FieldId.Uuid, true),
        ("order_type", FieldId.OrderType, false), ("ot", FieldId.OrderType, true),
        ("state", FieldId.State, false), ("s", FieldId.State, true),
        ("trade_uuid", FieldId.TradeUuid, false), ("tuid", FieldId.TradeUuid, true),
        ("price", FieldId.TradePrice, false), ("p", FieldId.TradePrice, true),
        ("avg_price", FieldId.AvgPrice, false), ("ap", FieldId.AvgPrice, true),
        ("volume", FieldId.TradeVolume, false), ("v", FieldId.TradeVolume, true),
        ("remaining_volume", FieldId.RemainingVolume, false), ("rv", FieldId.RemainingVolume, true),
        ("executed_volume", FieldId.ExecutedVolume, false), ("ev", FieldId.ExecutedVolume, true),
        ("trades_count", FieldId.TradesCount, false), ("tc", FieldId.TradesCount, true),
        ("paid_fee", FieldId.PaidFee, false), ("pf", FieldId.PaidFee, true),
        ("trade_fee", FieldId.TradeFee, false), ("tf", FieldId.TradeFee, true),
        ("is_maker", FieldId.IsMaker, false), ("im", FieldId.IsMaker, true),
        ("identifier", FieldId.Identifier, false), ("id", FieldId.Identifier, true),
        ("executed_funds", FieldId.ExecutedFunds, false), ("ef", FieldId.ExecutedFunds, true),
        ("order_timestamp", FieldId.OrderTimestamp, false), ("otms", FieldId.OrderTimestamp, true),
        ("locked", FieldId.Locked, false), ("l", FieldId.Locked, true),
        ("assets", FieldId.Assets, false), ("ast", FieldId.Assets, true),
        ("asset_timestamp", FieldId.AssetTimestamp, false), ("asttms", FieldId.AssetTimestamp, true),
        ("status", FieldId.Status, false),
        ("error", FieldId.Error, false),
        ("method", FieldId.Method, false), ("mthd", FieldId.Method, true),
        // Sent, not used: listed only so that the key after them can be predicted (docs/upbit.md#simple-format).
        ("change", FieldId.Ignored, false), ("c", FieldId.Ignored, true),
        ("change_price", FieldId.Ignored, false), ("cp", FieldId.Ignored, true),
        ("signed_change_price", FieldId.Ignored, false), ("scp", FieldId.Ignored, true),
        ("change_rate", FieldId.Ignored, false), ("cr", FieldId.Ignored, true),
        ("trade_date", FieldId.Ignored, false), ("tdt", FieldId.Ignored, true), ("td", FieldId.Ignored, true),
        ("trade_time", FieldId.Ignored, false), ("ttm", FieldId.Ignored, true),
        ("acc_ask_volume", FieldId.Ignored, false), ("aav", FieldId.Ignored, true),
        ("acc_bid_volume", FieldId.Ignored, false), ("abv", FieldId.Ignored, true),
        ("highest_52_week_price", FieldId.Ignored, false), ("h52wp", FieldId.Ignored, true),
        ("highest_52_week_date", FieldId.Ignored, false), ("h52wdt", FieldId.Ignored, true),
        ("lowest_52_week_price", FieldId.Ignored, false), ("l52wp", FieldId.Ignored, true),
        ("lowest_52_week_date", FieldId.Ignored, false), ("l52wdt", FieldId.Ignored, true),
        ("is_trading_suspended", FieldId.Ignored, false), ("its", FieldId.Ignored, true),
        ("delisting_date", FieldId.Ignored, false), ("dd", FieldId.Ignored, true),
        ("market_warning", FieldId.Ignored, false), ("mw", FieldId.Ignored, true),
        ("acc_trade_volume_24h", FieldId.Ignored, false), ("atv24h", FieldId.Ignored, true),
        ("candle_date_time_kst", FieldId.Ignored, false), ("cdttmk", FieldId.Ignored, true),
        ("reserved_fee", FieldId.Ignored, false), ("rsf", FieldId.Ignored, true),
        ("remaining_fee", FieldId.Ignored, false),
        ("time_in_force", FieldId.Ignored, false),
        ("smp_type", FieldId.Ignored, false),
        ("prevented_volume", FieldId.Ignored, false),
        ("prevented_locked", FieldId.Ignored, false),
        ("asset_uuid", FieldId.Ignored, false));

    public static readonly KeyTable Unit = new(
        ("ask_price", FieldId.AskPrice, false), ("ap", FieldId.AskPrice, true),
        ("bid_price", FieldId.BidPrice, false), ("bp", FieldId.BidPrice, true),
        ("ask_size", FieldId.AskSize, false), ("as", FieldId.AskSize, true),
        ("bid_size", FieldId.BidSize, false), ("bs", FieldId.BidSize, true));

    public static readonly KeyTable Asset = new(
        ("currency", FieldId.Currency, false), ("cu", FieldId.Currency, true),
        ("balance", FieldId.Balance, false), ("b", FieldId.Balance, true),
        ("locked", FieldId.Locked, false), ("l", FieldId.Locked, true));

    public static readonly KeyTable Error = new(
        ("name", FieldId.Name, false),
        ("message", FieldId.Message, false));
}
