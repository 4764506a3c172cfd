using System.Globalization;
using UpbitHft.Engine.Metrics;
using UpbitHft.Engine.Runtime;
using UpbitHft.Feed.Events;

namespace UpbitHft.Engine.Notifications;

/// <summary>
/// The alerts no single record announces, found by looking once a second at what the other threads publish: the kill
/// switch (the engine's flag), the day's stop (the engine's once-a-second copy of the risk gate), a socket down for
/// longer than <c>--notify-feed-down-after</c> (and back up), the journal failing to write (and writing again). Each
/// is sent once per occurrence. A last look is taken when it stops, so a kill that ends the run is still reported.
/// </summary>
public sealed class OperationsWatcher
{
    private readonly EnginePipeline _pipeline;
    private readonly Notifier _notifier;
    private readonly TimeSpan _feedDownAfter;
    private readonly TimeProvider _time;
    private readonly long _startedNs = LatencyClock.NowNs();
    private readonly bool[] _feedAlerted = new bool[2];
    private bool _killAlerted;
    private DayStop _dayStop;
    private bool _journalAlerted;
    private long _journalFailures;

    /// <summary>Watches <paramref name="pipeline"/>; alerts go to <paramref name="notifier"/>.</summary>
    public OperationsWatcher(EnginePipeline pipeline, Notifier notifier, TimeSpan feedDownAfter, TimeProvider time)
    {
        _pipeline = pipeline;
        _notifier = notifier;
        _feedDownAfter = feedDownAfter;
        _time = time;
    }

    /// <summary>Looks once a second until <paramref name="stop"/>, then once more.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), _time, stop).ConfigureAwait(false);
                Check();
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }

        Check();
    }

    /// <summary>One look (the watcher's task).</summary>
    public void Check()
    {
        var now = _time.GetUtcNow();
        var t = _pipeline.Engine.Telemetry;
        if (!_killAlerted && _pipeline.Engine.KillRequested)
        {
            _killAlerted = true;
            _notifier.TryPost(new Alert("kill_switch", "UpbitHft: kill switch thrown — every position is being sold, then the engine stops", now));
        }

        var stopReason = t.StoppedForTheDay;
        if (stopReason != _dayStop)
        {
            _dayStop = stopReason;
            if (stopReason != DayStop.None)
            {
                var why = stopReason == DayStop.DailyLossLimit ? "daily_loss_limit" : "losing_streak";
                _notifier.TryPost(new Alert("daily_loss_stop", string.Create(CultureInfo.InvariantCulture,
                    $"UpbitHft: entries stopped for the rest of the trading day ({why.Replace('_', ' ')}): day P&L {t.DayPnlKrw:+#,0;-#,0;0} KRW, {t.LosingStreak} losing trade(s) in a row; exits continue"), now)
                {
                    Reason = why,
                    PnlKrw = t.DayPnlKrw,
                });
            }
        }

        CheckFeed(0, "public", t.PublicFeed, now);
        if (_pipeline.IsLive)
        {
            CheckFeed(1, "private", t.PrivateFeed, now);
        }

        CheckJournal(now);
    }

    private void CheckFeed(int index, string socket, FeedState feed, DateTimeOffset now)
    {
        var sinceNs = feed.EverUp ? feed.ChangedNs : _startedNs;
        var seconds = Math.Max(0, LatencyClock.NowNs() - sinceNs) / 1e9;
        if (!feed.IsUp && !_feedAlerted[index] && seconds >= _feedDownAfter.TotalSeconds)
        {
            _feedAlerted[index] = true;
            _notifier.TryPost(new Alert("feed_down", string.Create(CultureInfo.InvariantCulture,
                $"UpbitHft: {socket} socket {(feed.EverUp ? "down" : "not connected")} for {seconds:0} s; no entries meanwhile, reconnecting"), now)
            {
                Reason = socket,
                Seconds = seconds,
            });
        }
        else if (feed.IsUp && _feedAlerted[index])
        {
            _feedAlerted[index] = false;
            _notifier.TryPost(new Alert("feed_up", $"UpbitHft: {socket} socket up again", now) { Reason = socket });
        }
    }

    private void CheckJournal(DateTimeOffset now)
    {
        var journal = _pipeline.Journal;
        var failures = journal.WriteFailures;
        var failedSinceLastLook = failures > _journalFailures;
        _journalFailures = failures;
        if ((failedSinceLastLook || !journal.Healthy) && !_journalAlerted)
        {
            _journalAlerted = true;
            _notifier.TryPost(new Alert("journal_failure",
                $"UpbitHft: journal write failed ({journal.LastError}); new entries are stopped, exits continue, records are kept and retried", now)
            {
                Reason = journal.LastError,
            });
        }
        else if (journal.Healthy && _journalAlerted)
        {
            _journalAlerted = false;
            _notifier.TryPost(new Alert("journal_recovered", "UpbitHft: journal writing again; nothing was lost", now));
        }
    }
}
