namespace UpbitHft.Engine.Indicators;

/// <summary>
/// Wilder's RSI over closes, updated in O(1) with no allocation. Seed: the simple mean of the first
/// <see cref="Period"/> gains and losses (first value after Period + 1 closes, like TA-Lib's <c>TA_RSI</c>); then
/// Wilder smoothing <c>avg = (avg × (n − 1) + x) / n</c>.
/// </summary>
/// <remarks>
/// Flat-window convention: when both averages are 0 (no change at all over the window) the RSI is <b>0</b>, as in
/// TA-Lib (trading-signals would say 100). For this engine that is the conservative choice: a market that has not
/// moved does not pass the "RSI ≥ 30" entry rule. When only the average loss is 0 the RSI is 100.
/// A mutable struct on purpose: it lives inside per-market state arrays and is updated in place.
/// </remarks>
public struct WilderRsi
{
    private double _avgGain;
    private double _avgLoss;
    private double _lastClose;
    private double _seedGain;
    private double _seedLoss;
    private int _count; // closes seen

    /// <summary>Creates an RSI of <paramref name="period"/> closes.</summary>
    public WilderRsi(int period)
    {
        if (period < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(period), period, "The RSI period must be at least 1.");
        }

        Period = period;
    }

    /// <summary>Closes per average.</summary>
    public int Period { get; }

    /// <summary>Closes needed before <see cref="Value"/> is defined: Period + 1.</summary>
    public readonly int WarmupPeriod => Period + 1;

    /// <summary>Whether <see cref="Value"/> is defined.</summary>
    public readonly bool IsReady => _count > Period;

    /// <summary>Closes committed so far.</summary>
    public readonly int Samples => _count;

    /// <summary>The last committed close.</summary>
    public readonly double LastClose => _lastClose;

    /// <summary>The RSI of the committed closes (NaN until ready).</summary>
    public readonly double Value => IsReady ? Rsi(_avgGain, _avgLoss) : double.NaN;

    /// <summary>Commits a close (a finished 1-minute candle).</summary>
    public void Update(double close)
    {
        if (_count == 0)
        {
            _lastClose = close;
            _count = 1;
            return;
        }

        var change = close - _lastClose;
        var gain = change > 0 ? change : 0;
        var loss = change < 0 ? -change : 0;
        _lastClose = close;
        if (_count <= Period)
        {
            _seedGain += gain;
            _seedLoss += loss;
            if (_count == Period)
            {
                _avgGain = _seedGain / Period;
                _avgLoss = _seedLoss / Period;
            }
        }
        else
        {
            _avgGain = ((_avgGain * (Period - 1)) + gain) / Period;
            _avgLoss = ((_avgLoss * (Period - 1)) + loss) / Period;
        }

        _count++;
    }

    /// <summary>
    /// The live RSI if <paramref name="provisionalClose"/> were the next close (the current minute's last trade),
    /// without changing the committed state. NaN until the committed closes are ready.
    /// </summary>
    public readonly double Peek(double provisionalClose)
    {
        if (!IsReady)
        {
            return double.NaN;
        }

        var change = provisionalClose - _lastClose;
        var gain = change > 0 ? change : 0;
        var loss = change < 0 ? -change : 0;
        return Rsi(((_avgGain * (Period - 1)) + gain) / Period, ((_avgLoss * (Period - 1)) + loss) / Period);
    }

    /// <summary>Forgets every close.</summary>
    public void Reset() => this = new WilderRsi(Period);

    private static double Rsi(double avgGain, double avgLoss)
    {
        if (avgLoss == 0)
        {
            return avgGain == 0 ? 0 : 100; // flat window → 0 (see remarks)
        }

        return 100 - (100 / (1 + (avgGain / avgLoss)));
    }
}
