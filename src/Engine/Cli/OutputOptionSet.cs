using System.CommandLine;

namespace UpbitHft.Engine.Cli;

/// <summary>Where a trading run writes what it did: journal, summary JSON, candles CSV, perf report, status lines.</summary>
internal sealed class OutputOptionSet
{
    public Option<string?> Journal { get; } = new("--journal") { Description = "SQLite journal to write (WAL)." };
    public Option<string?> Summary { get; } = new("--summary-json") { Description = "Write the run summary as JSON." };
    public Option<string?> Candles { get; } = new("--candles-out") { Description = "Write every closed 1-minute candle as CSV." };
    public Option<bool> Quiet { get; } = new("--quiet") { Description = "No status lines." };
    public Option<string?> PerfReport { get; } = new("--perf-report") { Description = "Write latency histograms (.hgrm), a markdown summary and a PNG percentile plot into this directory." };

    /// <summary>The journal path: the flag, else <c>UPBITHFT_JOURNAL</c>, else none.</summary>
    public string? JournalPath(ParseResult parse) => parse.GetValue(Journal) ?? EnvironmentFallback.String("UPBITHFT_JOURNAL");
}
