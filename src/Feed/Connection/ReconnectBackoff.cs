namespace UpbitHft.Feed.Connection;

/// <summary>
/// When the feed may connect again: exponential backoff with "equal jitter" after a failure, and never two connection
/// attempts within 250 ms (Upbit allows 5 connection requests a second) whatever the backoff says. Waits run on the
/// injected <see cref="TimeProvider"/>. Used by the feed's connect loop only (one caller).
/// </summary>
internal sealed class ReconnectBackoff
{
    private static readonly TimeSpan s_connectSpacing = TimeSpan.FromMilliseconds(250);

    private readonly FeedOptions _options;
    private readonly TimeProvider _time;
    private readonly Random _jitter;
    private long _lastConnect;
    private bool _connectedBefore;

    public ReconnectBackoff(FeedOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _options = options;
        _time = time;
        _jitter = new Random(options.JitterSeed);
    }

    /// <summary>Waits until 250 ms have passed since the previous attempt, then counts this one.</summary>
    public async Task BeforeConnectAsync(CancellationToken cancel)
    {
        if (_connectedBefore)
        {
            var wait = s_connectSpacing - _time.GetElapsedTime(_lastConnect);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, _time, cancel).ConfigureAwait(false);
            }
        }

        _connectedBefore = true;
        _lastConnect = _time.GetTimestamp();
    }

    /// <summary>
    /// Waits after the <paramref name="failures"/>-th failure in a row: min delay × 2^(failures-1), capped at the max
    /// delay, times a random factor in [0.5, 1). Returns early (without throwing) when <paramref name="cancel"/> fires.
    /// </summary>
    public async Task AfterFailureAsync(int failures, CancellationToken cancel)
    {
        var baseMs = Math.Min(_options.ReconnectMaxDelay.TotalMilliseconds, _options.ReconnectMinDelay.TotalMilliseconds * Math.Pow(2, Math.Min(failures - 1, 16)));
        var delay = TimeSpan.FromMilliseconds(baseMs * (0.5 + (_jitter.NextDouble() * 0.5)));
        try
        {
            await Task.Delay(delay, _time, cancel).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
