namespace UpbitHft.Engine.Decisions;

/// <summary>What the decision core asks for.</summary>
public enum ActionKind : byte
{
    None = 0,
    /// <summary>Market buy of <see cref="DecisionAction.AmountKrw"/> (Upbit <c>ord_type=price</c>).</summary>
    SubmitMarketBuy,
    /// <summary>Market sell of <see cref="DecisionAction.Volume"/> (Upbit <c>ord_type=market</c>).</summary>
    SubmitMarketSell,
    /// <summary>Resting limit sell of <see cref="DecisionAction.Volume"/> at the tick-aligned <see cref="DecisionAction.LimitPrice"/>.</summary>
    SubmitLimitSell,
    /// <summary>Cancel the order of intent <see cref="DecisionAction.TargetIntentId"/>.</summary>
    CancelOrder,
    /// <summary>Cancel every open order of the market (after an exit).</summary>
    CancelAllOpenOrders,
    /// <summary>Informational: a closed trade with its P&amp;L (for the journal and the summary).</summary>
    TradeClosed,
    /// <summary>Informational: a closed 1-minute candle with RSI and surge ratio (for the candles CSV).</summary>
    CandleClosed,
    /// <summary>Informational: an order had no final answer within the timeout.</summary>
    OrderOverdue,
    /// <summary>A held market has had no trade or book for <see cref="DecisionOptions.StaleDataMs"/>: its data is not live (reconnect the feed).</summary>
    MarketStale,
    /// <summary>Informational: a position is open and its exits armed (<see cref="DecisionAction.EntryPrice"/>, <see cref="DecisionAction.Volume"/>, target, stop).</summary>
    PositionOpened,
}

/// <summary>Why a position was closed.</summary>
public enum ExitReason : byte
{
    None = 0,
    TakeProfit,
    StopLoss,
    KillSwitch,
    Shutdown,
}

/// <summary>
/// One action with the values that led to it, all taken at the moment of decision (for the journal).
/// Money crosses the order edge as <see cref="decimal"/> (KRW amounts floored to whole won, volumes as filled), so
/// no binary rounding reaches an order; market data stays <see cref="double"/>.
/// </summary>
public struct DecisionAction
{
    public ActionKind Kind;
    public int MarketId;

    /// <summary>The engine's intent id (unique within the run); the gateway derives Upbit's <c>identifier</c> from it.</summary>
    public long IntentId;

    /// <summary>For <see cref="ActionKind.CancelOrder"/>: the intent to cancel.</summary>
    public long TargetIntentId;

    public decimal AmountKrw;
    public decimal Volume;
    public decimal LimitPrice;
    public ExitReason Exit;

    /// <summary>Exchange time (ms) of the event that triggered the decision.</summary>
    public long TimestampMs;

    // Reasons.
    public double Rsi;
    public double SurgeRatio;
    public double TotalBidSize;
    public double TotalAskSize;
    public double Price;
    public double Target;
    public double Stop;

    // TradeClosed.
    public double EntryPrice;
    public double ExitPrice;
    public decimal FeesKrw;
    public decimal PnlKrw;

    // CandleClosed: Price = close; Rsi, SurgeRatio as of the close.
    public long CandleMinute;
    public double Open;
    public double High;
    public double Low;
    public double CandleVolume;
    public double CandleValue;
}
