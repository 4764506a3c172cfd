namespace UpbitHft.Gateway.Paper;

/// <summary>Upbit order sides.</summary>
public enum OrderSide : byte
{
    Bid,
    Ask,
}

/// <summary>What happened to a paper order.</summary>
public enum PaperOrderState : byte
{
    /// <summary>Refused like Upbit would (below the minimum, not enough balance, no book).</summary>
    Rejected,
    /// <summary>Fully filled.</summary>
    Done,
    /// <summary>A market buy that spent less than its amount (Upbit ends these in <c>cancel</c>), or a cancelled limit with fills.</summary>
    Cancelled,
    /// <summary>A limit order resting on the book.</summary>
    Resting,
}

/// <summary>
/// The result of one paper order action: cumulative executed volume, funds and fees, as Upbit reports them.
/// </summary>
public readonly record struct PaperResult(long IntentId, PaperOrderState State, decimal ExecutedVolume, decimal ExecutedFunds, decimal PaidFee, string? RejectReason)
{
    public static PaperResult Reject(long intentId, string reason) => new(intentId, PaperOrderState.Rejected, 0, 0, 0, reason);
}
