using Microsoft.Extensions.Time.Testing;
using UpbitHft.Feed.Connection;

namespace UpbitHft.Feed.Tests.Connection;

/// <summary>Connect spacing and reconnect backoff on a fake clock.</summary>
public class ReconnectBackoffTests
{
    private static readonly TimeSpan s_completes = TimeSpan.FromSeconds(10); // real time a released wait may take to finish

    [Fact]
    public async Task Connection_attempts_are_at_least_250_ms_apart()
    {
        var time = new FakeTimeProvider();
        var backoff = new ReconnectBackoff(new FeedOptions { JitterSeed = 1 }, time);
        Assert.True(backoff.BeforeConnectAsync(CancellationToken.None).IsCompletedSuccessfully); // the first goes at once
        time.Advance(TimeSpan.FromMilliseconds(100));
        var second = backoff.BeforeConnectAsync(CancellationToken.None);
        time.Advance(TimeSpan.FromMilliseconds(149));
        Assert.False(second.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        await second.WaitAsync(s_completes);

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(backoff.BeforeConnectAsync(CancellationToken.None).IsCompletedSuccessfully); // long enough since
    }

    [Theory]
    [InlineData(1, 250)]
    [InlineData(2, 500)]
    [InlineData(5, 4_000)]
    [InlineData(12, 30_000)] // capped at the maximum delay
    public async Task The_delay_doubles_per_failure_with_equal_jitter_up_to_the_maximum(int failures, int baseMs)
    {
        var time = new FakeTimeProvider();
        var options = new FeedOptions { ReconnectMinDelay = TimeSpan.FromMilliseconds(250), ReconnectMaxDelay = TimeSpan.FromSeconds(30), JitterSeed = 1 };
        var backoff = new ReconnectBackoff(options, time);
        var waiting = backoff.AfterFailureAsync(failures, CancellationToken.None);
        time.Advance(TimeSpan.FromMilliseconds((baseMs / 2) - 1)); // "equal jitter": at least half the base delay
        Assert.False(waiting.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds((baseMs / 2) + 1)); // and less than all of it
        await waiting.WaitAsync(s_completes);
    }

    [Fact]
    public async Task Cancelling_a_backoff_returns_without_an_exception()
    {
        var backoff = new ReconnectBackoff(new FeedOptions { JitterSeed = 1 }, new FakeTimeProvider());
        using var cancel = new CancellationTokenSource();
        var waiting = backoff.AfterFailureAsync(3, cancel.Token);
        await cancel.CancelAsync();
        await waiting.WaitAsync(s_completes);
        Assert.True(waiting.IsCompletedSuccessfully);
    }
}
