using System.Net.Http.Headers;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using UpbitHft.Engine.Logging;

namespace UpbitHft.Engine.Notifications;

/// <summary>What <see cref="Notifier"/> posts where.</summary>
public sealed record NotifierOptions
{
    /// <summary>The webhook (<c>--notify-url</c>). It often carries a secret (a Slack or Discord webhook, a Telegram bot token): only its host is ever logged.</summary>
    public required Uri Url { get; init; }

    /// <summary>The body's shape.</summary>
    public AlertTemplate Template { get; init; } = AlertTemplate.Json;

    /// <summary>Telegram's <c>chat_id</c> (<c>--notify-chat-id</c>).</summary>
    public string? ChatId { get; init; }

    /// <summary>Alerts waiting at most; a further one is dropped and counted.</summary>
    public int Capacity { get; init; } = 64;

    /// <summary>Further attempts after a failed POST (a 5xx, 429, time-out or refused connection).</summary>
    public int Retries { get; init; } = 2;

    /// <summary>The wait before the first retry; doubled for each further one.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>One POST's time limit.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long disposing waits for queued alerts to go out.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(10);
}

/// <summary>
/// <c>--notify-url</c>: POSTs alerts to a webhook from its own task. <see cref="TryPost"/> never blocks and never
/// throws: the alert goes into a bounded queue, or is dropped and counted when the queue is full. A failed POST is
/// tried again a couple of times with a doubling pause, then given up (logged). Callers are the journal writer's
/// thread, the operations watcher and the control server — never the engine thread.
/// </summary>
public sealed class Notifier : IAsyncDisposable
{
    private readonly NotifierOptions _options;
    private readonly HttpClient _http;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Channel<Alert> _queue;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sender;
    private long _sent;
    private long _failed;
    private long _dropped;
    private int _disposed;

    /// <summary>Starts the sender; <paramref name="handler"/> replaces the HTTP stack (tests).</summary>
    public Notifier(NotifierOptions options, ILogger logger, TimeProvider? time = null, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        _http = new HttpClient(handler ?? new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(5), PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            Timeout = System.Threading.Timeout.InfiniteTimeSpan, // per attempt below
        };
        _queue = Channel.CreateBounded<Alert>(new BoundedChannelOptions(options.Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _sender = Task.Run(SendAllAsync);
        var template = options.Template.ToString().ToLowerInvariant();
        HostLog.NotifierStarted(logger, options.Url.Host, template);
    }

    /// <summary>Alerts delivered.</summary>
    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>Alerts given up after every retry.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Alerts dropped because the queue was full (or the notifier closed).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Queues an alert; false (counted, logged) when the queue is full. Any thread but the engine's; never blocks.</summary>
    public bool TryPost(Alert alert)
    {
        if (_queue.Writer.TryWrite(alert))
        {
            return true;
        }

        var dropped = Interlocked.Increment(ref _dropped);
        HostLog.AlertDropped(_logger, alert.Event, dropped);
        return false;
    }

    /// <summary>Sends what is queued (up to <see cref="NotifierOptions.DrainTimeout"/>), then stops.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _queue.Writer.TryComplete();
        try
        {
            await _sender.WaitAsync(_options.DrainTimeout, _time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            await _stop.CancelAsync().ConfigureAwait(false);
            await _sender.ConfigureAwait(false);
        }

        _http.Dispose();
        _stop.Dispose();
    }

    private async Task SendAllAsync()
    {
        try
        {
            await foreach (var alert in _queue.Reader.ReadAllAsync(_stop.Token).ConfigureAwait(false))
            {
                await SendAsync(alert).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }

    private async Task SendAsync(Alert alert)
    {
        var body = AlertBodies.Format(alert, _options.Template, _options.ChatId);
        var delay = _options.RetryDelay;
        var error = "";
        var attempts = 0;
        for (var attempt = 1; attempt <= _options.Retries + 1; attempt++)
        {
            attempts = attempt;
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            timeout.CancelAfter(_options.Timeout);
            try
            {
                using var response = await _http.PostAsync(_options.Url, content, timeout.Token).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref _sent);
                    return;
                }

                error = $"HTTP {(int)response.StatusCode}";
                if ((int)response.StatusCode is >= 400 and < 500 and not 408 and not 429)
                {
                    break; // the request itself is wrong (bad URL, template or chat id): trying again cannot help
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException)
            {
                if (_stop.IsCancellationRequested)
                {
                    break;
                }

                error = ex is OperationCanceledException ? "timed out" : ex.Message;
            }

            if (attempt <= _options.Retries)
            {
                try
                {
                    await Task.Delay(delay, _time, _stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                delay *= 2;
            }
        }

        Interlocked.Increment(ref _failed);
        HostLog.AlertFailed(_logger, alert.Event, attempts, error);
    }
}
