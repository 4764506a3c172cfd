namespace UpbitHft.Engine.Decisions;

/// <summary>What happened to an order, as far as the decision core cares.</summary>
public enum OrderUpdateKind : byte
{
    None = 0,
    /// <summary>The exchange accepted the order (it has a uuid).</summary>
    Accepted,
    /// <summary>A (partial) fill: cumulative executed volume/funds/fees so far.</summary>
    Fill,
    /// <summary>Final: fully filled (<c>done</c>).</summary>
    Done,
    /// <summary>Final: cancelled, possibly after fills — a market buy ending <c>cancel</c> with a fill is a fill (API.md §6).</summary>
    Cancelled,
    /// <summary>Final: refused by the exchange or by the gateway's checks; nothing was executed.</summary>
    Rejected,
}

/// <summary>
/// An order event for the decision core. Volumes, funds and fees are <b>cumulative</b> for the order, so a duplicated
/// or re-ordered update cannot double-count a fill.
/// </summary>
public struct OrderUpdate
{
    public long IntentId;
    public OrderUpdateKind Kind;
    public decimal ExecutedVolume;

    /// <summary>KRW spent (buy) or received (sell) before fees.</summary>
    public decimal ExecutedFunds;
    public decimal PaidFee;

    /// <summary>A short reason for a rejection (Upbit error name or the gateway's check).</summary>
    public string? RejectReason;
    public long TimestampMs;
}
