namespace UpbitHft.Feed.Connection;

/// <summary>
/// Upbit counts subscription messages per connection: at most 5 a second and 100 a minute. <see cref="WaitAsync"/>
/// returns when one more message fits both sliding windows, and counts it as sent. One caller at a time (the feed
/// calls it under its send lock).
/// </summary>
/// <remarks>
/// A small limiter over <see cref="TimeProvider"/> rather than System.Threading.RateLimiting: that package's limiters
/// (checked with 11.0.0) read <see cref="System.Diagnostics.Stopwatch"/> themselves, and even with
/// AutoReplenishment off a manual <c>TryReplenish()</c> does nothing until a real segment interval has passed, so
/// they cannot run on a <c>FakeTimeProvider</c> (taking TimeProvider is an open API proposal, dotnet/runtime#106447).
/// The windows here are exact (a log of the last sends), where the package's sliding window works in segments.
/// </remarks>
internal sealed class SubscriptionThrottle
{
    private readonly TimeProvider _time;
    private readonly SendLog _perSecond = new(5, TimeSpan.FromSeconds(1));
    private readonly SendLog _perMinute = new(100, TimeSpan.FromMinutes(1));

    public SubscriptionThrottle(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
    }

    /// <summary>Waits (on the injected clock) until one more message fits both windows, then records it.</summary>
    public async Task WaitAsync(CancellationToken cancel)
    {
        while (true)
        {
            var now = _time.GetTimestamp();
            var wait = TimeSpan.FromTicks(Math.Max(_perMinute.WaitBefore(now, _time).Ticks, _perSecond.WaitBefore(now, _time).Ticks));
            if (wait <= TimeSpan.Zero)
            {
                _perSecond.Record(now);
                _perMinute.Record(now);
                return;
            }

            await Task.Delay(wait, _time, cancel).ConfigureAwait(false);
        }
    }

    /// <summary>The send times of the last <c>limit</c> messages, oldest next to be overwritten.</summary>
    private sealed class SendLog(int limit, TimeSpan window)
    {
        private readonly long[] _sends = new long[limit];
        private int _count;
        private int _oldest;

        /// <summary>Zero while fewer than <c>limit</c> were sent; else until the oldest of them leaves the window.</summary>
        public TimeSpan WaitBefore(long now, TimeProvider time) =>
            _count < _sends.Length ? TimeSpan.Zero : window - time.GetElapsedTime(_sends[_oldest], now);

        public void Record(long now)
        {
            _sends[_oldest] = now;
            _oldest = (_oldest + 1) % _sends.Length;
            _count = Math.Min(_count + 1, _sends.Length);
        }
    }
}
