using UpbitHft.Engine.Decisions;
using UpbitHft.Engine.Ring;

namespace UpbitHft.Engine.Runtime;

/// <summary>Everything a run needs, validated before anything starts.</summary>
public sealed record EngineSettings
{
    public required string InputPath { get; init; }
    public bool RealtimePacing { get; init; }

    /// <summary>
    /// Replay at a fixed rate (frames per second) instead of as fast as possible. Each frame's receive stamp is its
    /// <em>intended</em> send time, so a stall of the replay thread shows up as latency (coordinated-omission
    /// correction) instead of silently delaying the measurement.
    /// </summary>
    public double? FixedRate { get; init; }

    /// <summary>
    /// Full-speed replay: let the engine thread parse part of the frames while it keeps up (<see cref="SplitParse"/>),
    /// so parsing uses both cores. Same trades either way.
    /// </summary>
    public bool SplitParse { get; init; } = true;

    /// <summary>Replay: compile the run's code before the clock starts (<see cref="Modes.ReplayWarmUp"/>).</summary>
    public bool WarmUp { get; init; } = true;

    public DecisionOptions Strategy { get; init; } = new();
    public RingOptions Ring { get; init; } = new() { Size = 16_384, MultiProducer = false };
    public string? JournalPath { get; init; }
    public string? SummaryJsonPath { get; init; }
    public string? CandlesCsvPath { get; init; }
    public double? MaxRuntimeSeconds { get; init; }

    /// <summary>Where <c>--perf-report</c> writes .hgrm files, a markdown summary and a PNG plot.</summary>
    public string? PerfReportDirectory { get; init; }

    /// <summary>At shutdown, sell open positions (reason shutdown) instead of leaving them held.</summary>
    public bool FlattenOnShutdown { get; init; } = true;

    /// <summary>Wall time and elapsed time of the run (a fake clock in tests). Latency stamps use the monotonic latency clock instead.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Print a status line every few seconds (to standard error).</summary>
    public bool StatusLines { get; init; } = true;

    /// <summary>
    /// Where the engine's components log (journal, control socket, reconciliation, alerts, metrics). The CLI's
    /// <c>paper</c> and <c>live</c> give a queued console + JSON-file factory (<c>--log-file</c>, <c>--log-level</c>);
    /// the default writes plain lines to standard error, as before.
    /// </summary>
    public Microsoft.Extensions.Logging.ILoggerFactory Logging { get; init; } = UpbitHft.Engine.Logging.LineLoggerProvider.StandardError;
}
