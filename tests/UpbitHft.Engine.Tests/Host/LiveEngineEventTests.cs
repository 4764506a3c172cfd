using UpbitHft.Engine.Decisions;
using UpbitHft.Engine.Host;
using UpbitHft.Feed.Events;
using UpbitHft.Feed.Markets;
using UpbitHft.Gateway.Orders;

namespace UpbitHft.Engine.Tests.Host;

/// <summary>The live engine's handling of ring events that are not market data: myOrder, gateway answers, host commands.</summary>
public class LiveEngineEventTests
{
    private sealed class RecordingGateway : IOrderGateway
    {
        public List<OrderCommand> Commands { get; } = [];

        public bool TrySubmit(in OrderCommand command)
        {
            Commands.Add(command);
            return true;
        }
    }

    private static (TradingEngine Engine, RecordingGateway Gateway, int Market) LiveEngine(DecisionOptions options)
    {
        var markets = new MarketTable(8);
        var id = markets.GetOrAdd("KRW-BTC");
        var engine = new TradingEngine(new DecisionCore(options, 8), markets, null, "uh-run1-");
        var gateway = new RecordingGateway();
        engine.AttachGateway(gateway);
        return (engine, gateway, id);
    }

    private static MarketEvent MyOrder(int market, string identifier, OrderState state, double volume, double funds, double avgPrice, double fee)
    {
        var ev = default(MarketEvent);
        ev.Kind = MarketEventKind.MyOrder;
        ev.MarketId = market;
        ev.OrderState = state;
        ev.ExecutedVolume = volume;
        ev.ExecutedFunds = funds;
        ev.AvgPrice = avgPrice;
        ev.PaidFee = fee;
        ev.ReceiveTimestampNs = 1;
        ev.IdentifierLength = System.Text.Encoding.ASCII.GetBytes(identifier, ev.IdentifierBytes);
        return ev;
    }

    [Fact]
    public void A_myOrder_fill_of_the_resting_take_profit_closes_the_trade_and_needs_no_executed_funds()
    {
        var (engine, gateway, btc) = LiveEngine(new DecisionOptions { RestingTakeProfit = true });
        engine.RestorePosition(btc, 1m, 500_000, 500_000m, 250m);
        var tp = Assert.Single(gateway.Commands, c => c.Kind == OrderCommandKind.LimitSell);
        Assert.Equal(501_500m, tp.Price);

        // Upbit's myOrder "done" for the limit, without executed_funds: the amount comes from avg_price × volume.
        var done = MyOrder(btc, $"uh-run1-{tp.IntentId}-0", OrderState.Done, 1, 0, 501_500, 250.75);
        engine.Handle(ref done);

        var trade = Assert.Single(engine.ClosedTrades);
        Assert.True(trade.ExitPrice == 501_500d, trade.ToString());
        Assert.Equal(1_500m - 250m - 250.75m, trade.PnlKrw);
        Assert.DoesNotContain(gateway.Commands, c => c.Kind == OrderCommandKind.MarketSell); // the stop was disarmed
    }

    [Fact]
    public void MyOrder_events_of_other_runs_or_manual_orders_change_nothing()
    {
        var (engine, gateway, btc) = LiveEngine(new DecisionOptions { RestingTakeProfit = true });
        engine.RestorePosition(btc, 1m, 500_000, 500_000m, 250m);
        var tp = gateway.Commands.Single(c => c.Kind == OrderCommandKind.LimitSell);
        foreach (var identifier in new[] { $"uh-run0-{tp.IntentId}-0", "manual-order-7", "", $"uh-run1-x{tp.IntentId}-0" })
        {
            var ev = MyOrder(btc, identifier, OrderState.Done, 1, 501_500, 501_500, 250.75);
            engine.Handle(ref ev);
        }

        Assert.Empty(engine.ClosedTrades);
        Assert.Equal(4, engine.ForeignOrderEvents);
        Assert.Equal(1, engine.Core.OpenPositions);
    }

    [Fact]
    public void A_shutdown_command_through_the_ring_sells_open_positions_and_records_no_bogus_latency()
    {
        var (engine, gateway, btc) = LiveEngine(new DecisionOptions());
        engine.RestorePosition(btc, 1m, 500_000, 500_000m, 250m);
        var shutdown = default(MarketEvent);
        shutdown.Kind = MarketEventKind.Control;
        shutdown.Control = ControlCommand.Shutdown;
        engine.Handle(ref shutdown); // no receive stamp: once made HdrHistogram throw on the engine thread

        Assert.True(engine.IsShutDown);
        var sell = Assert.Single(gateway.Commands, c => c.Kind == OrderCommandKind.MarketSell);
        Assert.Equal(1m, sell.Volume);
        Assert.Equal(0, engine.TickToDecision.TotalCount);
    }

    [Theory]
    [InlineData("12-0", true, 12)]
    [InlineData("7-2", true, 7)]
    [InlineData("-1", false, 0)]
    [InlineData("12", false, 0)]
    [InlineData("x1-0", false, 0)]
    [InlineData("0-0", false, 0)]
    public void Intent_ids_are_read_from_the_identifier_tail(string rest, bool ok, long intent)
    {
        Assert.Equal(ok, TradingEngine.TryParseIntent(System.Text.Encoding.ASCII.GetBytes(rest), out var parsed));
        Assert.Equal(intent, ok ? parsed : 0);
    }
}
