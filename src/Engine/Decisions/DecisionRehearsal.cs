using UpbitHft.Engine.Markets;
using UpbitHft.Gateway.Orders;

namespace UpbitHft.Engine.Decisions;

/// <summary>
/// A scratch <see cref="DecisionCore"/> taken through two whole trades at start-up — a surge, the buy, its fill, the
/// take-profit exit; a second buy, the stop-loss exit — with the options' own exits (a resting take-profit or not),
/// every order answered at once as filled. Nothing leaves it: its actions are read here and dropped. The live engine's
/// first entry used to take 0.4-0.5 ms on the engine thread against 8-12 µs for the next one, most of it the first
/// decimal arithmetic of the run (CoreLib code whose call sites resolve on their first call, which compiling the
/// engine's own methods ahead does not reach); this runs all of that before the first tick (perf-reports/latency.md).
/// </summary>
public static class DecisionRehearsal
{
    private const long T = 28_333_333L * 60_000; // a minute boundary; the scratch core's own clock
    private const double Price = 500_000;

    /// <summary>
    /// Runs the two trades on a scratch core with <paramref name="options"/>' exits and amounts; returns the orders it
    /// decided, in order (<see cref="Complete"/> tells whether both trades were made).
    /// </summary>
    public static IReadOnlyList<(ActionKind Kind, ExitReason Exit)> Run(DecisionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var defaults = new DecisionOptions();

        // The entry gates at their defaults (and no cooldown): thresholds change which answer a comparison gives, not
        // which code runs, and the rehearsal must trade whatever they are. The exits are the options' own.
        var o = options with
        {
            RsiPeriod = defaults.RsiPeriod, RsiMin = defaults.RsiMin, SurgeMin = defaults.SurgeMin, SurgeWindowMinutes = defaults.SurgeWindowMinutes, LiquidityFloorKrwPerMinute = 0,
            BookFreshnessMs = defaults.BookFreshnessMs, CooldownMs = 0, CapitalKrw = 1_000_000m, MinOrderKrw = defaults.MinOrderKrw,
            DailyLossLimitKrw = 1_000_000m, MaxConsecutiveLosses = 100,
        };
        var core = new DecisionCore(o, 3);
        core.SetFreeKrw(o.CapitalKrw);
        Span<HistoricalCandle> candles = stackalloc HistoricalCandle[25];
        for (var m = 0; m < 3; m++)
        {
            for (var i = 0; i < candles.Length; i++)
            {
                // Closes that zig-zag upward (RSI ≈ 67), 10M KRW traded a minute.
                var close = (Price * (1 + (0.0004 * (i - 24)))) - (i % 3 == 2 ? Price * 0.0006 : 0);
                candles[i] = new HistoricalCandle(Minute(i - 25), close, close, close, close, 10_000_000 / close, 10_000_000);
            }

            core.SeedFromCandles(m, candles);
        }

        var x = new ScratchExchange(core);
        x.Step(Minute(0) + 1_000, Price, b => core.OnTrade(0, Minute(0) + 1_000, Price, 100_000_000 / Price, b)); // a surge: 10× the average minute
        for (var round = 0; round < 2; round++)
        {
            var start = Minute(1 + (round * 2));
            x.Step(start + 500, Price, b => core.OnOrderbook(0, start + 500, 20, 10, Price - 100, Price, b)); // bid > ask
            x.Step(start + 1_000, Price, b => core.OnTrade(0, start + 1_000, Price, 0.01, b)); // the buy
            // Past the take-profit (with its slippage buffer), then past the stop, wherever the options put them.
            var exit = round == 0 ? Price * (1 + o.TakeProfit + o.SlippageBuffer) * 1.001 : Price * (1 - o.StopLoss) * 0.999;
            x.Step(start + 2_000, exit, b => core.OnTrade(0, start + 2_000, exit, 0.01, b));
            x.Step(start + 3_000, exit, b => core.OnTimer(start + 3_000, b));
        }

        return x.Orders;
    }

    /// <summary>Whether <paramref name="orders"/> hold both trades: two buys, a take-profit exit and a stop-loss sell.</summary>
    public static bool Complete(IReadOnlyList<(ActionKind Kind, ExitReason Exit)> orders)
    {
        ArgumentNullException.ThrowIfNull(orders);
        var buys = orders.Count(o => o.Kind == ActionKind.SubmitMarketBuy);
        var takeProfit = orders.Any(o => o.Exit == ExitReason.TakeProfit || o.Kind == ActionKind.SubmitLimitSell);
        var stop = orders.Any(o => o.Exit == ExitReason.StopLoss);
        return buys == 2 && takeProfit && stop;
    }

    private static long Minute(int m) => T + (m * 60_000L);

    /// <summary>
    /// An exchange that fills market orders at once at the step's price, rests limit sells until the price reaches
    /// them, and cancels what it is asked to; every answer goes straight back to the core.
    /// </summary>
    private sealed class ScratchExchange(DecisionCore core)
    {
        private readonly ActionBuffer _decided = new();
        private readonly ActionBuffer _next = new();
        private readonly List<DecisionAction> _resting = [];

        public List<(ActionKind Kind, ExitReason Exit)> Orders { get; } = [];

        public void Step(long nowMs, double price, Action<ActionBuffer> input)
        {
            input(_decided);
            for (var i = _resting.Count - 1; i >= 0; i--)
            {
                if ((decimal)price >= _resting[i].LimitPrice)
                {
                    Fill(_resting[i], _resting[i].LimitPrice, nowMs);
                    _resting.RemoveAt(i);
                }
            }

            MoveNext();
            for (var guard = 0; guard < 8 && _decided.Count > 0; guard++)
            {
                foreach (var a in _decided.AsSpan())
                {
                    switch (a.Kind)
                    {
                        case ActionKind.SubmitMarketBuy or ActionKind.SubmitMarketSell:
                            Fill(a, (decimal)price, nowMs);
                            break;
                        case ActionKind.SubmitLimitSell:
                            Orders.Add((a.Kind, a.Exit));
                            _resting.Add(a);
                            core.OnOrderUpdate(new OrderUpdate { IntentId = a.IntentId, Kind = OrderEventKind.Accepted, TimestampMs = nowMs }, _next);
                            break;
                        case ActionKind.CancelOrder:
                            _resting.RemoveAll(r => r.IntentId == a.TargetIntentId);
                            core.OnOrderUpdate(new OrderUpdate { IntentId = a.TargetIntentId, Kind = OrderEventKind.Cancelled, TimestampMs = nowMs }, _next);
                            break;
                    }
                }

                _decided.Clear();
                MoveNext();
            }

            _decided.Clear();
        }

        /// <summary>What the core decided on the answers becomes the next round's input.</summary>
        private void MoveNext()
        {
            foreach (var a in _next.AsSpan())
            {
                _decided.Add(a.Kind, a.MarketId) = a;
            }

            _next.Clear();
        }

        private void Fill(in DecisionAction a, decimal price, long nowMs)
        {
            if (a.Kind != ActionKind.SubmitLimitSell)
            {
                Orders.Add((a.Kind, a.Exit));
            }

            var buy = a.Kind == ActionKind.SubmitMarketBuy;
            var volume = buy ? Math.Round(a.AmountKrw / price, 8) : a.Volume;
            var funds = buy ? a.AmountKrw : Math.Round(volume * price, 0);
            core.OnOrderUpdate(new OrderUpdate
            {
                IntentId = a.IntentId, Kind = OrderEventKind.Done, ExecutedVolume = volume, ExecutedFunds = funds,
                PaidFee = Math.Round(funds * 0.0005m, 4), TimestampMs = nowMs + 1,
            }, _next);
        }
    }
}
