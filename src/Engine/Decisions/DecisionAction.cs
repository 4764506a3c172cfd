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
    /// <summary>Cancel the engine's own open orders of the market, by identifier (after an exit; the owner's orders are never touched).</summary>
    CleanUpOrders,
    /// <summary>Ask the exchange for the state of the order of intent <see cref="DecisionAction.TargetIntentId"/> (overdue, amounts missing, private socket back).</summary>
    RefreshOrder,
    /// <summary>Read every balance from the exchange (after an exit, after <c>insufficient_funds_*</c>).</summary>
    RefreshBalances,
    /// <summary>Watch the market's price over REST: its feed is stale or down while a position is held (its stop must still fire).</summary>
    WatchMarket,
    /// <summary>Stop watching the market over REST: its feed is fresh again, or nothing is held.</summary>
    UnwatchMarket,
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
    /// <summary>Worth less than the exchange's minimum order: not sellable, closed at the last price.</summary>
    Dust,
    /// <summary>Coins found at the exchange after a trade closed (the balance check), sold on their own.</summary>
    Remainder,
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

    // Orders: the price that triggered the decision (last trade) and the best price in the book then (ask for a buy,
    // bid for a sell). TradeClosed: the same for the entry and the exit, and the slippage they add up to.
    public double TriggerPrice;
    public double BestPrice;
    public double EntryTriggerPrice;
    public double EntryBestPrice;
    public double ExitTriggerPrice;
    public double ExitBestPrice;

    /// <summary>TradeClosed: what the fills cost against the prices that triggered them (KRW; positive = worse), and as basis points of the entry.</summary>
    public decimal SlippageKrw;
    public double SlippageBp;

    // PositionOpened / TradeClosed: the entry's basis was an estimate (its fill came without an amount); re-based later.
    public bool Estimated;
    public bool Rebased;

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
