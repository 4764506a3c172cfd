namespace UpbitHft.Engine.Runtime;

/// <summary>A closed trade as the summary reports it.</summary>
public sealed record ClosedTrade(string Market, double EntryPrice, double ExitPrice, decimal Volume, string ExitReason, decimal FeesKrw, decimal PnlKrw);
