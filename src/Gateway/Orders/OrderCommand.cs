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
    /// <summary>Cancel the order of <see cref="OrderCommand.TargetIntentId"/> and follow it until it is final.</summary>
    Cancel,
    /// <summary>
    /// Cancel the engine's own open orders in the market (identifiers <c>uh-…</c>), by identifier. The account
    /// owner's orders are never touched.
    /// </summary>
    CleanUp,
    /// <summary>Ask the exchange for the state of the order of <see cref="OrderCommand.TargetIntentId"/> now and report it.</summary>
    Refresh,
    /// <summary>Read every balance (<c>GET /v1/accounts</c>) and report each currency; <see cref="OrderCommand.IntentId"/> numbers the request.</summary>
    RefreshBalances,
    /// <summary>
    /// A market buy of <see cref="OrderCommand.AmountKrw"/> signed and sent like a real order to <c>POST /v1/orders/test</c>,
    /// which validates it and creates nothing: warms the whole order path (code, connection) before the first real
    /// order and keeps it warm between orders. Its answer is counted, not reported.
    /// </summary>
    Test,
}

/// <summary>
/// One order intent. <see cref="IntentId"/> is the engine's; the gateway makes Upbit's identifier from it.
/// The stamps (latency clock, ns; 0 = none) follow the order out for the per-hop latency report: <see cref="OriginNs"/>
/// when the tick that caused it was received, <see cref="DecidedNs"/> when the engine decided, <see cref="HandedOffNs"/>
/// when it was put on the gateway ring, <see cref="PickedUpNs"/> when the gateway thread took it.
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
    long OriginNs = 0,
    long DecidedNs = 0,
    long HandedOffNs = 0,
    long PickedUpNs = 0);

/// <summary>
/// What became of an order: the one vocabulary of order events from the gateway (paper or real) and the private
/// socket to the decision core and the journal.
/// </summary>
public enum OrderEventKind : byte
{
    None = 0,
    /// <summary>The exchange holds the order (it has a uuid); it may already have fills.</summary>
    Accepted,
    /// <summary>
    /// The outcome of a request is not known (lost answer, timeout, 5xx, <c>duplicated_identifier</c>): the order
    /// may exist. The gateway keeps looking it up until the exchange says; nothing is assumed meanwhile.
    /// </summary>
    Unknown,
    /// <summary>A (partial) fill: cumulative executed volume/funds/fees so far.</summary>
    Fill,
    /// <summary>Final: fully filled (<c>done</c>).</summary>
    Done,
    /// <summary>Final: cancelled, possibly after fills (a market buy ending <c>cancel</c> with a fill is a fill).</summary>
    Cancelled,
    /// <summary>Final: not placed — refused by the exchange or by the gateway's checks, or confirmed absent.</summary>
    Rejected,
}

/// <summary>
/// An answer about an order, with cumulative executed amounts (as Upbit reports them). <c>FundsKnown</c> is false
/// when the exchange's answer carried a volume but no amount (no <c>executed_funds</c>, no trades): the funds are
/// then unknown, not zero.
/// </summary>
public readonly record struct OrderEvent(
    OrderEventKind Kind,
    long IntentId,
    int MarketId,
    string? Identifier,
    string? Uuid,
    decimal ExecutedVolume,
    decimal ExecutedFunds,
    decimal PaidFee,
    UpbitError? Error,
    bool FundsKnown = true);

/// <summary>
/// One currency's balance read from the exchange (<c>GET /v1/accounts</c>). <c>AnswersRequest</c> is the newest
/// <see cref="OrderCommandKind.RefreshBalances"/> number (its <see cref="OrderCommand.IntentId"/>) that was asked for
/// before the read began. A read ends with one report whose <c>Currency</c> is empty (<see cref="IsEndOfSnapshot"/>):
/// currencies it did not name hold nothing.
/// </summary>
public readonly record struct BalanceReport(string Currency, decimal Balance, decimal Locked, long AnswersRequest)
{
    /// <summary>The marker after the last currency of a read.</summary>
    public bool IsEndOfSnapshot => Currency.Length == 0;

    public static BalanceReport EndOfSnapshot(long answersRequest) => new("", 0, 0, answersRequest);
}

/// <summary>Where order answers and balances go (the engine publishes them into its ring). Called from the gateway's threads.</summary>
public interface IOrderEventSink
{
    void OnOrderEvent(in OrderEvent e);

    /// <summary>A balance read from the exchange (one call per currency).</summary>
    void OnBalance(in BalanceReport balance);
}
