using UpbitHft.Engine.Decisions;

namespace UpbitHft.Engine.Strategy;

/// <summary>Where a position is in its life: Flat → Entering → Open (target and stop armed) → Exiting → Flat.</summary>
public enum PositionState : byte
{
    Flat = 0,
    /// <summary>A market buy is out; fills may be arriving.</summary>
    Entering,
    /// <summary>Held, with the OCO exits armed.</summary>
    Open,
    /// <summary>An exit won the OCO race; the sell (or the cancel of the resting take-profit before it) is out.</summary>
    Exiting,
}

/// <summary>
/// One market's position and its orders, preallocated and mutated in place on the engine thread. Order amounts are
/// <see cref="decimal"/> (cumulative, as Upbit reports them); prices for the OCO comparison are <see cref="double"/>.
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
    public decimal BoughtVolume { get; internal set; }
    public decimal EntryFunds { get; internal set; }
    public decimal EntryFees { get; internal set; }

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
    public bool AwaitingTakeProfitCancel { get; internal set; }
    public decimal ExitSoldVolume { get; internal set; }
    public decimal ExitFunds { get; internal set; }
    public decimal ExitFees { get; internal set; }
    public double ExitTriggerPrice { get; internal set; }
    public bool OverdueReported { get; internal set; }

    // Reasons at entry (for the journal).
    public double EntryRsi { get; internal set; }
    public double EntrySurge { get; internal set; }

    /// <summary>Coins still held: bought minus sold by any exit order.</summary>
    public decimal HeldVolume => BoughtVolume - TakeProfitSoldVolume - ExitSoldVolume;

    /// <summary>Resets to Flat, forgetting the closed position.</summary>
    internal void Clear()
    {
        State = PositionState.Flat;
        EntryIntentId = 0;
        EntryAmountKrw = 0;
        EntrySubmittedMs = 0;
        BoughtVolume = EntryFunds = EntryFees = 0;
        AvgEntryPrice = Target = Stop = 0;
        StopArmed = TargetArmed = false;
        TakeProfitIntentId = 0;
        TakeProfitResting = false;
        TakeProfitSoldVolume = TakeProfitFunds = TakeProfitFees = 0;
        ExitReason = ExitReason.None;
        ExitIntentId = ExitSubmittedMs = ExitRetryAtMs = 0;
        AwaitingTakeProfitCancel = false;
        ExitSoldVolume = ExitFunds = ExitFees = 0;
        ExitTriggerPrice = 0;
        OverdueReported = false;
        EntryRsi = EntrySurge = 0;
    }
}
