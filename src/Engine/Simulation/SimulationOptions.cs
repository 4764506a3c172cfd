
namespace UpbitHft.Engine.Simulation;

/// <summary>Options of <see cref="SessionSimulator"/>.</summary>
public sealed record SimulationOptions
{
    public int Seed { get; init; } = 7;
    public int Markets { get; init; } = 12;
    public int Minutes { get; init; } = 40;

    /// <summary>Session start (UTC, a minute boundary).</summary>
    public DateTimeOffset Start { get; init; } = new(2026, 11, 2, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Quiet minutes before the first surge, so RSI(14) and the 20-minute volume average warm up from the data.</summary>
    public int WarmupMinutes { get; init; } = 23;

    /// <summary>Minutes between surges.</summary>
    public int SurgeEvery { get; init; } = 3;

    /// <summary>Key spelling of the frames (SIMPLE, what the sample uses, or DEFAULT).</summary>
    public SimulationFormat Format { get; init; } = SimulationFormat.Simple;

    /// <summary>Number spelling of the frames (the sample's fixed one, or the real wire's mix).</summary>
    public SimulationSpelling Spelling { get; init; } = SimulationSpelling.Sample;

    /// <summary>Units per orderbook frame (Upbit sends 15 by default, up to 30).</summary>
    public int BookLevels { get; init; } = 15;

    /// <summary>
    /// Share of orderbook frames, 0..1. With <see cref="TickerShare"/> and <see cref="FramesPerSecond"/> left unset too,
    /// the sample's mix is kept (per market and minute 14–25 trades and 5–8 books, about a quarter books).
    /// </summary>
    public double? BookShare { get; init; }

    /// <summary>Share of ticker frames, 0..1 (the sample has none).</summary>
    public double? TickerShare { get; init; }

    /// <summary>
    /// Mean frames per second over the whole stream (all markets). Unset: the sample's rate, about 26 frames per market
    /// and minute. Activity is spread over markets by rank (the first markets busiest, weight 1/√rank), as in
    /// Upbit's all-market stream.
    /// </summary>
    public double? FramesPerSecond { get; init; }

    /// <summary>Stop after this many frames (the session may end earlier: raise the minutes).</summary>
    public long? MaxFrames { get; init; }

    /// <summary>Whether the counts come from <see cref="BookShare"/>, <see cref="TickerShare"/> and <see cref="FramesPerSecond"/> rather than the sample's fixed mix.</summary>
    public bool CustomMix => BookShare is not null || TickerShare is not null || FramesPerSecond is not null;

    public void Validate()
    {
        if (Markets < 1 || Markets > SessionSimulator.MaxMarkets)
        {
            throw new ArgumentOutOfRangeException(nameof(Markets), Markets, $"--markets must be 1..{SessionSimulator.MaxMarkets}.");
        }

        if (Minutes < 1 || Minutes > 24 * 60)
        {
            throw new ArgumentOutOfRangeException(nameof(Minutes), Minutes, "--minutes must be 1..1440.");
        }

        if (Start.Offset != TimeSpan.Zero || Start.Second != 0 || Start.Millisecond != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Start), Start, "The start must be a UTC minute boundary.");
        }

        if (BookLevels is < 1 or > SessionSimulator.MaxBookLevels)
        {
            throw new ArgumentOutOfRangeException(nameof(BookLevels), BookLevels, $"--book-levels must be 1..{SessionSimulator.MaxBookLevels}.");
        }

        if (BookShare is < 0 or >= 1 || TickerShare is < 0 or >= 1 || (BookShare ?? 0) + (TickerShare ?? 0) >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(BookShare), $"--book-share and --ticker-share must be in [0, 1) and leave room for trades (got {BookShare}, {TickerShare}).");
        }

        if (FramesPerSecond is { } rate && !(rate > 0 && rate <= 1_000_000))
        {
            throw new ArgumentOutOfRangeException(nameof(FramesPerSecond), rate, "--rate must be between 0 and 1,000,000 frames per second.");
        }

        if (MaxFrames is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxFrames), MaxFrames, "--frames must be at least 1.");
        }
    }
}
