using UpbitHft.Gateway.Errors;

namespace UpbitHft.Gateway.Orders;

/// <summary>What the engine asks the gateway to do.</summary>
public enum OrderCommandKind : byte
{
    /// <summary>Market buy of <see cref="OrderCommand.AmountKrw"/> (<c>ord_type=price</c>).</summary>
    MarketBuy,
    /// <summary>Market sell of <see cref="OrderCommand.Volume"/> (<c>ord_type=market</c>).</summary>
    MarketSell,
    /// <summary>Limit sell of <see cref="OrderCommand.Volume"/> at <see cref="OrderCommand.Price"/> (rounded up to the tick).</summary>
    LimitSell,
    /// <summary>Cancel the order of <see cref="OrderCommand.TargetIntentId"/>.</summary>
    Cancel,
    /// <summary>Cancel every open order of the market.</summary>
    CancelAllForMarket,
    /// <summary>Ask the exchange for the state of the order of <see cref="OrderCommand.TargetIntentId"/> and report it (after the private feed was down).</summary>
    Refresh,
}

/// <summary>
/// One order intent. <see cref="IntentId"/> is the engine's; the gateway makes Upbit's identifier from it.
/// <see cref="OriginNs"/> is the monotonic receive stamp of the tick that caused it (0 = none), for tick-to-order latency.
/// </summary>
public readonly record struct OrderCommand(
    OrderCommandKind Kind,
    long IntentId,
    int MarketId,
    string Market,
    decimal AmountKrw = 0,
    decimal Volume = 0,
    decimal Price = 0,
    long TargetIntentId = 0,
    long OriginNs = 0);

/// <summary>What became of an order.</summary>
public enum OrderEventKind : byte
{
    Accepted,
    Fill,
    Done,
    /// <summary>Cancelled, possibly with fills (a market buy ending <c>cancel</c> with a fill is a fill: API.md §6).</summary>
    Cancelled,
    /// <summary>Not placed: refused by the exchange or by the gateway's checks.</summary>
    Rejected,
}

/// <summary>An answer about an order, with cumulative executed amounts (as Upbit reports them).</summary>
public readonly record struct OrderEvent(
    OrderEventKind Kind,
    long IntentId,
    int MarketId,
    string? Identifier,
    string? Uuid,
    decimal ExecutedVolume,
    decimal ExecutedFunds,
    decimal PaidFee,
    UpbitError? Error);

/// <summary>Where order answers go (the engine publishes them into its ring). Called from the gateway's thread.</summary>
public interface IOrderEventSink
{
    void OnOrderEvent(in OrderEvent e);
}
