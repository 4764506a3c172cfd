using UpbitHft.Gateway.Errors;
using UpbitHft.Gateway.Orders;

namespace UpbitHft.Engine.Decisions;

/// <summary>
/// An order event for the decision core. Volumes, funds and fees are <b>cumulative</b> for the order, so a duplicated
/// or re-ordered update cannot double-count a fill. <see cref="Kind"/> uses the one order vocabulary of the project
/// (<see cref="OrderEventKind"/>), whether the event came from the gateway, the paper exchange or the private socket.
/// </summary>
public struct OrderUpdate
{
    public long IntentId;
    public OrderEventKind Kind;
    public decimal ExecutedVolume;

    /// <summary>KRW spent (buy) or received (sell) before fees.</summary>
    public decimal ExecutedFunds;
    public decimal PaidFee;

    /// <summary>
    /// The exchange reported a volume but no amount (no <c>executed_funds</c>, <c>avg_price</c> or trades): the funds
    /// are unknown, not zero. The core then works from an estimate and asks the exchange again.
    /// </summary>
    public bool FundsMissing;

    /// <summary>What the exchange or the gateway said when it refused (rejections, unknown outcomes).</summary>
    public UpbitErrorCode Error;

    /// <summary>A short reason for a rejection (Upbit error name or the gateway's check), for the journal.</summary>
    public string? RejectReason;
    public long TimestampMs;
}
