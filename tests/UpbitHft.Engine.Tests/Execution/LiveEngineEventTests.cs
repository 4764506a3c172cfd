using System.Globalization;
using UpbitHft.Engine.Decisions;
using UpbitHft.Engine.Runtime;
using UpbitHft.Engine.Execution;
using UpbitHft.Engine.Reconciliation;
using UpbitHft.Engine.Modes;
using UpbitHft.Engine.Control;
using UpbitHft.Engine.Ring;
using UpbitHft.Feed.Markets;
using UpbitHft.Feed.Parsing;
using UpbitHft.Gateway.Orders;

namespace UpbitHft.Engine.Tests.Execution;

/// <summary>The live engine's handling of ring events that are not market data: myOrder, myAsset, gateway answers, host commands.</summary>
public class LiveEngineEventTests
{
    internal sealed class RecordingGateway : IOrderGateway
    {
        public List<OrderCommand> Commands { get; } = [];

        public bool Refuse { get; set; }

        public bool TrySubmit(in OrderCommand command)
        {
            if (Refuse)
            {
                return false;
            }

            Commands.Add(command);
            return true;
        }
    }

    internal sealed class Live
    {
        public Live(DecisionOptions options)
        {
            Markets = new MarketTable(8);
            Btc = Markets.GetOrAdd("KRW-BTC");
            Xrp = Markets.GetOrAdd("KRW-XRP");
            Engine = new TradingEngine(new DecisionCore(options, 8), Markets, null, "uh-run1-");
            Parser = new UpbitMessageParser(Markets, new UpbitParserOptions { AddUnknownMarkets = false });
            Engine.AttachGateway(Gateway);
        }

        public MarketTable Markets { get; }
        public int Btc { get; }
        public int Xrp { get; }
        public TradingEngine Engine { get; }
        public UpbitMessageParser Parser { get; }
        public RecordingGateway Gateway { get; } = new();

        /// <summary>Parses a private-socket frame (DEFAULT format, as Upbit documents it) into a ring slot and hands it to the engine.</summary>
        public void Private(string json)
        {
            var ev = default(EngineEvent);
            ev.Kind = EngineEventKind.Market;
            ev.ReceiveTimestampNs = 1;
            Parser.Parse(System.Text.Encoding.UTF8.GetBytes(json), 1, ref ev.Market);
            Assert.NotEqual(Feed.Events.MarketEventKind.None, ev.Market.Kind);
            Engine.Handle(ref ev);
        }

        /// <summary>A public trade frame (DEFAULT format) into the engine.</summary>
        public void Trade(long ms, decimal price, decimal volume = 0.01m) =>
            Private(System.Text.Encoding.UTF8.GetString(TestSupport.FakeUpbit.SessionScript.TradeFrame("KRW-BTC", ms, price, volume, ms)));

        /// <summary>A public KRW-BTC book frame (DEFAULT format): best bid 499,900 × 20 against best ask 500,000 × 10.</summary>
        public void Book(long ms) =>
            Private(System.Text.Encoding.UTF8.GetString(TestSupport.FakeUpbit.SessionScript.BookFrame("KRW-BTC", ms, 499_900m, 500_000m, 20m, 10m)));

        public void Control(ControlCommand command)
        {
            var ev = default(EngineEvent);
            ev.Kind = EngineEventKind.Control;
            ev.Control = command;
            Engine.Handle(ref ev);
        }

        public void Answer(OrderEvent e)
        {
            var ev = default(EngineEvent);
            ev.Kind = EngineEventKind.OrderAnswer;
            ev.IntentId = e.IntentId;
            ev.MarketId = e.MarketId;
            ev.Answer = e.Kind;
            ev.ExecutedVolume = e.ExecutedVolume;
            ev.ExecutedFunds = e.ExecutedFunds;
            ev.PaidFee = e.PaidFee;
            ev.FundsKnown = e.FundsKnown;
            ev.Error = e.Error?.Code ?? UpbitHft.Gateway.Errors.UpbitErrorCode.Unknown;
            Engine.Handle(ref ev);
        }
    }

    /// <summary>A documented-shape myOrder frame; <c>null</c> leaves a key out (Upbit's thin events).</summary>
    internal static string MyOrder(string identifier, string state, string side, string type, decimal volume, decimal executed, decimal? funds, decimal? avg, decimal fee, decimal price = 0,
        string tradeUuid = "68315169-fba4-4175-ade3-aff14a616657")
    {
        static string N(decimal v) => v.ToString(CultureInfo.InvariantCulture);
        return "{\"type\":\"myOrder\",\"code\":\"KRW-BTC\",\"uuid\":\"ac2dc2a3-fce9-40a2-a4f6-5987c25c438f\",\"ask_bid\":\"" + side + "\",\"order_type\":\"" + type + "\",\"state\":\"" + state + "\","
            + "\"trade_uuid\":\"" + tradeUuid + "\",\"price\":" + N(price) + "," + (avg is { } a ? "\"avg_price\":" + N(a) + "," : "")
            + "\"volume\":" + N(volume) + ",\"executed_volume\":" + N(executed) + ",\"trades_count\":1,\"paid_fee\":" + N(fee) + ","
            + (funds is { } f ? "\"executed_funds\":" + N(f) + "," : "") + "\"identifier\":\"" + identifier + "\",\"trade_timestamp\":1710751590421,\"order_timestamp\":1710751590000,\"timestamp\":1710751597500,\"stream_type\":\"REALTIME\"}";
    }

    [Fact]
    public void A_myOrder_fill_of_the_resting_take_profit_closes_the_trade_and_needs_no_executed_funds()
    {
        var live = new Live(new DecisionOptions { RestingTakeProfit = true });
        live.Engine.RestorePosition(live.Btc, 1m, 500_000, 500_000m, 250m);
        var tp = Assert.Single(live.Gateway.Commands, c => c.Kind == OrderCommandKind.LimitSell);
        Assert.Equal(501_500m, tp.Price);

        // Upbit's myOrder "done" for the limit, without executed_funds: the amount comes from avg_price × volume.
        live.Private(MyOrder($"uh-run1-{tp.IntentId}-0", "done", "ASK", "limit", 1, 1, funds: null, avg: 501_500, fee: 250.75m, price: 501_500));

        var trade = Assert.Single(live.Engine.ClosedTrades);
        Assert.True(trade.ExitPrice == 501_500d, trade.ToString());
        Assert.Equal(1_500m - 250m - 250.75m, trade.PnlKrw);
        Assert.DoesNotContain(live.Gateway.Commands, c => c.Kind == OrderCommandKind.MarketSell); // the stop was disarmed
    }

    [Fact]
    public void MyOrder_events_of_other_runs_or_manual_orders_change_nothing()
    {
        var live = new Live(new DecisionOptions { RestingTakeProfit = true });
        live.Engine.RestorePosition(live.Btc, 1m, 500_000, 500_000m, 250m);
        var tp = live.Gateway.Commands.Single(c => c.Kind == OrderCommandKind.LimitSell);
        foreach (var identifier in new[] { $"uh-run0-{tp.IntentId}-0", "manual-order-7", "", $"uh-run1-x{tp.IntentId}-0" })
        {
            live.Private(MyOrder(identifier, "done", "ASK", "limit", 1, 1, funds: 501_500, avg: 501_500, fee: 250.75m));
        }

        Assert.Empty(live.Engine.ClosedTrades);
        Assert.Equal(4, live.Engine.ForeignOrderEvents);
        Assert.Equal(1, live.Engine.Core.OpenPositions);
    }

    [Fact]
    public void A_shutdown_command_through_the_ring_sells_open_positions_and_records_no_bogus_latency()
    {
        var live = new Live(new DecisionOptions());
        live.Engine.RestorePosition(live.Btc, 1m, 500_000, 500_000m, 250m);
        live.Control(ControlCommand.Shutdown); // no receive stamp: once made HdrHistogram throw on the engine thread

        Assert.True(live.Engine.IsShutDown);
        var sell = Assert.Single(live.Gateway.Commands, c => c.Kind == OrderCommandKind.MarketSell);
        Assert.Equal(1m, sell.Volume);
        Assert.Equal(0, live.Engine.TickToDecision.TotalCount);
    }

    [Fact]
    public void Thin_myOrder_events_get_their_amount_from_the_trade_events_of_the_order()
    {
        var live = new Live(new DecisionOptions());
        live.Engine.RestorePosition(live.Btc, 1m, 500_000, 500_000m, 250m);
        live.Trade(1_790_000_000_000, 495_000); // the stop
        var sell = Assert.Single(live.Gateway.Commands, c => c.Kind == OrderCommandKind.MarketSell);
        var id = $"uh-run1-{sell.IntentId}-0";

        // Two fills (trade events carry the fill's own price and volume), then "done" — all without amounts.
        live.Private(MyOrder(id, "trade", "ASK", "market", 0.4m, 0.4m, funds: null, avg: null, fee: 99m, price: 495_000, tradeUuid: "11111111-0000-0000-0000-000000000001"));
        live.Private(MyOrder(id, "trade", "ASK", "market", 0.4m, 0.4m, funds: null, avg: null, fee: 99m, price: 495_000, tradeUuid: "11111111-0000-0000-0000-000000000001")); // repeated
        live.Private(MyOrder(id, "trade", "ASK", "market", 0.6m, 1m, funds: null, avg: null, fee: 247.35m, price: 494_500, tradeUuid: "11111111-0000-0000-0000-000000000002"));
        live.Private(MyOrder(id, "done", "ASK", "market", 1, 1m, funds: null, avg: null, fee: 247.35m));

        var trade = Assert.Single(live.Engine.ClosedTrades);
        Assert.Equal((0.4 * 495_000) + (0.6 * 494_500), trade.ExitPrice, 6); // 494,700: never zero, never dropped
        Assert.Equal(494_700m - 500_000m - 250m - 247.35m, trade.PnlKrw);
    }

    [Fact]
    public void A_done_event_without_any_amount_or_trades_asks_the_exchange_before_booking_the_trade()
    {
        var live = new Live(new DecisionOptions());
        live.Engine.RestorePosition(live.Btc, 1m, 500_000, 500_000m, 250m);
        live.Trade(1_790_000_000_000, 495_000);
        var sell = Assert.Single(live.Gateway.Commands, c => c.Kind == OrderCommandKind.MarketSell);
        live.Private(MyOrder($"uh-run1-{sell.IntentId}-0", "done", "ASK", "market", 1, 1m, funds: null, avg: null, fee: 247.35m));

        // The coins are sold, so nothing is at risk; the P&L waits for the exchange's amount (asked for now).
        Assert.Empty(live.Engine.ClosedTrades);
        Assert.Single(live.Gateway.Commands, c => c.Kind == OrderCommandKind.Refresh && c.TargetIntentId == sell.IntentId);
        live.Answer(new OrderEvent(OrderEventKind.Done, sell.IntentId, live.Btc, null, null, 1m, 494_600m, 247.35m, null));
        var trade = Assert.Single(live.Engine.ClosedTrades);
        Assert.Equal(494_600, trade.ExitPrice);
        Assert.Equal(494_600m - 500_000m - 250m - 247.35m, trade.PnlKrw);
    }

    [Fact]
    public void MyAsset_frames_one_per_currency_as_the_real_recipe_shows_update_free_krw_and_the_coin_exactly()
    {
        var live = new Live(new DecisionOptions());
        var frames = TestSupport.SampleFrames.Load(Path.Combine(AppContext.BaseDirectory, "TestData", "Samples"), "upbit-private-frames.jsonl")
            .Where(f => f.Note!.Contains("recipe", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, frames.Count);
        foreach (var f in frames)
        {
            live.Private(System.Text.Encoding.UTF8.GetString(f.Bytes));
        }

        Assert.Equal(20517.4157543899035m, live.Engine.Core.FreeKrw);
        var xrp = live.Engine.Core.Market(live.Xrp);
        Assert.Equal((1.15580212m, 0m, true), (xrp.ExchangeBalance, xrp.ExchangeLocked, xrp.BalanceKnown));
    }

    [Fact]
    public void A_full_gateway_queue_is_a_recorded_refusal_and_the_position_is_kept()
    {
        var live = new Live(new DecisionOptions());
        live.Engine.RestorePosition(live.Btc, 1m, 500_000, 500_000m, 250m);
        live.Gateway.Refuse = true;
        live.Trade(1_790_000_000_000, 495_000);
        Assert.Equal(1, live.Engine.OrdersRefused);
        var p = live.Engine.Core.Market(live.Btc).Position;
        Assert.Equal((PositionState.Exiting, 1m), (p.State, p.HeldVolume)); // the sell is tried again after the pause
        live.Gateway.Refuse = false;
        live.Trade(1_790_000_001_500, 495_000);
        Assert.Single(live.Gateway.Commands, c => c.Kind == OrderCommandKind.MarketSell);
    }

    [Fact]
    public void Pause_resume_kill_and_status_arrive_as_ring_events()
    {
        var live = new Live(new DecisionOptions());
        live.Engine.RestorePosition(live.Btc, 1m, 500_000, 500_000m, 250m);
        live.Control(ControlCommand.Pause);
        Assert.True(live.Engine.Core.Paused);
        live.Control(ControlCommand.Resume);
        Assert.False(live.Engine.Core.Paused);
        var before = live.Engine.Status.Version;
        live.Control(ControlCommand.Status);
        Assert.Equal(before + 1, live.Engine.Status.Version);
        Assert.Contains("KRW-BTC Open volume 1", live.Engine.Status.Format(), StringComparison.Ordinal);
        live.Control(ControlCommand.KillSwitch);
        Assert.True(live.Engine.KillRequested);
        Assert.Single(live.Gateway.Commands, c => c.Kind == OrderCommandKind.MarketSell);
        Assert.Equal(ExitReason.KillSwitch, live.Engine.Core.Market(live.Btc).Position.ExitReason);
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
