using System.CommandLine;
using System.Globalization;
using Microsoft.Data.Sqlite;
using UpbitHft.Engine.Reports;

namespace UpbitHft.Engine.Cli;

/// <summary>
/// <c>report JOURNAL [--plot DIR] [--candles FILE]</c>: trades, win rate, P&amp;L, fees, slippage by exit reason and
/// latency percentiles from a journal; with <c>--plot</c> also the equity curve and one chart per closed trade (PNG).
/// </summary>
internal static class ReportCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var journal = new Argument<string>("journal") { Description = "A journal written by --journal." };
        var plot = new Option<string?>("--plot")
        {
            Description = "Also draw PNGs into this directory: equity.png (cumulative realised P&L after fees, one point per closed trade) and "
                + "trade-<n>-<market>.png per closed trade (price around entry and exit, both marked, target and stop as lines).",
        };
        var candles = new Option<string?>("--candles")
        {
            Description = "The candles CSV written by --candles-out of the same run: the trade charts then show the 1-minute candles around each trade "
                + "(without it they show the prices the journal holds: decisions and fills). Needs --plot.",
        };
        var command = new Command("report", "Print trades, win rate, P&L, fees, slippage by exit reason and latency percentiles from a journal; --plot draws charts.")
        {
            journal,
            plot,
            candles,
        };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(journal)!;
            var plotDir = parse.GetValue(plot);
            var candlesPath = parse.GetValue(candles);
            if (!File.Exists(path))
            {
                stderr.WriteLine($"upbithft: journal not found: {path}");
                return 2;
            }

            if (candlesPath is not null && (plotDir is null || !File.Exists(candlesPath)))
            {
                stderr.WriteLine(plotDir is null ? "upbithft: --candles needs --plot DIR" : $"upbithft: candles file not found: {candlesPath}");
                return 2;
            }

            return CommandExecution.Guarded(stderr, () =>
            {
                try
                {
                    JournalReport.Write(path, stdout);
                    if (plotDir is not null)
                    {
                        var files = JournalCharts.Write(path, plotDir, candlesPath);
                        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"charts: {files.Count} PNG files in {plotDir} (equity.png and {files.Count - 1} trade charts)"));
                    }

                    return 0;
                }
                catch (InvalidDataException ex)
                {
                    throw new ArgumentException(ex.Message, ex);
                }
                catch (SqliteException ex)
                {
                    throw new ArgumentException($"{path} cannot be read as a journal: {ex.Message}", ex);
                }
            });
        });
        return command;
    }
}
