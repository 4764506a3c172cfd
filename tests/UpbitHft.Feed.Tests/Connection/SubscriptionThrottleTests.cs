using Microsoft.Extensions.Time.Testing;
using UpbitHft.Feed.Connection;

namespace UpbitHft.Feed.Tests.Connection;

/// <summary>Upbit's per-connection subscription limits (5 a second, 100 a minute) on a fake clock: no sleeping.</summary>
public class SubscriptionThrottleTests
{
    private static readonly TimeSpan s_completes = TimeSpan.FromSeconds(10); // real time a released wait may take to finish

    [Fact]
    public async Task Five_messages_go_at_once_and_the_sixth_waits_until_the_first_leaves_the_second()
    {
        var time = new FakeTimeProvider();
        var throttle = new SubscriptionThrottle(time);
        for (var i = 0; i < 5; i++)
        {
            Assert.True(throttle.WaitAsync(CancellationToken.None).IsCompletedSuccessfully, $"message {i + 1}");
        }

        var sixth = throttle.WaitAsync(CancellationToken.None);
        Assert.False(sixth.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(sixth.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        await sixth.WaitAsync(s_completes);

        // The window slides: four more fit the second that began with the first message's exit.
        for (var i = 0; i < 4; i++)
        {
            Assert.True(throttle.WaitAsync(CancellationToken.None).IsCompletedSuccessfully);
        }

        Assert.False(throttle.WaitAsync(CancellationToken.None).IsCompleted);
    }

    [Fact]
    public async Task The_hundred_and_first_message_in_a_minute_waits_for_the_first_to_age_out()
    {
        var time = new FakeTimeProvider();
        var throttle = new SubscriptionThrottle(time);
        for (var second = 0; second < 20; second++)
        {
            for (var i = 0; i < 5; i++)
            {
                Assert.True(throttle.WaitAsync(CancellationToken.None).IsCompletedSuccessfully, $"second {second}, message {i + 1}");
            }

            time.Advance(TimeSpan.FromSeconds(1));
        }

        var next = throttle.WaitAsync(CancellationToken.None); // 20 s in: the first message was sent at 0 s
        Assert.False(next.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(40) - TimeSpan.FromMilliseconds(1));
        Assert.False(next.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        await next.WaitAsync(s_completes);
    }

    [Fact]
    public async Task A_wait_ends_when_cancelled()
    {
        var time = new FakeTimeProvider();
        var throttle = new SubscriptionThrottle(time);
        for (var i = 0; i < 5; i++)
        {
            await throttle.WaitAsync(CancellationToken.None);
        }

        using var cancel = new CancellationTokenSource();
        var waiting = throttle.WaitAsync(cancel.Token);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(s_completes));
    }
}
