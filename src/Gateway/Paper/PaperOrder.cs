using UpbitHft.Gateway.Orders;

namespace UpbitHft.Gateway.Paper;

/// <summary>Upbit order sides.</summary>
public enum OrderSide : byte
{
    Bid,
    Ask,
}

/// <summary>
/// The result of one paper order action in the project's one order vocabulary (refused like Upbit would; done;
/// cancelled — a market buy that spent less than its amount, or a cancelled limit with fills; accepted and resting;
/// a resting limit's fill), with cumulative executed volume, funds and fees, as Upbit reports them.
/// </summary>
public readonly record struct PaperResult(long IntentId, OrderEventKind State, decimal ExecutedVolume, decimal ExecutedFunds, decimal PaidFee, string? RejectReason)
{
    public static PaperResult Reject(long intentId, string reason) => new(intentId, OrderEventKind.Rejected, 0, 0, 0, reason);
}
