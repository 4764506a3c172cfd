namespace UpbitHft.Gateway.RateLimits;

/// <summary>
/// One Upbit rate-limit group's budget: at most <see cref="Limit"/> requests in any window of
/// <see cref="WindowMs"/> (10 per second, 1 per 2 s, …). It is a token bucket whose tokens come back exactly one
/// window after they were spent — unlike a bucket refilled at a steady rate, it can never let 2× the limit through
/// across a second boundary, and Upbit counts per second (docs/upbit.md#rate-limits). Non-blocking; time is passed in (ms on a
/// monotonic clock), so it is pure and testable. Not thread-safe: one owner (the gateway's sender).
/// </summary>
public sealed class RateLimiter
{
    // A token in flight counts as spent "in the future" until its request completes.
    private const long Pending = long.MaxValue / 4;

    private readonly long[] _spent; // ring of the times the last `Limit` tokens were spent
    private int _next;
    private int _reduction;
    private long _reducedUntilMs;

    /// <summary>Creates a limiter of <paramref name="limit"/> requests per <paramref name="windowMs"/>.</summary>
    public RateLimiter(string group, int limit, long windowMs = 1000)
    {
        if (limit < 1 || windowMs < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(limit), $"Rate limit of group '{group}' must be at least 1 request per positive window.");
        }

        Group = group;
        Limit = limit;
        WindowMs = windowMs;
        _spent = new long[limit];
        _spent.AsSpan().Fill(long.MinValue / 2);
    }

    public string Group { get; }
    public int Limit { get; }
    public long WindowMs { get; }

    /// <summary>No request before this time (a 418 block, or the rest of the second after a 429).</summary>
    public long BlockedUntilMs { get; private set; } = long.MinValue;

    /// <summary>The limit in force now (lowered for a while after a 429).</summary>
    public int EffectiveLimit(long nowMs) => nowMs < _reducedUntilMs ? Math.Max(1, Limit - _reduction) : Limit;

    /// <summary>Takes a token if one is free at <paramref name="nowMs"/>, counting it as used at that moment.</summary>
    public bool TryAcquire(long nowMs)
    {
        if (!TryAcquire(nowMs, out var slot))
        {
            return false;
        }

        Complete(slot, nowMs);
        return true;
    }

    /// <summary>
    /// Takes a token for a request about to be sent; it stays in use until <see cref="Complete"/> says when the
    /// request's answer came back. Upbit counts requests when they arrive, which is somewhere between sending and the
    /// answer: returning the token one window after the <em>answer</em> is what guarantees the exchange never sees
    /// more than the limit in a window, whatever the network and connection set-up delays.
    /// </summary>
    public bool TryAcquire(long nowMs, out int slot)
    {
        slot = -1;
        if (nowMs < BlockedUntilMs)
        {
            return false;
        }

        // The token that comes back first is the one spent `EffectiveLimit` acquisitions ago.
        var limit = EffectiveLimit(nowMs);
        var oldest = _spent[(_next - limit + Limit) % Limit];
        if (nowMs - oldest < WindowMs)
        {
            return false;
        }

        slot = _next;
        _spent[_next] = Pending;
        _next = (_next + 1) % Limit;
        return true;
    }

    /// <summary>The request that took <paramref name="slot"/> got its answer (or gave up) at <paramref name="nowMs"/>.</summary>
    public void Complete(int slot, long nowMs) => _spent[slot] = nowMs;

    /// <summary>Tokens free at <paramref name="nowMs"/> (0 while blocked): for metrics. Same owner rules as the rest (callers lock).</summary>
    public int Available(long nowMs)
    {
        if (nowMs < BlockedUntilMs)
        {
            return 0;
        }

        var limit = EffectiveLimit(nowMs);
        var free = 0;
        for (var i = 1; i <= limit; i++)
        {
            free += nowMs - _spent[(_next - i + Limit) % Limit] >= WindowMs ? 1 : 0;
        }

        return free;
    }

    /// <summary>The earliest time a token may be free (a hint for waiting in order).</summary>
    public long NextAvailableMs(long nowMs)
    {
        var limit = EffectiveLimit(nowMs);
        var oldest = _spent[(_next - limit + Limit) % Limit];
        return oldest == Pending ? Math.Max(BlockedUntilMs, nowMs + 1) : Math.Max(BlockedUntilMs, Math.Max(nowMs, oldest + WindowMs));
    }

    /// <summary>
    /// Applies the exchange's view from <c>Remaining-Req: …; sec=N</c>: if Upbit says fewer requests remain in this
    /// second than we think, the difference is marked spent now (we never trust ourselves over the exchange).
    /// </summary>
    public void Correct(int remainingInWindow, long nowMs)
    {
        var localFree = 0;
        for (var i = 0; i < Limit; i++)
        {
            localFree += nowMs - _spent[i] >= WindowMs ? 1 : 0;
        }

        // Mark the surplus free tokens spent now. Only free slots may be overwritten: a slot still inside its window
        // records a real request the exchange is counting, and forgetting it would let a token come back too early.
        // Newest first, so the oldest free tokens stay where TryAcquire looks next.
        var extra = localFree - Math.Max(0, remainingInWindow);
        for (var i = 1; i <= Limit && extra > 0; i++)
        {
            var slot = (_next - i + Limit) % Limit;
            if (nowMs - _spent[slot] >= WindowMs)
            {
                _spent[slot] = nowMs;
                extra--;
            }
        }
    }

    /// <summary>HTTP 429: nothing until the next window, then one request per window fewer for a minute.</summary>
    public void OnTooManyRequests(long nowMs)
    {
        BlockedUntilMs = Math.Max(BlockedUntilMs, nowMs + WindowMs);
        _reduction = Math.Min(Limit - 1, _reduction + 1);
        _reducedUntilMs = nowMs + 60_000;
    }

    /// <summary>HTTP 418: the group is blocked until <paramref name="untilMs"/>.</summary>
    public void Block(long untilMs) => BlockedUntilMs = Math.Max(BlockedUntilMs, untilMs);
}
