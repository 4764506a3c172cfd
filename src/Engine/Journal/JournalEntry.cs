using UpbitHft.Engine.Decisions;

namespace UpbitHft.Engine.Journal;

/// <summary>What a journal entry records.</summary>
public enum JournalKind : byte
{
    /// <summary>An action the decision core took (orders with their reasons, closed trades).</summary>
    Decision,
    /// <summary>An answer about an order (accepted, filled, done, cancelled, rejected).</summary>
    OrderEvent,
    /// <summary>A closed 1-minute candle (for the candles CSV).</summary>
    Candle,
    /// <summary>Something went wrong (text in <see cref="JournalEntry.Text"/>).</summary>
    Error,
    /// <summary>The end of a run: its summary as JSON in <see cref="JournalEntry.Text"/> (latency percentiles included).</summary>
    RunSummary,
    /// <summary>Reconciliation: the journal's open position in <see cref="JournalEntry.Market"/> is gone at the exchange (sold while the engine was down).</summary>
    PositionGone,
    /// <summary>The start of a run: <see cref="JournalEntry.Text"/> = "mode run_id", <see cref="JournalEntry.Sequence"/> = its first intent id.</summary>
    Session,
}

/// <summary>
/// One record handed from the engine thread to the journal writer thread. A struct of values: the engine never
/// waits on the writer; market codes are the table's cached strings (no allocation for them).
/// </summary>
public readonly record struct JournalEntry(
    JournalKind Kind,
    long Sequence,
    string Market,
    DecisionAction Action,
    OrderUpdate Update,
    string? Text);
