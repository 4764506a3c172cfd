using UpbitHft.TestSupport.FakeUpbit;
using UpbitHft.TestSupport.FakeUpbit.Rest;

namespace UpbitHft.EndToEnd.Tests;

/// <summary>
/// The exchange misbehaving in ordinary ways while <c>upbithft live</c> trades two markets: lost answers while
/// lookups fail and the private socket drops, myOrder events without amounts, a refused cancel beside the account
/// owner's own order, and the operator's kill switch. Each run ends with one buy per market, both exits taken, no
/// coins and no engine order left, and a handful of orders — never a storm.
/// </summary>
public sealed class MoneySafetyEndToEndTests : EndToEndTest
{
    private const string Create = "POST /v1/orders";

    private static int Bids(FakeUpbitExchange x, string market) => x.Rest.Orders.Count(o => o.Side == "bid" && o.Market == market && o.Identifier?.StartsWith("uh-", StringComparison.Ordinal) == true);

    /// <summary>Nothing of the engine's is left at the exchange: no coins of the traded markets, no open engine order.</summary>
    private static void AssertNothingLeft(FakeUpbitExchange x, params string[] coins)
    {
        var balances = x.Rest.Balances();
        foreach (var coin in coins)
        {
            Assert.True(!balances.TryGetValue(coin, out var b) || b.Balance == 0, $"{coin} still held: {b}");
        }

        Assert.DoesNotContain(x.Rest.OpenOrders, o => o.Identifier?.StartsWith("uh-", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task A_lost_answer_while_lookups_fail_and_the_private_socket_drops_still_gives_one_buy_per_market_and_both_exits()
    {
        // Both buys are held back behind a long quiet stretch while the outage lasts.
        var held = new SessionScript().Surge("KRW-BTC", "KRW-XRP").Quiet("KRW-BTC", M31 + 61_000, 800);
        held.MoveTo("KRW-BTC", M31 + 70_000, 501_500).MoveTo("KRW-XRP", M31 + 70_500, 494_000).Quiet("KRW-BTC", M31 + 71_000, 200, bid: 501_500)
            .MoveTo("KRW-XRP", M31 + 74_000, 494_000); // the prices stay there while a slow machine catches up
        await using var x = await FakeUpbitExchange.StartAsync(held.Frames);
        x.WebSocket.Pace = Pace;
        var creates = 0;
        x.Rest.OrderRequestArrived = () =>
        {
            switch (Interlocked.Increment(ref creates))
            {
                case 1:
                    // The outage starts as the first buy arrives: the private socket drops (its myOrder is lost) and
                    // every lookup answers 500 for 4 s, so the first buy can only be followed by polls that fail.
                    x.Rest.Options.FailLookupsUntil = DateTimeOffset.UtcNow.AddSeconds(4);
                    x.DropPrivateSockets();
                    break;
                case 2:
                    x.Rest.Options.DropNextCreates = 1; // the second buy is created, but its answer is lost
                    break;
            }
        };

        using var engine = Live(x, P("j.db"), P("s.json"));
        await WaitUntilAsync(() => x.WebSocket.Sent >= held.Count && Sold(x, 2), engine, "both exits", seconds: 60);
        var summary = await StopAsync(engine, P("s.json"));

        Assert.Equal(1, Bids(x, "KRW-BTC"));
        Assert.Equal(1, Bids(x, "KRW-XRP"));
        Assert.Equal([("KRW-BTC", "take_profit", 500_000d, 501_500d), ("KRW-XRP", "stop_loss", 500_000d, 494_000d)], Trades(summary));
        AssertNothingLeft(x, "BTC", "XRP");
        Assert.Equal(4, x.Rest.RequestCount(Create)); // two buys, two sells: not one more
        Assert.True(x.Rest.ResponseCount("GET /v1/order", 500) > 0, "the lookups never failed; the test proves nothing");
        var journal = P("j.db");
        Assert.True(Count(journal, "SELECT COUNT(*) FROM order_events WHERE state = 'Unknown'") >= 1, engine.Error);
        Assert.Equal(0, Count(journal, "SELECT COUNT(*) FROM order_events WHERE state = 'Rejected'"));
        Assert.Equal(0, x.Rest.Violations);
    }

    /// <summary>The surge of <see cref="SessionScript.Surge"/>, but the last book asks 500,500: the buys fill there, above the last trade.</summary>
    private static SessionScript SurgeFillingAbove(params string[] markets)
    {
        var s = new SessionScript();
        foreach (var m in markets)
        {
            s.Book(m, M31 + 100, 499_500, 500_000, 10, 5);
        }

        for (var i = 0; i < 6; i++)
        {
            foreach (var m in markets)
            {
                s.Trade(m, M31 + 1_000 + (i * 1_000), 500_000, 100);
            }
        }

        foreach (var m in markets)
        {
            s.Book(m, M31 + 60_100, 500_000, 500_500, 10, 5);
            s.Trade(m, M31 + 60_200, 500_000, 0.01m);
        }

        return s;
    }

    [Fact]
    public async Task MyOrder_events_without_amounts_never_drop_a_fill_and_the_pnl_matches_the_exchange_to_the_won()
    {
        var script = SurgeFillingAbove("KRW-BTC", "KRW-XRP")
            .Quiet("KRW-BTC", M31 + 61_000, 60, bid: 500_000)
            .MoveTo("KRW-BTC", M31 + 62_000, 502_500)
            .MoveTo("KRW-XRP", M31 + 62_500, 494_000)
            .Quiet("KRW-BTC", M31 + 63_000, 60, bid: 502_500);
        await using var x = await FakeUpbitExchange.StartAsync(script.Frames, new FakeUpbitRestOptions { ThinMyOrder = true });
        x.WebSocket.Pace = Pace;
        using var engine = Live(x, P("j.db"), P("s.json"));
        await WaitUntilAsync(() => x.WebSocket.Sent >= script.Count && Sold(x, 2), engine, "both exits");
        var summary = await StopAsync(engine, P("s.json"));

        // The buys filled at 500,500, not at the 500,000 the last trade showed: the exits are based on the real fill.
        Assert.Equal([("KRW-BTC", "take_profit", 500_500d, 502_500d), ("KRW-XRP", "stop_loss", 500_500d, 494_000d)], Trades(summary));
        Assert.Equal(1, Bids(x, "KRW-BTC"));
        Assert.Equal(1, Bids(x, "KRW-XRP"));
        AssertNothingLeft(x, "BTC", "XRP");
        Assert.Equal(4, x.Rest.RequestCount(Create));
        // Not a won lost or invented: the exchange's KRW moved by exactly the P&L the engine reports.
        Assert.Equal(summary.GetProperty("pnl_krw").GetDecimal(), x.Rest.Balances()["KRW"].Balance - x.Rest.Options.InitialKrw);
    }

    [Fact]
    public async Task A_refused_cancel_of_the_resting_take_profit_is_retried_the_stop_sells_the_rest_and_the_owners_order_survives()
    {
        var script = SeedSession();
        var options = new FakeUpbitRestOptions { FailNextCancels = 2 };
        await using var x = await FakeUpbitExchange.StartAsync(script.Frames, options);
        x.WebSocket.Pace = Pace;
        // The account owner's own order (coins bought by hand, offered by hand) in a market the engine trades: it must
        // survive every clean-up, and its locked coins are never the engine's.
        var owners = x.Rest.SeedForeignRestingAsk("KRW-XRP", 0.5m, 900_000m);
        using var engine = Live(x, P("j.db"), P("s.json"), "--resting-take-profit");
        await WaitUntilAsync(() => x.WebSocket.Sent >= script.Count && Sold(x, 2) && CountWhenReady(P("j.db"), "SELECT COUNT(*) FROM trades") == 2, engine, "both exits, journaled", seconds: 45);
        var summary = await StopAsync(engine, P("s.json"));

        Assert.Equal([("KRW-BTC", "take_profit", 500_000d, 501_500d), ("KRW-XRP", "stop_loss", 500_000d, 494_000d)], Trades(summary));
        Assert.True(x.Rest.ResponseCount("DELETE /v1/order", 500) >= 2, engine.Error); // the refused cancels happened
        Assert.Equal(("wait", 0.5m), (owners.State, owners.Volume));
        Assert.Equal(1, Bids(x, "KRW-BTC"));
        Assert.Equal(1, Bids(x, "KRW-XRP"));
        AssertNothingLeft(x, "BTC");
        Assert.Equal((0m, 0.5m), (x.Rest.Balances()["XRP"].Balance, x.Rest.Balances()["XRP"].Locked)); // only the owner's coins
        Assert.Equal(0, x.Rest.RequestCount("DELETE /v1/orders/open")); // never a whole market
        Assert.Equal(5, x.Rest.RequestCount(Create)); // two buys, two resting limits, one stop sell
    }

    [Fact]
    public async Task Control_kill_on_a_live_engine_with_two_positions_sells_both_and_the_engine_exits_0()
    {
        var script = new SessionScript().Surge("KRW-BTC", "KRW-XRP").Quiet("KRW-BTC", M31 + 61_000, 2_000);
        await using var x = await FakeUpbitExchange.StartAsync(script.Frames);
        x.WebSocket.Pace = Pace;
        var journal = P("j.db");
        using var engine = Live(x, journal, P("s.json"));
        await WaitUntilAsync(() => CountWhenReady(journal, "SELECT COUNT(*) FROM positions WHERE event = 'opened'") == 2, engine, "two positions open");

        using var control = EngineProcess.Start(["control", "kill", "--journal", journal]);
        Assert.Equal(0, await control.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.StartsWith("ok", control.Output, StringComparison.Ordinal);

        var code = await engine.WaitForExitAsync(TimeSpan.FromSeconds(60)); // the engine stops by itself once flat
        Assert.True(code == 0, $"exit {code}\n{engine.Error}");
        using var doc = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(P("s.json")));
        var trades = Trades(doc.RootElement);
        Assert.Equal(["KRW-BTC", "KRW-XRP"], trades.Select(t => t.Market));
        Assert.All(trades, t => Assert.Equal("kill_switch", t.Reason));
        Assert.Equal(2, Count(journal, "SELECT COUNT(*) FROM positions WHERE event = 'closed' AND exit_reason = 'kill_switch'"));
        AssertNothingLeft(x, "BTC", "XRP");
        Assert.Equal(4, x.Rest.RequestCount(Create));
    }
}
