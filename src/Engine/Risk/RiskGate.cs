using UpbitHft.Engine.Decisions;

namespace UpbitHft.Engine.Risk;

/// <summary>
/// The risk limits on new entries: at most <see cref="DecisionOptions.MaxPositions"/> positions, a daily loss limit and
/// a losing streak that stop entries for the rest of the trading day (exits always continue). The trading day rolls
/// at 00:00 in the configured offset from UTC (KST, +9 h, by default). Pure: times are exchange ms from the events.
/// Its state is rebuilt from the journal at start (<see cref="Restore(IEnumerable{Journal.JournaledTrade}, long)"/>), so a restart does not reset the day.
/// </summary>
/// <remarks>Engine thread only.</remarks>
public sealed class RiskGate
{
    private const long DayMs = 86_400_000;
    private readonly DecisionOptions _options;
    private long _day = long.MinValue;

    public RiskGate(DecisionOptions options)
    {
        _options = options;
    }

    /// <summary>Realised P&amp;L of the current trading day, KRW.</summary>
    public decimal DayPnlKrw { get; private set; }

    /// <summary>Losing trades in a row (within the day).</summary>
    public int LosingStreak { get; private set; }

    /// <summary>Whether the daily loss limit or the losing streak stopped entries for the day.</summary>
    public bool StoppedForTheDay => DayPnlKrw <= -_options.DailyLossLimitKrw || LosingStreak >= _options.MaxConsecutiveLosses;

    /// <summary>The trading day of an exchange time (days since the epoch, in the configured offset).</summary>
    public long DayOf(long ms) => Math.DivRem(ms + _options.TradingDayOffsetMs, DayMs, out var rem) - (rem < 0 ? 1 : 0);

    /// <summary>Whether a new entry is allowed now.</summary>
    public bool AllowsEntry(long nowMs, int openPositions)
    {
        Roll(nowMs);
        return openPositions < _options.MaxPositions && !StoppedForTheDay;
    }

    /// <summary>A trade closed with <paramref name="pnlKrw"/> (after fees).</summary>
    public void OnTradeClosed(long nowMs, decimal pnlKrw, bool countsForStreak = true)
    {
        Roll(nowMs);
        DayPnlKrw += pnlKrw;
        if (countsForStreak)
        {
            LosingStreak = pnlKrw < 0 ? LosingStreak + 1 : 0;
        }
    }

    /// <summary>Restores the state of trading day <paramref name="day"/> (from the journal's trades of that day).</summary>
    public void Restore(long day, decimal dayPnlKrw, int losingStreak)
    {
        _day = day;
        DayPnlKrw = dayPnlKrw;
        LosingStreak = losingStreak;
    }

    /// <summary>
    /// Rebuilds the day's state from the journal's trades (oldest first): the trades of the trading day of
    /// <paramref name="nowMs"/> are replayed, so a restart keeps the day's P&amp;L and losing streak.
    /// </summary>
    public void Restore(IEnumerable<Journal.JournaledTrade> trades, long nowMs)
    {
        ArgumentNullException.ThrowIfNull(trades);
        var today = DayOf(nowMs);
        Restore(today, 0, 0);
        foreach (var t in trades)
        {
            if (DayOf(t.TimestampMs) == today)
            {
                OnTradeClosed(t.TimestampMs, t.PnlKrw, countsForStreak: t.ExitReason != "remainder");
            }
        }
    }

    private void Roll(long nowMs)
    {
        var day = DayOf(nowMs);
        if (day > _day)
        {
            // A new trading day: the loss budget and the losing streak start again.
            _day = day;
            DayPnlKrw = 0;
            LosingStreak = 0;
        }
    }
}
