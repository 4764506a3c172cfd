namespace UpbitHft.Reporting;

/// <summary>A price at a moment (UTC), with what it was: a decision's triggering price, a fill, …</summary>
/// <param name="TimeUtc">When (exchange time, UTC).</param>
/// <param name="Price">The price in KRW.</param>
public readonly record struct PricePoint(DateTime TimeUtc, double Price);

/// <summary>A closed 1-minute candle.</summary>
/// <param name="MinuteUtc">The start of its minute (UTC).</param>
/// <param name="Open">First trade price.</param>
/// <param name="High">Highest trade price.</param>
/// <param name="Low">Lowest trade price.</param>
/// <param name="Close">Last trade price.</param>
public readonly record struct PriceCandle(DateTime MinuteUtc, double Open, double High, double Low, double Close);

/// <summary>A point of the equity curve: the cumulative realised P&amp;L after fees once a trade has closed.</summary>
/// <param name="TimeUtc">When the trade closed.</param>
/// <param name="CumulativePnlKrw">The P&amp;L of every trade closed so far, after fees (KRW).</param>
public readonly record struct EquityPoint(DateTime TimeUtc, double CumulativePnlKrw);

/// <summary>
/// What one trade's chart shows: its entry and exit (average fill prices, with the prices that triggered them),
/// the target and stop it was armed with, and the market's prices around it — 1-minute candles when there are any,
/// and the prices the journal holds (decisions and fills).
/// </summary>
public sealed record TradeChart
{
    /// <summary>The trade's number in the journal (1 = the first closed trade).</summary>
    public required int Number { get; init; }

    /// <summary>The market code, e.g. KRW-BTC.</summary>
    public required string Market { get; init; }

    /// <summary>The exit reason as journaled (take_profit, stop_loss, …).</summary>
    public required string ExitReason { get; init; }

    /// <summary>The realised P&amp;L after fees (KRW).</summary>
    public required decimal PnlKrw { get; init; }

    /// <summary>The entry: when the position opened and its average fill price.</summary>
    public required PricePoint Entry { get; init; }

    /// <summary>The exit: when the trade closed and its average exit fill price.</summary>
    public required PricePoint Exit { get; init; }

    /// <summary>The last trade price when the buy was decided, where known.</summary>
    public PricePoint? EntryTrigger { get; init; }

    /// <summary>The price that triggered the exit, where known (the target for a resting take-profit).</summary>
    public PricePoint? ExitTrigger { get; init; }

    /// <summary>The take-profit target the position was armed with, where known.</summary>
    public double? Target { get; init; }

    /// <summary>The stop the position was armed with, where known.</summary>
    public double? Stop { get; init; }

    /// <summary>The stretch of time to show (UTC); null: just what the points and candles span.</summary>
    public DateTime? FromUtc { get; init; }

    /// <summary>The end of the stretch of time to show (UTC).</summary>
    public DateTime? ToUtc { get; init; }

    /// <summary>1-minute candles of the market around the trade (empty without a candles file).</summary>
    public IReadOnlyList<PriceCandle> Candles { get; init; } = [];

    /// <summary>The market's prices from the journal around the trade (decisions and fills), in time order.</summary>
    public IReadOnlyList<PricePoint> JournalPrices { get; init; } = [];
}
