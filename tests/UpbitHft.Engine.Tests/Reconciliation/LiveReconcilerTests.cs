using UpbitHft.Engine.Tests.Logging;
using Microsoft.Data.Sqlite;
using UpbitHft.Engine.Decisions;
using UpbitHft.Engine.Runtime;
using UpbitHft.Engine.Execution;
using UpbitHft.Engine.Reconciliation;
using UpbitHft.Engine.Modes;
using UpbitHft.Engine.Control;
using UpbitHft.Engine.Journal;
using UpbitHft.Gateway.Auth;
using UpbitHft.Gateway.Rest;
using UpbitHft.TestSupport.FakeUpbit.Rest;

namespace UpbitHft.Engine.Tests.Reconciliation;

/// <summary>Start-up reconciliation against the fake exchange's ledger, with journals written the way a crashed run leaves them.</summary>
public sealed class LiveReconcilerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("upbithft-reconcile-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private static UpbitRestClient Client(FakeUpbitRestServer server) =>
        new(new UpbitRestOptions { BaseUrl = server.BaseUrl }, new JwtSigner(new UpbitCredentials(server.Options.AccessKey, server.Options.SecretKey)), log: _ => { });

    /// <summary>A journal holding only what a run wrote before dying: its session row, and optionally one decision.</summary>
    private async Task<string> JournalAsync(string runId, long firstIntent, DecisionAction? decision = null)
    {
        var path = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".db");
        var writer = new JournalWriter(path, null);
        await using (writer.ConfigureAwait(false))
        {
            writer.Enqueue(new JournalEntry(JournalKind.Session, firstIntent, "", default, default, "live " + runId));
            if (decision is { } d)
            {
                writer.Enqueue(new JournalEntry(JournalKind.Decision, 1, "KRW-BTC", d, default, null));
            }
        }

        return path;
    }

    private static async Task BuyAsync(UpbitRestClient rest, string identifier) =>
        Assert.True((await rest.CreateOrderAsync(new QueryString().Add("market", "KRW-BTC").Add("side", "bid").Add("price", "500000").Add("ord_type", "price").Add("identifier", identifier))).IsSuccess);

    [Fact]
    public async Task A_buy_the_journal_never_heard_of_is_recovered_from_the_closed_orders_and_its_coins_become_a_position()
    {
        // The run died after the exchange filled its buy and before even the decision reached the journal.
        await using var server = await FakeUpbitRestServer.StartAsync();
        using var rest = Client(server);
        await BuyAsync(rest, "uh-runA-1-0");
        var journal = JournalState.Load(await JournalAsync("runA", 1));
        Assert.Empty(journal.Unresolved);

        var r = await LiveReconciler.RunAsync(rest, new HashSet<string> { "KRW-BTC" }, journal, 5_000m, CapturingLogger.Discard(), CancellationToken.None);

        var recovered = Assert.Single(r.RecoveredOrders);
        Assert.Equal("uh-runA-1-0", recovered.Identifier);
        var position = Assert.Single(r.Positions);
        Assert.Equal(("KRW-BTC", 1m, 500_000m), (position.Market, position.Volume, position.AvgPrice));
        Assert.Equal(0, server.Violations);
    }

    [Fact]
    public async Task At_restart_an_order_whose_lookups_fail_stays_unknown_and_is_asked_about_until_the_exchange_answers()
    {
        await using var server = await FakeUpbitRestServer.StartAsync();
        using var rest = Client(server);
        await BuyAsync(rest, "uh-runC-3-0");
        var buy = new DecisionAction { Kind = ActionKind.SubmitMarketBuy, IntentId = 3, AmountKrw = 500_000m };
        var journal = JournalState.Load(await JournalAsync("runC", 3, buy));
        server.Options.FailLookupsUntil = DateTimeOffset.UtcNow.AddSeconds(2); // the exchange answers 500 for a while
        var log = new CapturingLogger();

        var r = await LiveReconciler.RunAsync(rest, new HashSet<string> { "KRW-BTC" }, journal, 5_000m, log, CancellationToken.None);

        // Never "not placed" because lookups failed: it waited for the answer, and the buy's coins became a position.
        var resolved = Assert.Single(r.Resolved);
        Assert.Equal(("uh-runC-3-0", "done"), (resolved.Identifier, resolved.Exchange!.State));
        Assert.Single(r.Positions);
        Assert.True(server.ResponseCount("GET /v1/order", 500) >= 1);
        Assert.Contains(log.Messages, l => l.Contains("stays unknown", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_decided_order_without_an_outcome_is_looked_up_by_each_identifier_it_may_have_had()
    {
        await using var server = await FakeUpbitRestServer.StartAsync();
        using var rest = Client(server);
        await BuyAsync(rest, "uh-runB-7-1"); // the second attempt is the one that was placed
        var buy = new DecisionAction { Kind = ActionKind.SubmitMarketBuy, IntentId = 7, AmountKrw = 500_000m };
        var never = new DecisionAction { Kind = ActionKind.SubmitMarketBuy, IntentId = 8, AmountKrw = 500_000m };
        var journal = JournalState.Load(await JournalAsync("runB", 7, buy));
        var missing = JournalState.Load(await JournalAsync("runB", 8, never));

        var found = await LiveReconciler.RunAsync(rest, new HashSet<string> { "KRW-BTC" }, journal, 5_000m, CapturingLogger.Discard(), CancellationToken.None);
        var resolved = Assert.Single(found.Resolved);
        Assert.Equal(("uh-runB-7-1", "done"), (resolved.Identifier, resolved.Exchange!.State));
        Assert.Equal(7, journal.MaxIntent); // a restart continues from 8

        var notFound = await LiveReconciler.RunAsync(rest, new HashSet<string> { "KRW-BTC" }, missing, 5_000m, CapturingLogger.Discard(), CancellationToken.None);
        Assert.Null(Assert.Single(notFound.Resolved).Exchange); // never placed: looked up under attempts 0, 1 and 2
    }

    [Fact]
    public async Task Orders_that_are_not_the_engines_are_left_alone_and_their_locked_coins_are_not_traded()
    {
        await using var server = await FakeUpbitRestServer.StartAsync();
        server.SeedHolding("KRW-BTC", 2m, 500_000m);
        server.SeedRestingAsk("KRW-BTC", 0.5m, 600_000m, "my-own-order");
        server.SeedRestingAsk("KRW-BTC", 1m, 501_500m, "uh-runC-3-0");
        using var rest = Client(server);
        var notes = new CapturingLogger();

        var r = await LiveReconciler.RunAsync(rest, new HashSet<string> { "KRW-BTC" }, JournalState.Empty, 5_000m, notes, CancellationToken.None);

        Assert.Equal("uh-runC-3-0", Assert.Single(r.CancelledOrders).Identifier);
        Assert.Equal(1.5m, Assert.Single(r.Positions).Volume); // 2 held − 0.5 locked by the user's own order
        Assert.Single(server.OpenOrders, o => o.Identifier == "my-own-order");
        Assert.Contains(notes.Messages, n => n.Contains("is not the engine's; left alone", StringComparison.Ordinal));
    }
}
