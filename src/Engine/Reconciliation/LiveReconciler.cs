using System.Globalization;
using Microsoft.Extensions.Logging;
using UpbitHft.Engine.Journal;
using UpbitHft.Engine.Logging;
using UpbitHft.Gateway.Errors;
using UpbitHft.Gateway.Orders;
using UpbitHft.Gateway.Rest;

namespace UpbitHft.Engine.Reconciliation;

/// <summary>A position found at the exchange at start-up, to be restored with its exits armed.</summary>
public sealed record RestoredPosition(string Market, decimal Volume, decimal AvgPrice);

/// <summary>An order the journal never saw finish, and what the exchange says of it (null: it was never placed).</summary>
public sealed record ResolvedOrder(UnresolvedOrder Journal, string? Identifier, UpbitOrder? Exchange);

/// <summary>What start-up reconciliation found and did.</summary>
public sealed record Reconciliation(
    decimal KrwBalance,
    IReadOnlyList<RestoredPosition> Positions,
    IReadOnlyList<ResolvedOrder> Resolved,
    IReadOnlyList<UpbitOrder> CancelledOrders,
    IReadOnlyList<UpbitOrder> RecoveredOrders,
    IReadOnlyList<string> PositionsGone,
    IReadOnlyList<string> Notes);

/// <summary>
/// Live start-up reconciliation (docs/design.md#start-up-reconciliation), before any order is sent: the exchange is the truth, the journal
/// says what the engine was doing. (1) every order the journal decided but never saw finish is looked up by its
/// identifier, so the journal learns its fate; (2) the engine's own open orders (identifier <c>uh-…</c>: resting
/// take-profits of the previous run) are cancelled and confirmed gone, so their coins are free to re-arm;
/// (3) every watched market whose coin balance is worth at least the minimum order becomes a restored position,
/// its OCO re-armed from Upbit's <c>avg_buy_price</c>. The account is assumed to be dedicated to the engine (README):
/// orders that are not the engine's are left alone and their locked coins are not counted.
/// </summary>
public static class LiveReconciler
{
    public static async Task<Reconciliation> RunAsync(UpbitRestClient rest, IReadOnlyCollection<string> watched, JournalState journal, decimal minOrderKrw,
        ILogger log, CancellationToken cancel, TimeSpan? confirmTimeout = null, TimeProvider? time = null)
    {
        var clock = time ?? TimeProvider.System;
        var notes = new List<string>();
        var resolved = new List<ResolvedOrder>();
        foreach (var u in journal.Unresolved)
        {
            resolved.Add(await ResolveAsync(rest, u, log, clock, cancel).ConfigureAwait(false));
        }

        foreach (var r in resolved)
        {
            notes.Add(r.Exchange is { } o
                ? string.Create(CultureInfo.InvariantCulture, $"journal intent {r.Journal.Intent} ({r.Journal.Action} {r.Journal.Market}) was placed as {r.Identifier}: {o.State}, executed {o.ExecutedVolume}")
                : string.Create(CultureInfo.InvariantCulture, $"journal intent {r.Journal.Intent} ({r.Journal.Action} {r.Journal.Market}) was never placed"));
        }

        var accounts = await AccountsAsync(rest, cancel).ConfigureAwait(false);

        // Orders of earlier runs that finished at the exchange but whose answer never reached the journal (a crash
        // between the exchange's acknowledgment and the journal's write): recovered from the closed-order list.
        var recovered = new List<UpbitOrder>();
        if (journal.LastSessionStart is { } since)
        {
            var known = new HashSet<string>(journal.FinalIdentifiers, StringComparer.Ordinal);
            known.UnionWith(resolved.Where(r => r.Exchange is { IsOpen: false }).Select(r => r.Identifier!));
            var markets = journal.RecentMarkets.Concat(journal.HeldMarkets)
                .Concat(accounts.Where(a => a.Currency != "KRW").Select(a => "KRW-" + a.Currency))
                .Where(watched.Contains).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
            foreach (var market in markets)
            {
                // Upbit answers at most a 7-day window: a session older than that is searched over its last 6 days.
                var from = since.AddMinutes(-5) > clock.GetUtcNow().AddDays(-6) ? since.AddMinutes(-5) : clock.GetUtcNow().AddDays(-6);
                var closed = await rest.GetClosedOrdersAsync(market, from, cancel).ConfigureAwait(false);
                if (!closed.IsSuccess)
                {
                    throw new IOException($"reconciliation: cannot list the closed orders of {market}: {closed.Error}");
                }

                foreach (var o in closed.Value!.Where(o => OrderIdentifiers.IsEngines(o.Identifier) && !known.Contains(o.Identifier!)))
                {
                    recovered.Add(o);
                    notes.Add(string.Create(CultureInfo.InvariantCulture, $"{market}: order {o.Identifier} ({o.Side} {o.OrdType}) ended {o.State} at the exchange without reaching the journal; journaled now"));
                }
            }
        }

        var cancelled = new List<UpbitOrder>();
        foreach (var a in accounts.Where(a => a.Locked > 0 && a.Currency != "KRW"))
        {
            var market = "KRW-" + a.Currency;
            if (!watched.Contains(market))
            {
                continue;
            }

            var open = await rest.GetOpenOrdersAsync(market, cancel).ConfigureAwait(false);
            if (!open.IsSuccess)
            {
                throw new IOException($"reconciliation: cannot list the open orders of {market}: {open.Error}");
            }

            foreach (var o in open.Value!)
            {
                if (!OrderIdentifiers.IsEngines(o.Identifier))
                {
                    notes.Add($"{market}: open order {o.Uuid} is not the engine's; left alone (its locked coins are not traded)");
                    continue;
                }

                cancelled.Add(await CancelAndConfirmAsync(rest, o, confirmTimeout ?? TimeSpan.FromSeconds(10), log, clock, cancel).ConfigureAwait(false));
                notes.Add($"{market}: cancelled the previous run's open order {o.Identifier} ({o.Side} {o.OrdType}) before re-arming");
            }
        }

        if (cancelled.Count > 0)
        {
            accounts = await AccountsAsync(rest, cancel).ConfigureAwait(false); // the cancelled orders' coins are free again
        }

        var positions = new List<RestoredPosition>();
        foreach (var a in accounts.Where(a => a.Currency != "KRW" && a.Balance > 0))
        {
            var market = "KRW-" + a.Currency;
            if (!watched.Contains(market))
            {
                notes.Add(string.Create(CultureInfo.InvariantCulture, $"{market}: balance {a.Balance} is not in a watched market; not managed"));
                continue;
            }

            if (a.Balance * a.AvgBuyPrice < minOrderKrw || a.AvgBuyPrice <= 0)
            {
                notes.Add(string.Create(CultureInfo.InvariantCulture, $"{market}: balance {a.Balance} is dust (below the {minOrderKrw:0} KRW minimum order); not managed"));
                continue;
            }

            positions.Add(new RestoredPosition(market, a.Balance, a.AvgBuyPrice));
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"{market}: holding {a.Balance} at avg {a.AvgBuyPrice}; restored with exits re-armed"));
        }

        var gone = journal.HeldMarkets.Where(m => positions.All(p => p.Market != m)).ToList();
        foreach (var m in gone)
        {
            notes.Add($"{m}: the journal's open position is not at the exchange (sold while the engine was down); treated as closed");
        }

        var krw = accounts.FirstOrDefault(a => a.Currency == "KRW")?.Balance ?? 0;
        foreach (var n in notes)
        {
            HostLog.ReconcileNote(log, n);
        }

        HostLog.ReconcileDone(log, krw, positions.Count, cancelled.Count, resolved.Count, recovered.Count);
        return new Reconciliation(krw, positions, resolved, cancelled, recovered, gone, notes);
    }

    /// <summary>
    /// Looks a journal order up under each identifier it may have had, for as long as it takes: a failed lookup is
    /// asked again with a capped backoff (an unknown order is never assumed absent); only <c>order_not_found</c> for
    /// every identifier means it was never placed.
    /// </summary>
    private static async Task<ResolvedOrder> ResolveAsync(UpbitRestClient rest, UnresolvedOrder u, ILogger log, TimeProvider clock, CancellationToken cancel)
    {
        foreach (var identifier in u.Identifiers())
        {
            var backoff = new Backoff(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(30));
            for (var attempt = 1; ; attempt++)
            {
                var r = await rest.GetOrderAsync(null, identifier, cancel).ConfigureAwait(false);
                if (r.IsSuccess)
                {
                    return new ResolvedOrder(u, identifier, r.Value);
                }

                if (r.Error!.Code == UpbitErrorCode.OrderNotFound)
                {
                    break;
                }

                if (attempt == 1 || attempt % 10 == 0)
                {
                    HostLog.ReconcileLookupFailed(log, attempt, identifier, r.Error.ToString());
                }

                await Task.Delay(backoff.Next(), clock, cancel).ConfigureAwait(false);
            }
        }

        return new ResolvedOrder(u, null, null);
    }

    private static async Task<List<Account>> AccountsAsync(UpbitRestClient rest, CancellationToken cancel)
    {
        var r = await rest.GetAccountsAsync(cancel).ConfigureAwait(false);
        return r.IsSuccess ? r.Value! : throw new IOException($"reconciliation: cannot read the accounts: {r.Error}");
    }

    /// <summary>Cancels an open order of an earlier run and follows it until it is final, sending the cancel again while it stays open.</summary>
    private static async Task<UpbitOrder> CancelAndConfirmAsync(UpbitRestClient rest, UpbitOrder order, TimeSpan resendAfter, ILogger log, TimeProvider clock, CancellationToken cancel)
    {
        var backoff = new Backoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5));
        var sentAt = long.MinValue;
        while (true)
        {
            if (sentAt == long.MinValue || clock.GetElapsedTime(sentAt) >= resendAfter)
            {
                var r = await rest.CancelOrderAsync(order.Uuid, null, cancel).ConfigureAwait(false);
                sentAt = r.IsSuccess || r.Error!.Code == UpbitErrorCode.OrderNotFound ? clock.GetTimestamp() : long.MinValue;
                if (!r.IsSuccess && r.Error!.Code != UpbitErrorCode.OrderNotFound)
                {
                    HostLog.ReconcileCancelFailed(log, order.Identifier, r.Error!.ToString());
                }
            }

            await Task.Delay(backoff.Next(), clock, cancel).ConfigureAwait(false);
            var g = await rest.GetOrderAsync(order.Uuid, null, cancel).ConfigureAwait(false);
            if (g.IsSuccess && g.Value!.IsFinal)
            {
                return g.Value; // cancelled, or filled before the cancel reached it (then its coins are already gone)
            }
        }
    }
}
