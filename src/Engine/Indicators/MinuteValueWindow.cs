namespace UpbitHft.Engine.Indicators;

/// <summary>
/// Traded KRW value per UTC minute in a ring of buckets, with a running sum of the last <c>window</c> completed minutes.
/// Minutes without trades count as 0 (time does not skip here, unlike the candle list). O(1) per trade; advancing
/// over a gap costs one step per skipped minute, capped at the window length.
/// </summary>
/// <remarks>
/// Surge ratio = value of the last completed minute ÷ mean value per minute of the <c>window</c> minutes before it.
/// It is defined once <c>window + 1</c> minutes have completed since the window started.
/// </remarks>
public sealed class MinuteValueWindow
{
    private readonly double[] _buckets; // completed minutes, indexed by minute % length
    private readonly int _window;
    private long _currentMinute = long.MinValue;
    private double _current;
    private double _sumPrevious; // sum of the `window` completed minutes before the last one
    private int _completed;

    /// <summary>Creates a window averaging <paramref name="window"/> minutes.</summary>
    public MinuteValueWindow(int window)
    {
        if (window < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(window), window, "The volume window must be at least 1 minute.");
        }

        _window = window;
        _buckets = new double[window + 1];
    }

    /// <summary>Minutes averaged.</summary>
    public int Window => _window;

    /// <summary>KRW value traded so far in the current minute.</summary>
    public double CurrentMinuteValue => _current;

    /// <summary>Value of the last completed minute (0 until one completed).</summary>
    public double LastMinuteValue => _completed > 0 ? _buckets[(int)((_currentMinute - 1) % _buckets.Length)] : 0;

    /// <summary>Mean value per minute over the window before the last completed minute.</summary>
    public double MeanPrevious => _sumPrevious / _window;

    /// <summary>Whether enough minutes completed for <see cref="SurgeRatio"/>.</summary>
    public bool IsReady => _completed > _window;

    /// <summary>The last minute ÷ the mean of the window before it (0 when not ready or the mean is 0).</summary>
    public double SurgeRatio => IsReady && _sumPrevious > 0 ? LastMinuteValue / MeanPrevious : 0;

    /// <summary>Adds a trade's KRW value at <paramref name="minute"/> (Unix minutes). Earlier minutes than the current are ignored and return false.</summary>
    public bool Add(long minute, double value)
    {
        if (minute != _currentMinute && !AdvanceTo(minute))
        {
            return false;
        }

        _current += value;
        return true;
    }

    /// <summary>Completes minutes up to (not including) <paramref name="minute"/>; false when it is in the past.</summary>
    public bool AdvanceTo(long minute)
    {
        if (_currentMinute == long.MinValue)
        {
            _currentMinute = minute;
            _current = 0;
            return true;
        }

        if (minute < _currentMinute)
        {
            return false;
        }

        var steps = Math.Min(minute - _currentMinute, _buckets.Length + 1);
        for (long i = 0; i < steps; i++)
        {
            Complete(i == 0 ? _current : 0);
        }

        _currentMinute = minute;
        _current = 0;
        return true;
    }

    /// <summary>Seeds a completed minute from history (warm-up); minutes must come oldest first.</summary>
    public void Seed(long minute, double value)
    {
        if (_currentMinute != long.MinValue && minute < _currentMinute)
        {
            return;
        }

        AdvanceTo(minute);
        _current = value;
    }

    private void Complete(double value)
    {
        // The minute that was "last" becomes part of the previous-window sum; the oldest one leaves it.
        var len = _buckets.Length;
        if (_completed > 0)
        {
            _sumPrevious += _buckets[(int)((_currentMinute - 1) % len)];
            if (_completed > _window)
            {
                _sumPrevious -= _buckets[(int)((_currentMinute - 1 - _window) % len)];
            }
        }

        _buckets[(int)(_currentMinute % len)] = value;
        _currentMinute++;
        _completed++;
        if (_sumPrevious < 0)
        {
            _sumPrevious = 0; // floating-point drift must never make the mean negative
        }
    }
}
