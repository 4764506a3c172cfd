namespace UpbitHft.Engine.Runtime;

/// <summary>
/// A closed trade as the summary reports it. <c>SlippageKrw</c> is what the fills cost against the prices that
/// triggered the entry and the exit (positive = worse); <c>SlippageBp</c> the same in basis points of the entry's value.
/// </summary>
public sealed record ClosedTrade(string Market, double EntryPrice, double ExitPrice, decimal Volume, string ExitReason, decimal FeesKrw, decimal PnlKrw,
    decimal SlippageKrw = 0, double SlippageBp = 0);
