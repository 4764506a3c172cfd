using System.Globalization;

namespace UpbitHft.Engine.Decisions;

/// <summary>Every threshold and period of the trading logic (the design's defaults), validated once at start-up.</summary>
public sealed record DecisionOptions
{
    public int RsiPeriod { get; init; } = 14;
    public double RsiMin { get; init; } = 30;
    public int SurgeWindowMinutes { get; init; } = 20;
    public double SurgeMin { get; init; } = 2.0;

    /// <summary>Markets whose mean traded value per minute is below this (KRW) are never candidates.</summary>
    public double LiquidityFloorKrwPerMinute { get; init; } = 1_000_000;

    /// <summary>A book older than this (exchange time, relative to the deciding trade) is stale.</summary>
    public long BookFreshnessMs { get; init; } = 5_000;

    public int Candidates { get; init; } = 2;
    public decimal CapitalKrw { get; init; } = 1_000_000m;
    public decimal PositionFraction { get; init; } = 0.5m;
    public int MaxPositions { get; init; } = 2;

    /// <summary>Take-profit distance from the average fill (0.003 = +0.3 %).</summary>
    public double TakeProfit { get; init; } = 0.003;

    /// <summary>Stop-loss distance below the average fill (0.01 = −1 %), a positive fraction.</summary>
    public double StopLoss { get; init; } = 0.01;

    /// <summary>Raises the take-profit target by this fraction (cover the exit's slippage).</summary>
    public double SlippageBuffer { get; init; }

    /// <summary>Upbit's KRW fee rate on both sides (docs/upbit.md#fees); the account's real rate comes from orders/chance.</summary>
    public decimal FeeRate { get; init; } = 0.0005m;

    public decimal MinOrderKrw { get; init; } = 5_000m;

    /// <summary>Rest the take-profit as a tick-aligned limit sell on the exchange (the stop stays in the engine).</summary>
    public bool RestingTakeProfit { get; init; }

    /// <summary>No re-entry into a market for this long after an exit (ms).</summary>
    public long CooldownMs { get; init; } = 5 * 60_000;

    /// <summary>Realised loss in one trading day (KRW, positive) that stops new entries until the next day; exits continue.</summary>
    public decimal DailyLossLimitKrw { get; init; } = 30_000m;

    /// <summary>Where the trading day starts, as an offset from 00:00 UTC (ms): +9 h, 00:00 KST, by default.</summary>
    public long TradingDayOffsetMs { get; init; } = 9 * 3_600_000L;

    /// <summary>
    /// After a refused entry (other than for funds), no new attempt in that market for this long (ms), doubling with
    /// every refusal in a row up to <see cref="CooldownMs"/>: a market that keeps refusing never becomes an order storm.
    /// </summary>
    public long EntryRetryMs { get; init; } = 1_000;

    public int MaxConsecutiveLosses { get; init; } = 5;

    /// <summary>An order with no final answer after this long (ms) is reported in the journal as overdue.</summary>
    public long OrderTimeoutMs { get; init; } = 10_000;

    /// <summary>A held market without a trade or book for this long (exchange ms) is stale: entries stop until it is fresh.</summary>
    public long StaleDataMs { get; init; } = 15_000;

    /// <summary>After a refused exit order, wait this long (ms) before trying again; doubles with each refusal in a row.</summary>
    public long ExitRetryMs { get; init; } = 1_000;

    /// <summary>The longest pause between exit attempts (ms).</summary>
    public long ExitRetryMaxMs { get; init; } = 30_000;

    /// <summary>
    /// The smallest entry (KRW): a stop exit of it must still be worth Upbit's minimum order after the stop distance
    /// and the fees of both sides, or its coins could not be sold (<see cref="MinOrderKrw"/> ÷ (1 − stop) plus fees).
    /// </summary>
    public decimal MinEntryKrw => Math.Ceiling(MinOrderKrw / (1m - (decimal)StopLoss) * (1m + (2 * FeeRate)));

    /// <summary>All problems, each a clear sentence; empty when valid.</summary>
    public IReadOnlyList<string> Errors()
    {
        var errors = new List<string>();
        void Check(bool ok, string message)
        {
            if (!ok)
            {
                errors.Add(message);
            }
        }

        Check(RsiPeriod >= 1, $"RsiPeriod must be at least 1 (got {RsiPeriod}).");
        Check(RsiMin is >= 0 and <= 100, F($"RsiMin must be within 0..100 (got {RsiMin})."));
        Check(SurgeWindowMinutes >= 1, $"SurgeWindowMinutes must be at least 1 (got {SurgeWindowMinutes}).");
        Check(SurgeMin > 0 && double.IsFinite(SurgeMin), F($"SurgeMin must be a positive number (got {SurgeMin})."));
        Check(LiquidityFloorKrwPerMinute >= 0, F($"LiquidityFloorKrwPerMinute must not be negative (got {LiquidityFloorKrwPerMinute})."));
        Check(BookFreshnessMs > 0, $"BookFreshnessMs must be positive (got {BookFreshnessMs}).");
        Check(Candidates >= 1, $"Candidates must be at least 1 (got {Candidates}).");
        Check(CapitalKrw > 0, F($"CapitalKrw must be positive (got {CapitalKrw})."));
        Check(PositionFraction > 0 && PositionFraction <= 1, F($"PositionFraction must be in (0, 1] (got {PositionFraction})."));
        Check(MaxPositions >= 1, $"MaxPositions must be at least 1 (got {MaxPositions}).");
        Check(TakeProfit > 0 && TakeProfit < 1, F($"TakeProfit must be in (0, 1), e.g. 0.003 for +0.3 % (got {TakeProfit})."));
        Check(StopLoss > 0 && StopLoss < 1, F($"StopLoss must be in (0, 1), a positive distance, e.g. 0.01 for -1 % (got {StopLoss})."));
        Check(SlippageBuffer >= 0 && SlippageBuffer < 1, F($"SlippageBuffer must be in [0, 1) (got {SlippageBuffer})."));
        Check(FeeRate >= 0 && FeeRate < 0.1m, F($"FeeRate must be in [0, 0.1) (got {FeeRate})."));
        Check(MinOrderKrw > 0, F($"MinOrderKrw must be positive (got {MinOrderKrw})."));
        Check(CooldownMs >= 0, $"CooldownMs must not be negative (got {CooldownMs}).");
        Check(DailyLossLimitKrw > 0, F($"DailyLossLimitKrw must be positive (got {DailyLossLimitKrw})."));
        Check(MaxConsecutiveLosses >= 1, $"MaxConsecutiveLosses must be at least 1 (got {MaxConsecutiveLosses}).");
        Check(OrderTimeoutMs > 0, $"OrderTimeoutMs must be positive (got {OrderTimeoutMs}).");
        Check(ExitRetryMs > 0, $"ExitRetryMs must be positive (got {ExitRetryMs}).");
        Check(ExitRetryMaxMs >= ExitRetryMs, $"ExitRetryMaxMs must be at least ExitRetryMs (got {ExitRetryMaxMs}).");
        Check(EntryRetryMs > 0, $"EntryRetryMs must be positive (got {EntryRetryMs}).");
        Check(Math.Abs(TradingDayOffsetMs) < 86_400_000, $"TradingDayOffsetMs must be within ±24 h (got {TradingDayOffsetMs}).");
        Check(StaleDataMs > 0, $"StaleDataMs must be positive (got {StaleDataMs}).");
        return errors;
    }

    /// <summary>Throws <see cref="ArgumentException"/> listing every problem.</summary>
    public void Validate()
    {
        var errors = Errors();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid strategy options: " + string.Join(" ", errors));
        }
    }

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
