using UpbitHft.Engine.Decisions;
using UpbitHft.Engine.Execution;
using UpbitHft.Engine.Tests.Decisions;
using UpbitHft.Gateway.Orders;

namespace UpbitHft.Engine.Tests.Execution;

/// <summary>The engine posting the entries it foresees (<see cref="EntryHints"/>) for the gateway thread to sign ahead.</summary>
public class GatewayHintTests
{
    private sealed class Reader(EntryHints hints)
    {
        private readonly EntryHint[] _read = new EntryHint[4];
        private long _seen;

        /// <summary>The newest set when it changed since the last read, else null.</summary>
        public List<EntryHint>? Next() => hints.TryRead(_read, ref _seen, out var n) ? [.. _read.AsSpan(0, n)] : null;
    }

    private static (LiveEngineEventTests.Live Live, EntryHints Hints, Reader Reader) Seeded()
    {
        var live = new LiveEngineEventTests.Live(new DecisionOptions());
        live.Engine.Core.SeedFromCandles(live.Btc, CoreHarness.History());
        live.Engine.Core.SeedFromCandles(live.Xrp, CoreHarness.History());
        var hints = new EntryHints();
        live.Engine.AttachHints(hints);
        return (live, hints, new Reader(hints));
    }

    [Fact]
    public void The_candidates_entries_are_posted_when_they_change_and_the_trigger_then_sends_exactly_the_posted_buy()
    {
        var (live, hints, reader) = Seeded();

        live.Trade(CoreHarness.Minute(0) + 1_000, 500_000); // any event: both candidates' entries are posted
        var first = reader.Next()!;
        Assert.Equal([live.Btc, live.Xrp], first.Select(h => h.MarketId).Order());
        Assert.All(first, h => Assert.Equal((1L, 500_000m), (h.IntentId, h.AmountKrw)));
        Assert.Equal(2, live.Engine.EntriesForeseen);

        live.Trade(CoreHarness.Minute(0) + 1_001, 500_000, volume: 200); // the surge; what would be sent is unchanged
        live.Trade(CoreHarness.Minute(0) + 1_002, 500_000);
        Assert.Null(reader.Next());
        Assert.Equal(1, hints.Posted);
        Assert.Empty(live.Gateway.Commands); // nothing of it went onto the order path

        live.Book(CoreHarness.Minute(1) + 500);
        live.Trade(CoreHarness.Minute(1) + 1_000, 500_000); // the trigger
        var buy = Assert.Single(live.Gateway.Commands, c => c.Kind == OrderCommandKind.MarketBuy);
        var hint = first.Single(h => h.MarketId == buy.MarketId);
        Assert.Equal((hint.IntentId, hint.Market, hint.AmountKrw), (buy.IntentId, buy.Market, buy.AmountKrw));

        // In the same event: the other candidate alone, under the next intent and with the capital left.
        var other = Assert.Single(reader.Next()!);
        Assert.NotEqual(buy.MarketId, other.MarketId);
        Assert.Equal(buy.IntentId + 1, other.IntentId);
        Assert.True(other.AmountKrw < 500_000m);
        Assert.Equal(3, live.Engine.EntriesForeseen);

        // The fill moves the free KRW again: the entry is posted again at once (an answer event, no market time passing).
        live.Answer(new OrderEvent(OrderEventKind.Done, buy.IntentId, buy.MarketId, $"uh-run1-{buy.IntentId}-0", null, 1m, 499_000m, 249.5m, null));
        var afterFill = Assert.Single(reader.Next()!);
        Assert.Equal((other.MarketId, other.IntentId), (afterFill.MarketId, afterFill.IntentId));
        Assert.True(afterFill.AmountKrw > other.AmountKrw, $"{afterFill.AmountKrw} after the fill, {other.AmountKrw} before"); // the buy cost less than was held back
    }

    [Fact]
    public void When_entries_stop_an_empty_set_is_posted_and_no_hints_means_nothing_is_worked_out()
    {
        var (live, _, reader) = Seeded();
        live.Trade(CoreHarness.Minute(0) + 1_000, 500_000);
        Assert.Equal(2, reader.Next()!.Count);
        live.Control(UpbitHft.Engine.Ring.ControlCommand.Pause);
        Assert.Empty(reader.Next()!);

        var bare = new LiveEngineEventTests.Live(new DecisionOptions()); // no hints attached: the engine works nothing out
        bare.Engine.Core.SeedFromCandles(bare.Btc, CoreHarness.History());
        bare.Trade(CoreHarness.Minute(0) + 1_000, 500_000);
        Assert.Equal(0, bare.Engine.EntriesForeseen);
    }
}
