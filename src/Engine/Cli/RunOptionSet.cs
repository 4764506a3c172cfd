using System.CommandLine;
using UpbitHft.Engine.Runtime;
using UpbitHft.Engine.Ring;

namespace UpbitHft.Engine.Cli;

/// <summary>
/// The options every trading command shares (replay, paper, live): the strategy (<see cref="StrategyOptionSet"/>),
/// the outputs (<see cref="OutputOptionSet"/>) and how the run itself goes (runtime, positions at the end, ring).
/// </summary>
/// <param name="defaultRingSize">
/// The ring's default size: 16,384 slots for live data (room for a burst while the engine is busy), 4,096 for a replay,
/// whose reader never outruns the engine by more than the ring: a smaller ring stays in cache (6 % more throughput on
/// a 520k-frame replay, perf-reports/throughput.md).
/// </param>
internal sealed class RunOptionSet(int defaultRingSize = 16_384)
{
    public StrategyOptionSet Strategy { get; } = new();
    public OutputOptionSet Output { get; } = new();
    public Option<double?> MaxRuntime { get; } = new("--max-runtime") { Description = "Stop after this many seconds." };
    public Option<bool> Keep { get; } = new("--keep-positions") { Description = "At the end, keep open positions instead of selling them (reason shutdown)." };
    public Option<int> RingSize { get; } = new("--ring-size") { Description = "Ring slots, a power of two.", DefaultValueFactory = _ => defaultRingSize };
    public Option<WaitStrategyKind> Wait { get; } = new("--wait-strategy") { Description = "Engine thread wait: Yielding (default), Blocking, Sleeping, BusySpin (isolated cores only).", DefaultValueFactory = _ => WaitStrategies.Default };

    public void AddTo(Command command)
    {
        // This order is the order --help lists them in; keep it when adding an option.
        Option[] all =
        [
            Strategy.Config, Output.Journal, Output.Summary, Output.Candles, MaxRuntime, Strategy.Capital,
            Strategy.TakeProfit, Strategy.StopLoss, Strategy.Fraction, Strategy.Resting, Strategy.SlippageBuffer, Strategy.DayOffset, Keep, RingSize, Wait,
            Output.Quiet, Output.PerfReport,
        ];
        foreach (var o in all)
        {
            command.Options.Add(o);
        }
    }

    /// <summary>Validated settings, or an <see cref="ArgumentException"/> with every problem.</summary>
    public EngineSettings Settings(ParseResult parse, string input, bool realtime)
    {
        var strategy = Strategy.Settings(parse);
        if (parse.GetValue(MaxRuntime) is <= 0)
        {
            throw new ArgumentException("--max-runtime must be positive.");
        }

        var ring = new RingOptions { Size = parse.GetValue(RingSize), WaitStrategy = parse.GetValue(Wait), MultiProducer = false };
        ring.Validate();
        return new EngineSettings
        {
            InputPath = input,
            RealtimePacing = realtime,
            Strategy = strategy,
            Ring = ring,
            JournalPath = Output.JournalPath(parse),
            SummaryJsonPath = parse.GetValue(Output.Summary),
            CandlesCsvPath = parse.GetValue(Output.Candles),
            MaxRuntimeSeconds = parse.GetValue(MaxRuntime),
            FlattenOnShutdown = !parse.GetValue(Keep),
            StatusLines = !parse.GetValue(Output.Quiet),
            PerfReportDirectory = parse.GetValue(Output.PerfReport),
        };
    }
}
