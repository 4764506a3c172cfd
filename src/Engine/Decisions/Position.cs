namespace UpbitHft.Engine.Decisions;

/// <summary>Where a position is in its life: Flat → Entering → Open (target and stop armed) → Exiting → Flat.</summary>
public enum PositionState : byte
{
    Flat = 0,
    /// <summary>A market buy is out (or its outcome is unknown); fills may be arriving. The market takes no new entry.</summary>
    Entering,
    /// <summary>Held, with the OCO exits armed.</summary>
    Open,
    /// <summary>An exit won the OCO race; the sell (or the cancel of the resting take-profit before it) is out.</summary>
    Exiting,
}

/// <summary>
/// One market's position and its orders, preallocated and mutated in place on the engine thread. Order amounts are
/// <see cref="decimal"/> (cumulative per order, as Upbit reports them); prices for the OCO comparison are <see cref="double"/>.
/// </summary>
public sealed class Position
{
    internal Position(int marketId)
    {
        MarketId = marketId;
    }

    public int MarketId { get; }
    public PositionState State { get; internal set; }

    // Entry order.
    public long EntryIntentId { get; internal set; }
    public decimal EntryAmountKrw { get; internal set; }
    public long EntrySubmittedMs { get; internal set; }

    /// <summary>The exchange holds the buy (its KRW is locked there, no longer counted as reserved here).</summary>
    public bool EntryAccepted { get; internal set; }

    /// <summary>The buy's outcome is unknown (lost answer): the gateway is looking it up.</summary>
    public bool EntryUnknown { get; internal set; }

    /// <summary>The last price when the buy was decided (the basis estimate of a buy that ended <c>cancel</c> without its amount).</summary>
    public double EntryTriggerPrice { get; internal set; }

    /// <summary>The best ask in the book when the buy was decided (slippage is measured against it too).</summary>
    public double EntryBestPrice { get; internal set; }
    public decimal BoughtVolume { get; internal set; }
    public decimal EntryFunds { get; internal set; }
    public decimal EntryFees { get; internal set; }

    /// <summary>
    /// The fill's amount was missing (thin myOrder event): <see cref="EntryFunds"/> and the exits come from the buy's
    /// amount (a <c>done</c> buy spent exactly that) or an estimate, until the exchange gives the real amount, which
    /// then re-bases them.
    /// </summary>
    public bool BasisEstimated { get; internal set; }

    /// <summary>
    /// A KRW balance the exchange reported after the buy was final is in free KRW: it holds what the buy really spent,
    /// so a later answer with the real amount changes the basis but not free KRW.
    /// </summary>
    public bool EntryInFreeKrw { get; internal set; }

    /// <summary>Exchange time (ms) the position became held, for the stale-data check (0 until the engine's clock knows it).</summary>
    public long HeldSinceMs { get; internal set; }

    /// <summary>Average fill price of the buy (funds ÷ volume, fees excluded): the base of the exits.</summary>
    public double AvgEntryPrice { get; internal set; }

    // OCO.
    public double Target { get; internal set; }
    public double Stop { get; internal set; }
    public bool StopArmed { get; internal set; }
    public bool TargetArmed { get; internal set; }

    // Optional resting take-profit limit sell.
    public long TakeProfitIntentId { get; internal set; }
    public bool TakeProfitResting { get; internal set; }
    public decimal TakeProfitSoldVolume { get; internal set; }
    public decimal TakeProfitFunds { get; internal set; }
    public decimal TakeProfitFees { get; internal set; }

    // Exit.
    public ExitReason ExitReason { get; internal set; }
    public long ExitIntentId { get; internal set; }
    public long ExitSubmittedMs { get; internal set; }
    public long ExitRetryAtMs { get; internal set; }

    /// <summary>Exit orders refused or left unfilled in a row (the pause before the next one doubles each time).</summary>
    public int ExitAttempts { get; internal set; }
    public bool AwaitingTakeProfitCancel { get; internal set; }

    /// <summary>The current exit order's outcome is unknown (lost answer): the gateway is looking it up.</summary>
    public bool ExitUnknown { get; internal set; }
    public double ExitTriggerPrice { get; internal set; }

    /// <summary>The best bid in the book when the exit was decided.</summary>
    public double ExitBestPrice { get; internal set; }

    /// <summary>The exit order is final but came without its amount: the exchange is asked before the trade is closed.</summary>
    public bool ExitFundsPending { get; internal set; }

    /// <summary>The exit order in flight: its cumulative fills so far.</summary>
    public decimal ExitOrderVolume { get; internal set; }
    public decimal ExitOrderFunds { get; internal set; }
    public decimal ExitOrderFees { get; internal set; }

    /// <summary>Exit orders that have finished: what they sold in total.</summary>
    public decimal ExitSoldVolume { get; internal set; }
    public decimal ExitFunds { get; internal set; }
    public decimal ExitFees { get; internal set; }

    /// <summary>
    /// A KRW balance the exchange reported while the position was selling (a sell placed, or sold) is in free KRW: it
    /// may hold any part of what those sells fetched, so closing adds only <see cref="ProceedsAfterReport"/>.
    /// </summary>
    public bool SaleInFreeKrw { get; internal set; }

    /// <summary>What exit orders placed after that report fetched, after fees (no report can hold it yet).</summary>
    public decimal ProceedsAfterReport { get; internal set; }

    /// <summary>The exit order in flight when that report came (0 = none): its proceeds may be in the report.</summary>
    public long ReportedExitIntentId { get; internal set; }

    /// <summary>When the order in flight is next reported overdue (exchange ms; 0 = none in flight).</summary>
    public long OverdueAtMs { get; internal set; }

    // Reasons at entry (for the journal).
    public double EntryRsi { get; internal set; }
    public double EntrySurge { get; internal set; }

    /// <summary>Coins still held: bought minus sold by any exit order.</summary>
    public decimal HeldVolume => BoughtVolume - TakeProfitSoldVolume - ExitSoldVolume - ExitOrderVolume;

    /// <summary>Resets to Flat, forgetting the closed position.</summary>
    internal void Clear()
    {
        State = PositionState.Flat;
        EntryIntentId = 0;
        EntryAmountKrw = 0;
        EntrySubmittedMs = 0;
        EntryAccepted = EntryUnknown = BasisEstimated = EntryInFreeKrw = false;
        EntryTriggerPrice = EntryBestPrice = ExitBestPrice = 0;
        HeldSinceMs = 0;
        BoughtVolume = EntryFunds = EntryFees = 0;
        AvgEntryPrice = Target = Stop = 0;
        StopArmed = TargetArmed = false;
        TakeProfitIntentId = 0;
        TakeProfitResting = false;
        TakeProfitSoldVolume = TakeProfitFunds = TakeProfitFees = 0;
        ExitReason = ExitReason.None;
        ExitIntentId = ExitSubmittedMs = ExitRetryAtMs = 0;
        ExitAttempts = 0;
        AwaitingTakeProfitCancel = ExitUnknown = ExitFundsPending = false;
        ExitOrderVolume = ExitOrderFunds = ExitOrderFees = 0;
        ExitSoldVolume = ExitFunds = ExitFees = 0;
        ExitTriggerPrice = 0;
        SaleInFreeKrw = false;
        ProceedsAfterReport = 0;
        ReportedExitIntentId = 0;
        OverdueAtMs = 0;
        EntryRsi = EntrySurge = 0;
    }
}
