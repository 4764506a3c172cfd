using System.CommandLine;
using UpbitHft.Engine.Simulation;

namespace UpbitHft.Engine.Cli;

/// <summary>
/// The <c>simulate</c> options beyond seed, markets and minutes: key format, number spelling, book depth, the frame mix
/// and rate, and a frame cap — what an all-market, book-heavy benchmark session needs. Left unset they keep the
/// bundled sample's output byte for byte.
/// </summary>
internal sealed class SimulateMixOptions
{
    public Option<SimulationFormat> Format { get; } = new("--format")
    {
        Description = "Key spelling: Simple (ty, cd, obu …; the default, what the engine subscribes with) or Default (type, code, orderbook_units …).",
        DefaultValueFactory = _ => SimulationFormat.Simple,
    };

    public Option<SimulationSpelling> Spelling { get; } = new("--spelling")
    {
        Description = "Number spelling: Sample (the bundled session's fixed 126.0 / 0.85453452; the default) or Wire (as real frames: 1.16539E8, 7.9276E-4, 123.00000000, whole book prices in SIMPLE, trades with best bid/ask fields).",
        DefaultValueFactory = _ => SimulationSpelling.Sample,
    };

    public Option<int> BookLevels { get; } = new("--book-levels")
    {
        Description = $"Units per orderbook frame (1..{SessionSimulator.MaxBookLevels}).",
        DefaultValueFactory = _ => 15,
    };

    public Option<double?> BookShare { get; } = new("--book-share")
    {
        Description = "Share of orderbook frames, e.g. 0.55 for an all-market stream (default: the sample's mix, about 0.25).",
    };

    public Option<double?> TickerShare { get; } = new("--ticker-share")
    {
        Description = "Share of ticker frames, e.g. 0.05 (default 0; the rest are trades).",
    };

    public Option<double?> Rate { get; } = new("--rate")
    {
        Description = "Mean frames per second over all markets, spread by market rank (default: the sample's, about 26 per market and minute).",
    };

    public Option<long?> Frames { get; } = new("--frames")
    {
        Description = "Stop after this many frames (raise --minutes if the session ends first).",
    };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Format, Spelling, BookLevels, BookShare, TickerShare, Rate, Frames })
        {
            command.Options.Add(option);
        }
    }

    /// <summary><paramref name="options"/> with these options applied (validated by <see cref="SimulationOptions.Validate"/>).</summary>
    public SimulationOptions Apply(ParseResult parse, SimulationOptions options) => options with
    {
        Format = parse.GetValue(Format),
        Spelling = parse.GetValue(Spelling),
        BookLevels = parse.GetValue(BookLevels),
        BookShare = parse.GetValue(BookShare),
        TickerShare = parse.GetValue(TickerShare),
        FramesPerSecond = parse.GetValue(Rate),
        MaxFrames = parse.GetValue(Frames),
    };
}
