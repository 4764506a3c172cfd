using System.Globalization;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using UpbitHft.Engine.Logging;

namespace UpbitHft.Engine.Journal;

/// <summary>
/// The trade journal: SQLite in WAL mode, written by its own thread from a single-reader channel, so the engine
/// thread only enqueues. Overflow policy: the channel is unbounded — the engine never blocks or drops a record; the
/// record rate is bounded by order and candle rates, which are tiny next to the market data rate. Each batch is
/// committed in one transaction as soon as it is drained, so what was acknowledged survives a crash of the process
/// (WAL + synchronous=NORMAL survives process crashes; FULL would be needed for power loss).
/// </summary>
/// <remarks>
/// A failed write (disk full, database locked by another process) is loud and loses nothing: the batch is kept
/// and retried with a capped backoff, <see cref="Healthy"/> turns false (the engine stops new entries while it is,
/// exits continue), each failure is counted and logged, and the summary reports them.
/// </remarks>
public sealed partial class JournalWriter : IAsyncDisposable
{
    private readonly Channel<JournalEntry> _channel = Channel.CreateUnbounded<JournalEntry>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SqliteConnection? _db;
    private readonly StreamWriter? _candles;
    private readonly Task _pump;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private Action<JournalEntry>? _observer;
    private long _observeFrom;
    private long _read;
    private long _enqueued;
    private long _written;
    private long _failures;
    private volatile bool _healthy = true;
    private volatile string? _lastError;

    /// <summary>Opens (or creates) the journal at <paramref name="journalPath"/> and the candles CSV; either may be null.</summary>
    public JournalWriter(string? journalPath, string? candlesCsvPath, TimeProvider? time = null, ILogger? logger = null)
    {
        _time = time ?? TimeProvider.System;
        _logger = logger ?? LineLoggerProvider.StandardError.CreateLogger<JournalWriter>();
        if (journalPath is not null)
        {
            // A short busy timeout: a database locked by another process is a failure to report and retry, not a 30 s stall.
            _db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = journalPath, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false, DefaultTimeout = 1 }.ToString());
            _db.Open();
            Execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;");
            JournalSchema.Apply(_db);
            WarmBinders();
        }

        if (candlesCsvPath is not null)
        {
            _candles = new StreamWriter(candlesCsvPath, append: false) { NewLine = "\n" };
            _candles.WriteLine("market,minute_utc,open,high,low,close,volume,value_krw,rsi14,surge_ratio");
        }

        _pump = Task.Factory.StartNew(Pump, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
    }

    /// <summary>Records written so far.</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>Records queued and not yet written (any thread).</summary>
    public long QueueDepth => Math.Max(0, Interlocked.Read(ref _enqueued) - Interlocked.Read(ref _written));

    /// <summary>Whether the last write succeeded (any thread; the engine stops entries while it is false).</summary>
    public bool Healthy => _healthy;

    /// <summary>Writes that failed (each is retried until it succeeds).</summary>
    public long WriteFailures => Interlocked.Read(ref _failures);

    /// <summary>The last write error, if any.</summary>
    public string? LastError => _lastError;

    /// <summary>Enqueues a record. Engine thread; never blocks.</summary>
    public void Enqueue(in JournalEntry entry)
    {
        Interlocked.Increment(ref _enqueued);
        _channel.Writer.TryWrite(entry);
    }

    /// <summary>
    /// Hands every record enqueued from now on to <paramref name="observer"/> on the writer's thread as it is read,
    /// before it is written (alerts: a failing disk does not delay them). The observer must not block.
    /// </summary>
    public void Observe(Action<JournalEntry> observer)
    {
        Volatile.Write(ref _observeFrom, Interlocked.Read(ref _enqueued));
        Volatile.Write(ref _observer, observer);
    }

    /// <summary>Flushes everything queued and closes the files.</summary>
    public async ValueTask DisposeAsync()
    {
        _channel.Writer.TryComplete();
        await _pump.ConfigureAwait(false);
        if (_candles is not null)
        {
            await _candles.DisposeAsync().ConfigureAwait(false);
        }

        if (_db is not null)
        {
            try
            {
                Execute("PRAGMA wal_checkpoint(TRUNCATE);");
            }
            catch (SqliteException ex)
            {
                HostLog.JournalCheckpointFailed(_logger, ex.Message);
            }

            await _db.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task Pump()
    {
        var reader = _channel.Reader;
        var batch = new List<JournalEntry>(1024);
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < 4096 && reader.TryRead(out var e))
            {
                batch.Add(e);
                Notify(e);
            }

            await WriteUntilDoneAsync(batch).ConfigureAwait(false);
        }
    }

    private void Notify(in JournalEntry e)
    {
        var index = _read++;
        if (Volatile.Read(ref _observer) is { } observer && index >= Volatile.Read(ref _observeFrom))
        {
            observer(e);
        }
    }

    /// <summary>Writes a batch, retrying with a capped backoff for as long as it fails: nothing is dropped.</summary>
    private async Task WriteUntilDoneAsync(List<JournalEntry> batch)
    {
        var delay = TimeSpan.FromMilliseconds(250);
        var databaseDone = _db is null;
        while (true)
        {
            try
            {
                if (!databaseDone)
                {
                    WriteDatabase(batch);
                    databaseDone = true;
                }

                WriteCandles(batch);
                Interlocked.Add(ref _written, batch.Count);
                if (!_healthy)
                {
                    _healthy = true;
                    HostLog.JournalRecovered(_logger, WriteFailures);
                }

                return;
            }
            catch (Exception ex) when (ex is SqliteException or IOException or UnauthorizedAccessException)
            {
                var failures = Interlocked.Increment(ref _failures);
                _lastError = ex.Message;
                if (_healthy || failures % 20 == 0)
                {
                    HostLog.JournalWriteFailed(_logger, ex.Message, batch.Count);
                }

                _healthy = false;
                await Task.Delay(delay, _time).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(5).Ticks, delay.Ticks * 2));
            }
        }
    }

    private void WriteDatabase(List<JournalEntry> batch)
    {
        _pendingFills.Clear();
        using var tx = _db!.BeginTransaction();
        foreach (var e in batch)
        {
            switch (e.Kind)
            {
                case JournalKind.Decision:
                    InsertDecision(tx, e);
                    break;
                case JournalKind.OrderEvent:
                    InsertOrderEvent(tx, e);
                    break;
                case JournalKind.Error:
                    Insert(tx, "INSERT INTO errors(seq, message) VALUES ($1, $2)", e.Sequence, e.Text);
                    break;
                case JournalKind.PositionGone:
                    Insert(tx, "INSERT INTO positions(seq, ts_ms, market, event, exit_reason) VALUES ($1, $2, $3, 'closed', 'closed_at_exchange')",
                        e.Sequence, _time.GetUtcNow().ToUnixTimeMilliseconds(), e.Market);
                    break;
                case JournalKind.Session:
                    var parts = (e.Text ?? "").Split(' ', 2);
                    Insert(tx, "INSERT INTO sessions(run_id, mode, started_utc, first_intent) VALUES ($1, $2, $3, $4)",
                        parts.Length > 1 ? parts[1] : "", parts[0], _time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture), e.Sequence);
                    break;
                case JournalKind.RunSummary:
                    Insert(tx, "INSERT INTO runs(seq, summary_json) VALUES ($1, $2)", e.Sequence, e.Text);
                    break;
            }
        }

        tx.Commit();
        foreach (var (intent, filled) in _pendingFills)
        {
            _filled[intent] = filled; // only once committed: a retried batch computes its fills again from the same start
        }
    }

    private void WriteCandles(List<JournalEntry> batch)
    {
        if (_candles is null)
        {
            return;
        }

        foreach (var e in batch)
        {
            if (e.Kind == JournalKind.Candle)
            {
                WriteCandle(e);
            }
        }

        _candles.Flush();
    }
}
