using UpbitHft.Engine.Decisions;
using UpbitHft.Engine.Journal;
using UpbitHft.Gateway.Orders;
using UpbitHft.Gateway.Rest;

namespace UpbitHft.Engine.Reconciliation;

/// <summary>Writes what start-up reconciliation learned into the journal, so every order the exchange holds has a final state there.</summary>
public static class ReconciliationJournal
{
    /// <summary>Journals the resolved, cancelled and recovered orders and the positions found gone.</summary>
    public static void Write(JournalWriter journal, Reconciliation reconciliation)
    {
        ArgumentNullException.ThrowIfNull(journal);
        ArgumentNullException.ThrowIfNull(reconciliation);
        foreach (var r in reconciliation.Resolved)
        {
            var update = r.Exchange is { } o
                ? Update(r.Journal.Intent, o, null)
                : new OrderUpdate { IntentId = r.Journal.Intent, Kind = OrderEventKind.Rejected, RejectReason = "not_placed (found at restart)" };
            journal.Enqueue(new JournalEntry(JournalKind.OrderEvent, 0, r.Journal.Market, default, update, r.Identifier));
        }

        foreach (var o in reconciliation.CancelledOrders.Concat(reconciliation.RecoveredOrders))
        {
            var intent = OrderIdentifiers.TryParseIntent(o.Identifier, out var i) ? i : 0;
            var update = Update(intent, o, reconciliation.CancelledOrders.Contains(o) ? "cancelled at restart" : "recovered at restart");
            journal.Enqueue(new JournalEntry(JournalKind.OrderEvent, 0, o.Market, default, update, o.Identifier));
        }

        foreach (var market in reconciliation.PositionsGone)
        {
            journal.Enqueue(new JournalEntry(JournalKind.PositionGone, 0, market, default, default, null));
        }
    }

    private static OrderUpdate Update(long intent, UpbitOrder o, string? note) => new()
    {
        IntentId = intent,
        Kind = o.Status switch
        {
            UpbitOrderState.Done => OrderEventKind.Done,
            UpbitOrderState.Cancel => OrderEventKind.Cancelled,
            _ => OrderEventKind.Accepted,
        },
        ExecutedVolume = o.ExecutedVolume,
        ExecutedFunds = o.Funds ?? 0,
        FundsMissing = o.Funds is null && o.ExecutedVolume > 0,
        PaidFee = o.PaidFee,
        RejectReason = note,
    };
}
