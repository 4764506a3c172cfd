using System.Globalization;
using UpbitHft.Gateway.Errors;
using UpbitHft.Gateway.RateLimits;

namespace UpbitHft.Gateway.Rest;

/// <summary>The client's side of Upbit's rate limits: waiting for a group's token, and what answers say (Remaining-Req, 429, 418).</summary>
public sealed partial class UpbitRestClient
{
    /// <summary>
    /// Waits in order for a token of the group's budget (the gate keeps callers of one group in line); a token
    /// further away than <see cref="UpbitRestOptions.MaxRateLimitWait"/> refuses the request. Completes at once,
    /// on the caller's thread, when a token is free.
    /// </summary>
    private async ValueTask<(int Slot, UpbitError? Refused)> AcquireAsync(string group, CancellationToken cancel)
    {
        var gate = _gates[group];
        var limiter = _limiters[group];
        int slot;
        await gate.WaitAsync(cancel).ConfigureAwait(false);
        try
        {
            var deadline = NowMs + (long)_options.MaxRateLimitWait.TotalMilliseconds;
            while (!TryTake(limiter, out slot))
            {
                long next;
                lock (limiter)
                {
                    next = limiter.NextAvailableMs(NowMs);
                }

                if (next > deadline)
                {
                    return (-1, new UpbitError(UpbitErrorCode.NotSent, 0, "rate_limit_wait",
                        string.Create(CultureInfo.InvariantCulture, $"group '{group}' has no budget for {next - NowMs} ms; request refused by policy")));
                }

                await Task.Delay(TimeSpan.FromMilliseconds(Math.Max(1, next - NowMs)), _time, cancel).ConfigureAwait(false);
            }
        }
        finally
        {
            gate.Release();
        }

        return (slot, null);
    }

    private bool TryTake(RateLimiter limiter, out int slot)
    {
        lock (limiter)
        {
            return limiter.TryAcquire(NowMs, out slot);
        }
    }

    private void ApplyRateLimitHeaders(string group, HttpResponseMessage response) =>
        ApplyRemainingReq(group, response.Headers.TryGetValues("Remaining-Req", out var values) ? string.Join(",", values) : null);

    /// <summary>Applies an answer's <c>Remaining-Req</c> (null: the answer had none) to its group's limiter.</summary>
    private void ApplyRemainingReq(string group, string? header)
    {
        if (header is null)
        {
            return;
        }

        if (RemainingReq.TryParse(header, out var reportedGroup, out var remaining) && _limiters.TryGetValue(reportedGroup, out var limiter))
        {
            lock (limiter)
            {
                limiter.Correct(remaining, NowMs);
            }
        }
        else
        {
            _log($"gateway: unusable Remaining-Req header on a '{group}' response: {header}");
        }
    }

    private UpbitError OnError(string group, HttpResponseMessage response, string body) =>
        OnError(group, (int)response.StatusCode, response.Headers.RetryAfter?.Delta, body);

    /// <summary>An error answer: 429 lowers the group's rate, 418 stops every group for the block's length.</summary>
    private UpbitError OnError(string group, int status, TimeSpan? retryAfter, string body)
    {
        var error = UpbitError.FromResponse(status, body);
        var limiter = _limiters[group];
        if (error.Code == UpbitErrorCode.RateLimited)
        {
            RateLimitHits++;
            Interlocked.Increment(ref _tooManyRequests);
            lock (limiter)
            {
                limiter.OnTooManyRequests(NowMs);
            }

            _log($"gateway: 429 Too Many Requests on group '{group}': waiting for the next second and lowering the rate");
        }
        else if (error.Code == UpbitErrorCode.Blocked)
        {
            RateLimitHits++;
            Interlocked.Increment(ref _blocked);
            var block = retryAfter ?? _options.DefaultBlock;
            // Upbit may block by IP, account or connection (docs/upbit.md#rate-limits), not only the group that tripped: stop every group.
            var until = NowMs + (long)block.TotalMilliseconds;
            foreach (var l in _limiters.Values)
            {
                lock (l)
                {
                    l.Block(until);
                }
            }

            _log($"gateway: *** 418 BLOCKED by Upbit (on group '{group}') for {block.TotalSeconds:0} s — every request is stopped until then ***");
        }

        return error;
    }
}
