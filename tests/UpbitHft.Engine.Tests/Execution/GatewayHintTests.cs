using UpbitHft.Engine.Decisions;
using UpbitHft.Engine.Tests.Decisions;
using UpbitHft.Gateway.Orders;

namespace UpbitHft.Engine.Tests.Execution;

/// <summary>The engine telling the gateway which entries to sign ahead (<see cref="OrderCommandKind.PresignMarketBuy"/>).</summary>
public class GatewayHintTests
{
    private static List<OrderCommand> Hints(LiveEngineEventTests.Live live) =>
        [.. live.Gateway.Commands.Where(c => c.Kind == OrderCommandKind.PresignMarketBuy)];

    [Fact]
    public void Each_candidate_is_hinted_once_per_change_and_the_trigger_then_sends_exactly_the_hinted_buy()
    {
        var live = new LiveEngineEventTests.Live(new DecisionOptions());
        live.Engine.Core.SeedFromCandles(live.Btc, CoreHarness.History());
        live.Engine.Core.SeedFromCandles(live.Xrp, CoreHarness.History());

        live.Trade(CoreHarness.Minute(0) + 1_000, 500_000); // any event: both candidates are told
        var first = Hints(live);
        Assert.Equal([live.Btc, live.Xrp], first.Select(h => h.MarketId).Order());
        Assert.All(first, h => Assert.Equal((1L, 500_000m), (h.IntentId, h.AmountKrw)));
        Assert.Equal(2, live.Engine.EntriesForeseen);

        live.Trade(CoreHarness.Minute(0) + 1_001, 500_000, volume: 200); // the surge; nothing foreseen changed
        live.Trade(CoreHarness.Minute(0) + 1_002, 500_000);
        Assert.Equal(2, Hints(live).Count);

        live.Book(CoreHarness.Minute(1) + 500);
        live.Trade(CoreHarness.Minute(1) + 1_000, 500_000); // the trigger
        var buy = Assert.Single(live.Gateway.Commands, c => c.Kind == OrderCommandKind.MarketBuy);
        var hint = first.Single(h => h.MarketId == buy.MarketId);
        Assert.Equal((hint.IntentId, hint.Market, hint.AmountKrw), (buy.IntentId, buy.Market, buy.AmountKrw));

        // After the buy: the other candidate is told again, under the next intent and with the capital left.
        var again = Hints(live).Skip(2).ToList();
        var other = Assert.Single(again);
        Assert.NotEqual(buy.MarketId, other.MarketId);
        Assert.Equal(buy.IntentId + 1, other.IntentId);
        Assert.True(other.AmountKrw < 500_000m);
    }

    [Fact]
    public void The_bare_paper_exchange_is_told_nothing_and_a_hint_the_ring_refuses_is_given_again()
    {
        var live = new LiveEngineEventTests.Live(new DecisionOptions());
        live.Engine.Core.SeedFromCandles(live.Btc, CoreHarness.History());
        live.Gateway.Refuse = true;
        live.Trade(CoreHarness.Minute(0) + 1_000, 500_000);
        Assert.Equal(0, live.Engine.EntriesForeseen);
        live.Gateway.Refuse = false;
        live.Trade(CoreHarness.Minute(0) + 1_001, 500_000);
        Assert.Single(Hints(live));

        var markets = new Feed.Markets.MarketTable(8);
        var btc = markets.GetOrAdd("KRW-BTC");
        var paper = new Engine.Execution.TradingEngine(new DecisionCore(new DecisionOptions(), 8), new Gateway.Paper.PaperExchange(8), markets, null);
        paper.Core.SeedFromCandles(btc, CoreHarness.History());
        Assert.True(paper.Core.TryForeseeEntry(btc, out _, out _));
        var ev = default(Engine.Ring.EngineEvent);
        ev.Kind = Engine.Ring.EngineEventKind.Timer;
        paper.Handle(ref ev);
        Assert.Equal(0, paper.EntriesForeseen);
    }
}
