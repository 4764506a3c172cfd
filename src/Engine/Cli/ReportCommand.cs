using System.CommandLine;
using Microsoft.Data.Sqlite;
using UpbitHft.Engine.Reports;

namespace UpbitHft.Engine.Cli;

/// <summary><c>report JOURNAL</c>: trades, win rate, P&amp;L, fees, slippage by exit reason and latency percentiles from a journal.</summary>
internal static class ReportCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var journal = new Argument<string>("journal") { Description = "A journal written by --journal." };
        var command = new Command("report", "Print trades, win rate, P&L, fees, slippage by exit reason and latency percentiles from a journal.") { journal };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(journal)!;
            if (!File.Exists(path))
            {
                stderr.WriteLine($"upbithft: journal not found: {path}");
                return 2;
            }

            return CommandExecution.Guarded(stderr, () =>
            {
                try
                {
                    return JournalReport.Write(path, stdout);
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
