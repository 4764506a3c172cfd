using BenchmarkDotNet.Attributes;
using UpbitHft.Engine.Decisions;
using UpbitHft.Engine.Indicators;
using UpbitHft.Engine.Markets;

namespace UpbitHft.Benchmarks.Decision;

/// <summary>
/// Per-event cost of the decision stages, 0 B expected: the incremental RSI update against a naive baseline that
/// recomputes Wilder's RSI over the window on every tick (what a simple bot does), the volume window, and full
/// <see cref="DecisionCore.OnTrade"/> / <see cref="DecisionCore.OnOrderbook"/> passes over 100 warmed-up markets.
/// </summary>
public class DecisionBenchmarks
{
    private const int Markets = 100;
    private readonly double[] _prices = new double[1024];
    private readonly double[] _window = new double[15];
    private WilderRsi _rsi = new(14);
    private MinuteValueWindow _volume = new(20);
    private DecisionCore _core = null!;
    private ActionBuffer _actions = null!;
    private int _i;
    private long _nowMs;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        var p = 500_000.0;
        for (var k = 0; k < _prices.Length; k++)
        {
            p *= 1 + ((random.NextDouble() - 0.5) * 0.002);
            _prices[k] = Math.Round(p);
        }

        for (var k = 0; k < 30; k++)
        {
            _rsi.Update(_prices[k]);
        }

        _core = new DecisionCore(new DecisionOptions(), Markets);
        _actions = new ActionBuffer();
        const long start = 28_333_333L * 60_000;
        var history = new HistoricalCandle[30];
        for (var m = 0; m < Markets; m++)
        {
            for (var k = 0; k < history.Length; k++)
            {
                history[k] = new HistoricalCandle(start + ((k - 30) * 60_000L), 500_000, 500_000, 500_000, _prices[k], 20, 10_000_000);
            }

            _core.SeedFromCandles(m, history);
        }

        _nowMs = start;
    }

    [Benchmark(Baseline = true)]
    public double NaiveRsiRecomputeOnEveryTick()
    {
        // Window of the last 15 closes with the tick as the newest: recompute the 14-period RSI from scratch.
        var i = _i++ & 1023;
        for (var k = 0; k < 14; k++)
        {
            _window[k] = _prices[(i + k) & 1023];
        }

        _window[14] = _prices[(i + 14) & 1023];
        double gain = 0, loss = 0;
        for (var k = 1; k < 15; k++)
        {
            var change = _window[k] - _window[k - 1];
            gain += change > 0 ? change : 0;
            loss += change < 0 ? -change : 0;
        }

        return loss == 0 ? (gain == 0 ? 0 : 100) : 100 - (100 / (1 + (gain / loss)));
    }

    [Benchmark]
    public double RsiIncrementalUpdate()
    {
        _rsi.Update(_prices[_i++ & 1023]);
        return _rsi.Value;
    }

    [Benchmark]
    public double RsiLivePeek() => _rsi.Peek(_prices[_i++ & 1023]);

    [Benchmark]
    public double VolumeWindowAdd()
    {
        var i = _i++;
        _volume.Add(i >> 6, _prices[i & 1023] * 0.01); // a new minute every 64 trades
        return _volume.SurgeRatio;
    }

    [Benchmark]
    public int OnTradeFullPass()
    {
        var i = _i++;
        _nowMs += 7; // a new minute about every 8,500 trades (closes 100 candles then)
        _core.OnTrade((int)((uint)i % Markets), _nowMs, _prices[i & 1023], 0.01, _actions);
        var n = _actions.Count;
        _actions.Clear();
        return n;
    }

    [Benchmark]
    public int OnOrderbookFullPass()
    {
        var i = _i++;
        _core.OnOrderbook((int)((uint)i % Markets), _nowMs, 10 + (i & 7), 12, 499_000, 500_000, _actions);
        var n = _actions.Count;
        _actions.Clear();
        return n;
    }
}
