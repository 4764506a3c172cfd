using System.Globalization;
using Microsoft.Data.Sqlite;
using UpbitHft.Engine.Decisions;

namespace UpbitHft.Engine.Journal;

/// <summary>The journal's rows: what each record becomes in which table (money as exact decimal text).</summary>
public sealed partial class JournalWriter
{
    private void InsertDecision(SqliteTransaction tx, in JournalEntry e)
    {
        var a = e.Action;
        if (a.Kind == ActionKind.TradeClosed)
        {
            Insert(tx, "INSERT INTO trades(seq, ts_ms, market, entry_price, exit_price, volume, exit_reason, fees_krw, pnl_krw, entry_trigger, entry_best, exit_trigger, exit_best, slippage_krw, slippage_bp) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15)",
                e.Sequence, a.TimestampMs, e.Market, a.EntryPrice, a.ExitPrice, Text(a.Volume), JournalSchema.ExitReasonName(a.Exit), Text(a.FeesKrw), Text(a.PnlKrw),
                Positive(a.EntryTriggerPrice), Positive(a.EntryBestPrice), Positive(a.ExitTriggerPrice), Positive(a.ExitBestPrice), Text(a.SlippageKrw), a.SlippageBp);
            Insert(tx, "INSERT INTO positions(seq, ts_ms, market, event, volume, entry_price, exit_price, exit_reason, pnl_krw) VALUES ($1,$2,$3,'closed',$4,$5,$6,$7,$8)",
                e.Sequence, a.TimestampMs, e.Market, Text(a.Volume), a.EntryPrice, a.ExitPrice, JournalSchema.ExitReasonName(a.Exit), Text(a.PnlKrw));
            return;
        }

        if (a.Kind == ActionKind.PositionOpened)
        {
            // 'opened' from the fill; 'rebased' when the real fill price replaced an estimate (exits re-armed from it).
            Insert(tx, "INSERT INTO positions(seq, ts_ms, market, event, volume, entry_price, target, stop, exit_reason) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)",
                e.Sequence, a.TimestampMs, e.Market, a.Rebased ? "rebased" : "opened", Text(a.Volume), a.EntryPrice, a.Target, a.Stop, a.Estimated ? "basis_estimated" : null);
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
            e.Sequence, u.TimestampMs, e.Market, u.IntentId, e.Text, u.Kind.ToString(), Text(u.ExecutedVolume), u.FundsMissing ? null : Text(u.ExecutedFunds), Text(u.PaidFee),
            u.RejectReason ?? (u.FundsMissing ? "funds_missing" : null));

        // Amounts are cumulative per order: a fill is what grew since the last answer (duplicates add nothing). An
        // answer without its amount (funds missing) records no fill; the one with the amount does.
        if (u.FundsMissing)
        {
            return;
        }

        if (!_pendingFills.TryGetValue(u.IntentId, out var before))
        {
            _filled.TryGetValue(u.IntentId, out before);
        }

        if (u.ExecutedVolume > before.Volume)
        {
            var volume = u.ExecutedVolume - before.Volume;
            var funds = Math.Max(0, u.ExecutedFunds - before.Funds);
            Insert(tx, "INSERT INTO fills(seq, ts_ms, market, intent, identifier, volume, funds, fee, price) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)",
                e.Sequence, u.TimestampMs, e.Market, u.IntentId, e.Text, Text(volume), Text(funds), Text(Math.Max(0, u.PaidFee - before.Fee)), (double)(funds / volume));
            _pendingFills[u.IntentId] = (u.ExecutedVolume, Math.Max(before.Funds, u.ExecutedFunds), Math.Max(before.Fee, u.PaidFee));
        }
    }

    private readonly Dictionary<long, (decimal Volume, decimal Funds, decimal Fee)> _filled = [];
    private readonly Dictionary<long, (decimal Volume, decimal Funds, decimal Fee)> _pendingFills = [];

    private void WriteCandle(in JournalEntry e)
    {
        var a = e.Action;
        var minute = DateTimeOffset.FromUnixTimeMilliseconds(a.CandleMinute * 60_000).UtcDateTime;
        _candles!.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{e.Market},{minute:yyyy-MM-ddTHH:mm:ssZ},{a.Open:R},{a.High:R},{a.Low:R},{a.Price:R},{a.CandleVolume:0.########},{a.CandleValue:0.##},{(double.IsFinite(a.Rsi) ? a.Rsi.ToString("0.######", CultureInfo.InvariantCulture) : "")},{a.SurgeRatio:0.######}"));
    }

    private static double? Positive(double value) => value > 0 ? value : null;

    private static string Text(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    private static double? Finite(double value) => double.IsFinite(value) ? value : null;

    /// <summary>
    /// Binds one value of each kind the rows hold (integer, text, real, null) in a statement that writes nothing, so
    /// the journal thread does not compile SQLite's binders and their native-call stubs when it writes the run's first
    /// decision, just after the first order went out (perf-reports/latency.md, the first order).
    /// </summary>
    private void WarmBinders()
    {
        using var cmd = _db!.CreateCommand();
        cmd.CommandText = "SELECT $1, $2, $3, $4";
        object?[] values = [1L, "warm", 1.5, null];
        for (var i = 0; i < values.Length; i++)
        {
            cmd.Parameters.AddWithValue("$" + (i + 1).ToString(CultureInfo.InvariantCulture), values[i] ?? DBNull.Value);
        }

        cmd.ExecuteNonQuery();
    }

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
