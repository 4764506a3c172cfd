using System.Globalization;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using UpbitHft.Engine.Decisions;

namespace UpbitHft.Engine.Journal;

/// <summary>
/// The trade journal: SQLite in WAL mode, written by its own thread from a single-reader channel, so the engine
/// thread only enqueues. Overflow policy: the channel is unbounded — the engine never blocks or drops a record; the
/// record rate is bounded by order and candle rates, which are tiny next to the market data rate. Each batch is
/// committed in one transaction as soon as it is drained, so what was acknowledged survives a crash of the process
/// (WAL + synchronous=NORMAL survives process crashes; FULL would be needed for power loss).
/// </summary>
public sealed class JournalWriter : IAsyncDisposable
{
    private readonly Channel<JournalEntry> _channel = Channel.CreateUnbounded<JournalEntry>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SqliteConnection? _db;
    private readonly StreamWriter? _candles;
    private readonly Task _pump;

    /// <summary>Opens (or creates) the journal at <paramref name="journalPath"/> and the candles CSV; either may be null.</summary>
    public JournalWriter(string? journalPath, string? candlesCsvPath)
    {
        if (journalPath is not null)
        {
            _db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = journalPath, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ToString());
            _db.Open();
            Execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;");
            Execute(JournalSchema.Create);
        }

        if (candlesCsvPath is not null)
        {
            _candles = new StreamWriter(candlesCsvPath, append: false) { NewLine = "\n" };
            _candles.WriteLine("market,minute_utc,open,high,low,close,volume,value_krw,rsi14,surge_ratio");
        }

        _pump = Task.Factory.StartNew(Pump, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
    }

    /// <summary>Records written so far.</summary>
    public long Written { get; private set; }

    /// <summary>Enqueues a record. Engine thread; never blocks.</summary>
    public void Enqueue(in JournalEntry entry) => _channel.Writer.TryWrite(entry);

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
            Execute("PRAGMA wal_checkpoint(TRUNCATE);");
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
            }

            WriteBatch(batch);
        }
    }

    private void WriteBatch(List<JournalEntry> batch)
    {
        using var tx = _db?.BeginTransaction();
        foreach (var e in batch)
        {
            switch (e.Kind)
            {
                case JournalKind.Decision when _db is not null:
                    InsertDecision(tx!, e);
                    break;
                case JournalKind.OrderEvent when _db is not null:
                    InsertOrderEvent(tx!, e);
                    break;
                case JournalKind.Error when _db is not null:
                    Insert(tx!, "INSERT INTO errors(seq, message) VALUES ($1, $2)", e.Sequence, e.Text);
                    break;
                case JournalKind.PositionGone when _db is not null:
                    Insert(tx!, "INSERT INTO positions(seq, ts_ms, market, event, exit_reason) VALUES ($1, $2, $3, 'closed', 'closed_at_exchange')",
                        e.Sequence, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), e.Market);
                    break;
                case JournalKind.Session when _db is not null:
                    var parts = (e.Text ?? "").Split(' ', 2);
                    Insert(tx!, "INSERT INTO sessions(run_id, mode, started_utc, first_intent) VALUES ($1, $2, $3, $4)",
                        parts.Length > 1 ? parts[1] : "", parts[0], DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture), e.Sequence);
                    break;
                case JournalKind.RunSummary when _db is not null:
                    Insert(tx!, "INSERT INTO runs(seq, summary_json) VALUES ($1, $2)", e.Sequence, e.Text);
                    break;
                case JournalKind.Candle when _candles is not null:
                    WriteCandle(e);
                    break;
            }

            Written++;
        }

        tx?.Commit();
        _candles?.Flush();
    }

    private void InsertDecision(SqliteTransaction tx, in JournalEntry e)
    {
        var a = e.Action;
        if (a.Kind == ActionKind.TradeClosed)
        {
            Insert(tx, "INSERT INTO trades(seq, ts_ms, market, entry_price, exit_price, volume, exit_reason, fees_krw, pnl_krw) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)",
                e.Sequence, a.TimestampMs, e.Market, a.EntryPrice, a.ExitPrice, Text(a.Volume), JournalSchema.ExitReasonName(a.Exit), Text(a.FeesKrw), Text(a.PnlKrw));
            Insert(tx, "INSERT INTO positions(seq, ts_ms, market, event, volume, entry_price, exit_price, exit_reason, pnl_krw) VALUES ($1,$2,$3,'closed',$4,$5,$6,$7,$8)",
                e.Sequence, a.TimestampMs, e.Market, Text(a.Volume), a.EntryPrice, a.ExitPrice, JournalSchema.ExitReasonName(a.Exit), Text(a.PnlKrw));
            return;
        }

        if (a.Kind == ActionKind.PositionOpened)
        {
            Insert(tx, "INSERT INTO positions(seq, ts_ms, market, event, volume, entry_price, target, stop) VALUES ($1,$2,$3,'opened',$4,$5,$6,$7)",
                e.Sequence, a.TimestampMs, e.Market, Text(a.Volume), a.EntryPrice, a.Target, a.Stop);
            return;
        }

        Insert(tx, "INSERT INTO decisions(seq, ts_ms, market, action, intent, target_intent, amount_krw, volume, limit_price, exit_reason, rsi, surge_ratio, total_bid_size, total_ask_size, price, target, stop) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17)",
            e.Sequence, a.TimestampMs, e.Market, a.Kind.ToString(), a.IntentId, a.TargetIntentId, Text(a.AmountKrw), Text(a.Volume), Text(a.LimitPrice),
            JournalSchema.ExitReasonName(a.Exit), Finite(a.Rsi), Finite(a.SurgeRatio), a.TotalBidSize, a.TotalAskSize, a.Price, a.Target, a.Stop);
    }

    private void InsertOrderEvent(SqliteTransaction tx, in JournalEntry e)
    {
        var u = e.Update;
        Insert(tx, "INSERT INTO order_events(seq, ts_ms, market, intent, identifier, state, executed_volume, executed_funds, paid_fee, reject_reason) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)",
            e.Sequence, u.TimestampMs, e.Market, u.IntentId, e.Text, u.Kind.ToString(), Text(u.ExecutedVolume), Text(u.ExecutedFunds), Text(u.PaidFee), u.RejectReason);

        // Amounts are cumulative per order: a fill is what grew since the last answer (duplicates add nothing).
        _filled.TryGetValue(u.IntentId, out var before);
        if (u.ExecutedVolume > before.Volume)
        {
            var volume = u.ExecutedVolume - before.Volume;
            var funds = Math.Max(0, u.ExecutedFunds - before.Funds);
            Insert(tx, "INSERT INTO fills(seq, ts_ms, market, intent, identifier, volume, funds, fee, price) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)",
                e.Sequence, u.TimestampMs, e.Market, u.IntentId, e.Text, Text(volume), Text(funds), Text(Math.Max(0, u.PaidFee - before.Fee)), (double)(funds / volume));
            _filled[u.IntentId] = (u.ExecutedVolume, Math.Max(before.Funds, u.ExecutedFunds), Math.Max(before.Fee, u.PaidFee));
        }
    }

    private readonly Dictionary<long, (decimal Volume, decimal Funds, decimal Fee)> _filled = [];

    private void WriteCandle(in JournalEntry e)
    {
        var a = e.Action;
        var minute = DateTimeOffset.FromUnixTimeMilliseconds(a.CandleMinute * 60_000).UtcDateTime;
        _candles!.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{e.Market},{minute:yyyy-MM-ddTHH:mm:ssZ},{a.Open:R},{a.High:R},{a.Low:R},{a.Price:R},{a.CandleVolume:0.########},{a.CandleValue:0.##},{(double.IsFinite(a.Rsi) ? a.Rsi.ToString("0.######", CultureInfo.InvariantCulture) : "")},{a.SurgeRatio:0.######}"));
    }

    private static string Text(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    private static double? Finite(double value) => double.IsFinite(value) ? value : null;

    private void Execute(string sql)
    {
        using var cmd = _db!.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private void Insert(SqliteTransaction tx, string sql, params object?[] values)
    {
        using var cmd = _db!.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        for (var i = 0; i < values.Length; i++)
        {
            cmd.Parameters.AddWithValue("$" + (i + 1).ToString(CultureInfo.InvariantCulture), values[i] ?? DBNull.Value);
        }

        cmd.ExecuteNonQuery();
    }
}
