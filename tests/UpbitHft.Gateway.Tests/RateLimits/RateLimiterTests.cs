using UpbitHft.Gateway.RateLimits;

namespace UpbitHft.Gateway.Tests.RateLimits;

public class RateLimiterTests
{
    [Fact]
    public void A_burst_of_hundreds_gets_exactly_the_limit_per_second()
    {
        var limiter = new RateLimiter("order", 8);
        var grantedPerSecond = new int[5];
        for (long now = 0; now < 5_000; now++)
        {
            for (var k = 0; k < 3; k++)
            {
                if (limiter.TryAcquire(now))
                {
                    grantedPerSecond[now / 1000]++;
                }
            }
        }

        Assert.All(grantedPerSecond, n => Assert.Equal(8, n));
    }

    [Fact]
    public void Remaining_req_correction_429_and_418()
    {
        var limiter = new RateLimiter("default", 30);
        limiter.Correct(remainingInWindow: 2, nowMs: 0); // Upbit says only 2 left this second
        Assert.True(limiter.TryAcquire(1));
        Assert.True(limiter.TryAcquire(2));
        Assert.False(limiter.TryAcquire(3));
        Assert.True(limiter.TryAcquire(1_000));

        limiter.OnTooManyRequests(1_500);
        Assert.False(limiter.TryAcquire(2_000)); // wait for the next window
        Assert.Equal(29, limiter.EffectiveLimit(2_600));
        Assert.Equal(30, limiter.EffectiveLimit(62_000));

        limiter.Block(100_000);
        Assert.False(limiter.TryAcquire(99_999));
        Assert.True(limiter.TryAcquire(100_000));
        Assert.Equal(100_000, new RateLimiter("x", 1).NextAvailableMs(100_000));
    }

    [Fact]
    public void A_correction_never_forgets_a_request_the_exchange_is_still_counting()
    {
        // The client believes 20/s; the exchange allows 3 and says so in each answer's sec=N. The second request is
        // slow to go out (100 ms), so the exchange counts it until 1,100: no phantom token may come back earlier.
        var limiter = new RateLimiter("market", 20);
        var exchange = new Queue<long>();
        var sent = 0;
        bool TrySend(long t)
        {
            if (!limiter.TryAcquire(t, out var slot))
            {
                return false;
            }

            while (exchange.Count > 0 && t - exchange.Peek() >= 1000)
            {
                exchange.Dequeue();
            }

            Assert.True(exchange.Count < 3, $"the exchange would refuse the request at {t}");
            exchange.Enqueue(t);
            sent++;
            limiter.Complete(slot, t);
            limiter.Correct(3 - exchange.Count, t);
            return true;
        }

        Assert.True(TrySend(0));
        Assert.True(TrySend(100));
        Assert.True(TrySend(200));
        Assert.False(TrySend(999));
        Assert.True(TrySend(1_000));
        Assert.False(TrySend(1_001)); // 100, 200 and 1,000 are still in the exchange's window
        Assert.False(TrySend(1_099));

        // Then as fast as the limiter allows, for ~9 s: never refused. The corrected pace is conservative (phantom
        // spends stamped "now" sit ahead of older real ones in the ring), at least 2/s of the exchange's 3/s:
        // a phantom has no known expiry, so it is held for a whole window from the moment it was learnt.
        for (var t = 1_100L; t < 10_000; t += 7)
        {
            TrySend(t);
        }

        Assert.InRange(sent, 4 + 16, 4 + 27);
    }

    [Fact]
    public void Cancel_all_is_one_per_two_seconds()
    {
        var limiter = new RateLimitOptions().CreateLimiters()["order-cancel-all"];
        Assert.True(limiter.TryAcquire(0));
        Assert.False(limiter.TryAcquire(2_049)); // 2 s plus the 50 ms safety margin
        Assert.True(limiter.TryAcquire(2_050));
    }

    [Theory]
    [InlineData("group=default; min=1800; sec=29", "default", 29)]
    [InlineData("group=candles; sec=9", "candle", 9)]
    [InlineData("sec=0;group=order", "order", 0)]
    [InlineData("  group = market ;  min = 600 ; sec = 7 ", "market", 7)]
    public void Remaining_req_headers_parse_tolerantly(string header, string group, int sec)
    {
        Assert.True(RemainingReq.TryParse(header, out var g, out var s));
        Assert.Equal(group, g);
        Assert.Equal(sec, s);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("group=default")]
    [InlineData("sec=abc; group=default")]
    public void Unusable_remaining_req_headers_are_ignored(string? header) => Assert.False(RemainingReq.TryParse(header, out _, out _));
}
