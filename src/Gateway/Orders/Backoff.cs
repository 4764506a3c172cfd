namespace UpbitHft.Gateway.Orders;

/// <summary>A capped exponential delay: each <see cref="Next"/> doubles the delay up to the cap; <see cref="Reset"/> starts again.</summary>
public struct Backoff
{
    private readonly TimeSpan _initial;
    private readonly TimeSpan _max;
    private TimeSpan _next;

    public Backoff(TimeSpan initial, TimeSpan max)
    {
        _initial = initial;
        _max = max;
        _next = initial;
    }

    /// <summary>The delay to wait now; the following one is twice as long, at most the cap.</summary>
    public TimeSpan Next()
    {
        var current = _next;
        _next = TimeSpan.FromTicks(Math.Min(_max.Ticks, current.Ticks * 2));
        return current;
    }

    /// <summary>Back to the initial delay (after progress).</summary>
    public void Reset() => _next = _initial;
}
