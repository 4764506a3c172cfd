using System.CommandLine;
using UpbitHft.Engine.Reports;

namespace UpbitHft.Engine.Cli;

/// <summary><c>report JOURNAL</c>: trades, win rate, P&amp;L, fees and latency percentiles from a journal.</summary>
internal static class ReportCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var journal = new Argument<string>("journal") { Description = "A journal written by --journal." };
        var command = new Command("report", "Print trades, win rate, P&L and fees from a journal.") { journal };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(journal)!;
            if (!File.Exists(path))
            {
                stderr.WriteLine($"upbithft: journal not found: {path}");
                return 2;
            }

            return JournalReport.Write(path, stdout);
        });
        return command;
    }
}
