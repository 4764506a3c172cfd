using UpbitHft.Engine.Decisions;
using UpbitHft.Gateway.Orders;
using static UpbitHft.Engine.Tests.Decisions.CoreHarness;

namespace UpbitHft.Engine.Tests.Decisions;

/// <summary>
/// Random interleavings (seeded, so any failure reproduces) of trades, books, fills, partial fills, rejections,
/// cancels and timers against a toy exchange. After every step: never two exits for one position, never an open
/// position without an armed stop, never more positions than allowed, never more KRW committed than the capital.
/// </summary>
public class DecisionPropertyTests
{
    private sealed record LiveOrder(long Intent, int Market, ActionKind Kind, decimal Amount, decimal Volume)
    {
        public decimal FilledVolume { get; set; }
        public decimal FilledFunds { get; set; }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Random_interleavings_keep_the_invariants(bool restingTakeProfit)
    {
        var totals = new int[3];
        for (var run = 0; run < 150; run++)
        {
            var h = RunOnce(new Random(run * 7919 + (restingTakeProfit ? 1 : 0)), restingTakeProfit);
            totals[0] += h.All.Count(a => a.Kind == ActionKind.SubmitMarketBuy);
            totals[1] += h.All.Count(a => a.Kind == ActionKind.TradeClosed && a.Exit == ExitReason.TakeProfit);
            totals[2] += h.All.Count(a => a.Kind == ActionKind.TradeClosed && a.Exit == ExitReason.StopLoss);
        }

        // The walk must actually reach the interesting states, or the invariants above prove nothing.
        Assert.True(totals[0] > 100, $"only {totals[0]} buys");
        Assert.True(totals[1] > 10 && totals[2] > 10, $"take-profits {totals[1]}, stop-losses {totals[2]}");
    }

    private static CoreHarness RunOnce(Random random, bool resting)
    {
        var options = new DecisionOptions { RestingTakeProfit = resting, CooldownMs = 30_000, MaxConsecutiveLosses = 100, DailyLossLimitKrw = 10_000_000m };
        var h = new CoreHarness(options);
        for (var m = 0; m < 3; m++)
        {
            h.Seed(m);
        }

        var live = new List<LiveOrder>();
        var prices = new[] { 500_000.0, 500_000.0, 500_000.0 };
        var now = Minute(0);
        var closedPerEntry = new Dictionary<long, int>();
        for (var step = 0; step < 400; step++)
        {
            now += random.Next(1, 4_000);
            List<DecisionAction> actions;
            var choice = random.Next(10);
            if (choice < 4 || (choice >= 7 && live.Count == 0))
            {
                var m = random.Next(3);
                prices[m] = Math.Max(1_000, prices[m] * (1 + ((random.NextDouble() - 0.5) * 0.008)));
                actions = h.Trade(m, now, Math.Round(prices[m]), random.Next(4) == 0 ? 150 : 0.05);
            }
            else if (choice < 6)
            {
                var m = random.Next(3);
                actions = h.Book(m, now, random.Next(1, 30), random.Next(1, 30));
            }
            else if (choice < 7)
            {
                actions = h.Timer(now);
            }
            else
            {
                actions = Answer(h, live[random.Next(live.Count)], live, random, prices, now);
            }

            foreach (var a in actions)
            {
                switch (a.Kind)
                {
                    case ActionKind.SubmitMarketBuy:
                        live.Add(new LiveOrder(a.IntentId, a.MarketId, a.Kind, a.AmountKrw, 0));
                        break;
                    case ActionKind.SubmitMarketSell:
                        // Never two exit orders out at once for one position.
                        Assert.DoesNotContain(live, o => o.Market == a.MarketId && o.Kind == ActionKind.SubmitMarketSell);
                        live.Add(new LiveOrder(a.IntentId, a.MarketId, a.Kind, 0, a.Volume));
                        break;
                    case ActionKind.SubmitLimitSell:
                        live.Add(new LiveOrder(a.IntentId, a.MarketId, a.Kind, a.LimitPrice, a.Volume));
                        break;
                    case ActionKind.TradeClosed:
                        var entry = h.All.Last(x => x.Kind == ActionKind.SubmitMarketBuy && x.MarketId == a.MarketId).IntentId;
                        closedPerEntry[entry] = closedPerEntry.GetValueOrDefault(entry) + 1;
                        Assert.Equal(1, closedPerEntry[entry]); // one exit per position
                        break;
                }
            }

            // Invariants after every step.
            Assert.True(h.Core.OpenPositions <= options.MaxPositions);
            Assert.True(h.Core.FreeKrw >= -0.01m, $"free KRW went negative: {h.Core.FreeKrw}");
            var committed = live.Where(o => o.Kind == ActionKind.SubmitMarketBuy).Sum(o => o.Amount);
            Assert.True(committed <= options.CapitalKrw + h.Core.RealizedPnlKrw + 1, "buys beyond the capital");
            for (var m = 0; m < 3; m++)
            {
                var p = h.Core.Market(m).Position;
                if (p.State == PositionState.Open)
                {
                    Assert.True(p.StopArmed, "an open position without an armed stop");
                    Assert.True(p.HeldVolume > 0);
                }
            }
        }

        return h;
    }

    private static List<DecisionAction> Answer(CoreHarness h, LiveOrder order, List<LiveOrder> live, Random random, double[] prices, long now)
    {
        var price = (decimal)prices[order.Market];
        var fee = 0.0005m;
        switch (order.Kind)
        {
            case ActionKind.SubmitMarketBuy:
                switch (random.Next(4))
                {
                    case 0:
                        live.Remove(order);
                        return h.Update(order.Intent, OrderEventKind.Rejected, ms: now, reason: "insufficient_funds_bid", error: UpbitHft.Gateway.Errors.UpbitErrorCode.InsufficientFunds);
                    case 1:
                        var partialFunds = Math.Round(order.Amount * 0.4m, 0);
                        order.FilledFunds = Math.Max(order.FilledFunds, partialFunds);
                        order.FilledVolume = Math.Round(order.FilledFunds / price, 8);
                        return h.Update(order.Intent, OrderEventKind.Fill, order.FilledVolume, order.FilledFunds, order.FilledFunds * fee, now);
                    default:
                        live.Remove(order);
                        var funds = order.Amount - random.Next(0, 3); // may end `cancel` with a small remainder
                        var volume = Math.Round(funds / price, 8);
                        return h.Update(order.Intent, funds == order.Amount ? OrderEventKind.Done : OrderEventKind.Cancelled, volume, funds, funds * fee, now);
                }

            case ActionKind.SubmitMarketSell:
                live.Remove(order);
                if (random.Next(5) == 0)
                {
                    return h.Update(order.Intent, OrderEventKind.Rejected, ms: now, reason: "market_offline", error: UpbitHft.Gateway.Errors.UpbitErrorCode.MarketOffline);
                }

                var sold = order.Volume * price;
                return h.Update(order.Intent, OrderEventKind.Done, order.Volume, sold, sold * fee, now);

            default: // resting limit sell: fill partly, fill fully, or get cancelled (the engine may have asked)
                var cancelAsked = h.All.Any(a => a.Kind == ActionKind.CancelOrder && a.TargetIntentId == order.Intent);
                if (cancelAsked || random.Next(3) == 0)
                {
                    live.Remove(order);
                    return h.Update(order.Intent, OrderEventKind.Cancelled, order.FilledVolume, order.FilledFunds, order.FilledFunds * fee, now);
                }

                if (random.Next(2) == 0)
                {
                    order.FilledVolume = Math.Round(order.Volume / 3, 8);
                    order.FilledFunds = order.FilledVolume * order.Amount;
                    return h.Update(order.Intent, OrderEventKind.Fill, order.FilledVolume, order.FilledFunds, order.FilledFunds * fee, now);
                }

                live.Remove(order);
                return h.Update(order.Intent, OrderEventKind.Done, order.Volume, order.Volume * order.Amount, order.Volume * order.Amount * fee, now);
        }
    }
}
