using System.Text.Json;
using UpbitHft.Engine.Notifications;
using UpbitHft.Engine.Tests.Logging;
using UpbitHft.TestSupport;

namespace UpbitHft.Engine.Tests.Notifications;

/// <summary>Alerts POSTed to a local webhook in each template, retried when it fails, dropped (never waited for) when too many queue up.</summary>
public sealed class NotifierTests
{
    private static readonly Alert s_exit = new("exit", "UpbitHft: sold 1 KRW-BTC at 501,500 (take_profit); P&L +999 KRW after fees", new DateTimeOffset(2026, 11, 2, 0, 32, 3, TimeSpan.Zero))
    {
        Market = "KRW-BTC",
        Reason = "take_profit",
        Price = 501_500,
        Volume = 1m,
        PnlKrw = 999.25m,
    };

    [Theory]
    [InlineData(AlertTemplate.Json)]
    [InlineData(AlertTemplate.Slack)]
    [InlineData(AlertTemplate.Discord)]
    [InlineData(AlertTemplate.Telegram)]
    public async Task Each_template_posts_its_documented_body(AlertTemplate template)
    {
        await using var webhook = await WebhookReceiver.StartAsync();
        var log = new CapturingLogger();
        var notifier = new Notifier(new NotifierOptions { Url = webhook.Url, Template = template, ChatId = "-100123" }, log);
        Assert.True(notifier.TryPost(s_exit));
        await Eventually.TrueAsync(() => webhook.Received.Count == 1, TimeSpan.FromSeconds(10), "the alert arrives");
        await notifier.DisposeAsync();

        var (path, contentType, body) = Assert.Single(webhook.Received);
        Assert.Equal("/hook/secret-token", path);
        Assert.Equal("application/json; charset=utf-8", contentType);
        var json = JsonDocument.Parse(body).RootElement;
        var text = s_exit.Text;
        switch (template)
        {
            case AlertTemplate.Slack:
                Assert.Equal(["text"], json.EnumerateObject().Select(p => p.Name));
                Assert.Equal(text, json.GetProperty("text").GetString());
                break;
            case AlertTemplate.Discord:
                Assert.Equal(["content"], json.EnumerateObject().Select(p => p.Name));
                Assert.Equal(text, json.GetProperty("content").GetString());
                break;
            case AlertTemplate.Telegram:
                Assert.Equal(["chat_id", "text"], json.EnumerateObject().Select(p => p.Name));
                Assert.Equal(-100123, json.GetProperty("chat_id").GetInt64());
                Assert.Equal(text, json.GetProperty("text").GetString());
                break;
            default:
                Assert.Equal(["event", "market", "text", "time", "reason", "price", "volume", "pnl_krw"], json.EnumerateObject().Select(p => p.Name));
                Assert.Equal("exit", json.GetProperty("event").GetString());
                Assert.Equal("2026-11-02T00:32:03.000Z", json.GetProperty("time").GetString());
                Assert.Equal(999.25m, json.GetProperty("pnl_krw").GetDecimal());
                break;
        }

        Assert.Equal((1, 0, 0), (notifier.Sent, notifier.Failed, notifier.Dropped));
        Assert.DoesNotContain(log.Messages, m => m.Contains("secret-token", StringComparison.Ordinal)); // the URL's path is never logged
    }

    [Fact]
    public void A_telegram_channel_name_goes_as_a_string()
    {
        var json = JsonDocument.Parse(AlertBodies.FormatText(s_exit, AlertTemplate.Telegram, "@upbithft_alerts")).RootElement;
        Assert.Equal("@upbithft_alerts", json.GetProperty("chat_id").GetString());
    }

    [Fact]
    public async Task A_failed_post_is_retried_with_a_pause_and_then_given_up()
    {
        await using var webhook = await WebhookReceiver.StartAsync();
        var log = new CapturingLogger();
        var options = new NotifierOptions { Url = webhook.Url, RetryDelay = TimeSpan.FromMilliseconds(50), Retries = 2 };
        var notifier = new Notifier(options, log);

        webhook.FailNext(2); // two 500s, then the third attempt gets through
        notifier.TryPost(s_exit);
        await Eventually.TrueAsync(() => notifier.Sent == 1, TimeSpan.FromSeconds(10), "delivered on the third attempt");
        Assert.Equal(3, webhook.Requests);

        webhook.FailNext(3); // every attempt fails: given up, counted and logged
        notifier.TryPost(s_exit with { Event = "entry" });
        await Eventually.TrueAsync(() => notifier.Failed == 1, TimeSpan.FromSeconds(10), "given up after the retries");
        Assert.Equal(6, webhook.Requests);
        Assert.Contains(log.Messages, m => m.Contains("alert 'entry' not delivered after 3 attempt(s): HTTP 500", StringComparison.Ordinal));
        await notifier.DisposeAsync();
    }

    [Fact]
    public async Task An_unreachable_webhook_costs_the_caller_nothing_and_a_full_queue_drops_alerts()
    {
        await using var webhook = await WebhookReceiver.StartAsync();
        webhook.Delay = TimeSpan.FromSeconds(2); // a slow webhook holds the sender on the first alert
        var log = new CapturingLogger();
        var notifier = new Notifier(new NotifierOptions { Url = webhook.Url, Capacity = 4, DrainTimeout = TimeSpan.FromSeconds(1) }, log);

        var started = TimeProvider.System.GetTimestamp();
        var accepted = Enumerable.Range(0, 20).Count(i => notifier.TryPost(s_exit with { Event = "e" + i }));
        Assert.True(TimeProvider.System.GetElapsedTime(started) < TimeSpan.FromMilliseconds(500), "posting never waits");
        Assert.InRange(accepted, 4, 5); // the queue's 4, and maybe the one the sender already took
        Assert.Equal(20 - accepted, notifier.Dropped);
        Assert.Contains(log.Messages, m => m.Contains("dropped: the alert queue is full", StringComparison.Ordinal));
        await notifier.DisposeAsync(); // gives up draining after DrainTimeout
    }
}
