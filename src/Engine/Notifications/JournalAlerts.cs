using System.Globalization;
using UpbitHft.Engine.Decisions;
using UpbitHft.Engine.Journal;

namespace UpbitHft.Engine.Notifications;

/// <summary>
/// Entry and exit alerts from the journal's stream of records, on the journal writer's thread (it already sees every
/// decision; the engine thread is not involved): a position opened (not a re-basing of one) is an <c>entry</c>, a
/// trade closed is an <c>exit</c> with its reason and P&amp;L.
/// </summary>
public sealed class JournalAlerts(Notifier notifier, TimeProvider time)
{
    /// <summary>One journal record (journal writer's thread).</summary>
    public void OnEntry(JournalEntry entry)
    {
        if (entry.Kind != JournalKind.Decision)
        {
            return;
        }

        var a = entry.Action;
        if (a.Kind == ActionKind.PositionOpened && !a.Rebased)
        {
            notifier.TryPost(new Alert("entry", string.Create(CultureInfo.InvariantCulture,
                $"UpbitHft: bought {a.Volume} {entry.Market} at {a.EntryPrice:#,0.########}{(a.Estimated ? " (estimated)" : "")}; take-profit {a.Target:#,0.########}, stop {a.Stop:#,0.########}"), When(a))
            {
                Market = entry.Market,
                Price = a.EntryPrice,
                Volume = a.Volume,
            });
        }
        else if (a.Kind == ActionKind.TradeClosed)
        {
            var reason = JournalSchema.ExitReasonName(a.Exit) ?? "unknown";
            notifier.TryPost(new Alert("exit", string.Create(CultureInfo.InvariantCulture,
                $"UpbitHft: sold {a.Volume} {entry.Market} at {a.ExitPrice:#,0.########} ({reason}); P&L {a.PnlKrw:+#,0;-#,0;0} KRW after fees"), When(a))
            {
                Market = entry.Market,
                Reason = reason,
                Price = a.ExitPrice,
                Volume = a.Volume,
                PnlKrw = decimal.Round(a.PnlKrw, 2),
            });
        }
    }

    /// <summary>The decision's exchange time, or now when it has none (a position restored at start-up).</summary>
    private DateTimeOffset When(in DecisionAction a) => a.TimestampMs > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(a.TimestampMs) : time.GetUtcNow();
}
