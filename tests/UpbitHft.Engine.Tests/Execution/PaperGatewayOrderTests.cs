using UpbitHft.Engine.Decisions;
using UpbitHft.Engine.Execution;
using UpbitHft.Engine.Journal;
using UpbitHft.Feed.Markets;
using UpbitHft.Gateway.Orders;
using UpbitHft.Gateway.Paper;

namespace UpbitHft.Engine.Tests.Execution;

/// <summary>Where an order's decision record goes relative to the order itself, for the bare paper exchange and for a gateway put in front of it.</summary>
public sealed class PaperGatewayOrderTests
{
    private sealed class Probe(IOrderGateway next) : IOrderGateway
    {
        public List<OrderCommandKind> Seen { get; } = [];

        public bool TrySubmit(in OrderCommand command)
        {
            Seen.Add(command.Kind);
            return next.TrySubmit(command);
        }
    }

    /// <summary>
    /// A paper engine holding a position the paper exchange really has the coins of (bought before the engine starts);
    /// restoring it places the resting take-profit. Returns the journal's records in order, and the probe when one is put in front.
    /// </summary>
    private static async Task<(List<string> Records, Probe? Probe, PaperExchange Paper)> RestoreAsync(bool gatewayInFront)
    {
        await using var journal = new JournalWriter(null, null);
        var records = new System.Collections.Concurrent.ConcurrentQueue<string>();
        journal.Observe(e => records.Enqueue(e.Kind == JournalKind.Decision ? $"decision {e.Action.Kind}" : $"{e.Kind} {e.Update.Kind}"));
        var markets = new MarketTable(8);
        var btc = markets.GetOrAdd("KRW-BTC");
        var paper = new PaperExchange(8, new PaperExchangeOptions { InitialKrw = 1_000_000m });
        paper.OnOrderbook(btc, [500_000], [10], [499_000], [10]);
        Assert.Null(paper.MarketBuy(999, btc, 500_000m).RejectReason);
        var engine = new TradingEngine(new DecisionCore(new DecisionOptions { RestingTakeProfit = true }, 8), paper, markets, journal);
        var probe = gatewayInFront ? new Probe(engine.PaperGateway!) : null;
        if (probe is not null)
        {
            engine.AttachGateway(probe);
        }

        engine.RestorePosition(btc, paper.Coins(btc), 500_000, 500_000m, 250m);
        await TestSupport.Eventually.TrueAsync(() => records.Count >= 3, TimeSpan.FromSeconds(10), "the records");
        return ([.. records], probe, paper);
    }

    [Fact]
    public async Task An_order_for_a_gateway_in_front_of_the_paper_exchange_leaves_before_its_decision_is_journaled()
    {
        var (records, probe, paper) = await RestoreAsync(gatewayInFront: true);

        Assert.Equal(OrderCommandKind.LimitSell, Assert.Single(probe!.Seen));
        Assert.Equal(1, paper.RestingCount); // the paper exchange behind the probe still got the order
        // As live: the order went out first, so the paper exchange's synchronous answer is journaled before the decision.
        var answer = records.FindIndex(r => r.StartsWith(nameof(JournalKind.OrderEvent), StringComparison.Ordinal));
        var decision = records.IndexOf($"decision {ActionKind.SubmitLimitSell}");
        Assert.True(answer >= 0 && decision > answer, string.Join(", ", records));
    }

    [Fact]
    public async Task The_bare_paper_exchange_hears_of_an_order_after_its_decision_is_journaled()
    {
        var (records, _, paper) = await RestoreAsync(gatewayInFront: false);

        Assert.Equal(1, paper.RestingCount);
        // Decision first, then the paper exchange's synchronous answer: the answer never precedes its decision.
        var answer = records.FindIndex(r => r.StartsWith(nameof(JournalKind.OrderEvent), StringComparison.Ordinal));
        Assert.True(answer > 0, string.Join(", ", records));
        Assert.Equal($"decision {ActionKind.SubmitLimitSell}", records[answer - 1]);
    }
}
