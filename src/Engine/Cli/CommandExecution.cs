using System.Runtime.InteropServices;
using System.Text.Json;
using UpbitHft.Engine.Runtime;
using UpbitHft.Engine.Reports;

namespace UpbitHft.Engine.Cli;

/// <summary>What every command does around its work: exit codes from exceptions, Ctrl+C / SIGTERM, the run report.</summary>
internal static class CommandExecution
{
    /// <summary>
    /// Runs a command body and maps the expected failures to exit codes: 2 with a one-line reason for bad options,
    /// input or configuration (<see cref="ArgumentException"/>, <see cref="JsonException"/>); 1 for a failure while
    /// running (I/O, access, an unreachable exchange).
    /// </summary>
    public static int Guarded(TextWriter stderr, Func<int> action)
    {
        try
        {
            return action();
        }
        catch (ArgumentException ex)
        {
            stderr.WriteLine(OneLine("upbithft: " + ex.Message));
            return 2;
        }
        catch (JsonException ex)
        {
            stderr.WriteLine(OneLine("upbithft: bad config: " + ex.Message));
            return 2;
        }
        catch (InvalidDataException ex)
        {
            // An input file that is not what it claims (a recording of another version, a torn header): say so, no trace.
            stderr.WriteLine(OneLine("upbithft: " + ex.Message));
            return 2;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Net.Http.HttpRequestException)
        {
            stderr.WriteLine(OneLine("upbithft: " + ex.Message));
            return 1;
        }
    }

    /// <summary>Runs <paramref name="run"/> to completion; Ctrl+C and SIGTERM cancel its token instead of killing the process.</summary>
    public static T WithCtrlC<T>(Func<CancellationToken, Task<T>> run)
    {
        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCtrlC = (_, e) =>
        {
            e.Cancel = true; // stop reading, drain, handle positions per options, flush the journal, exit 0
            cancel.Cancel();
        };
        Console.CancelKeyPress += onCtrlC;
        // SIGTERM (systemd, docker stop) shuts down the same orderly way as Ctrl+C.
        using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            cancel.Cancel();
        });
        try
        {
            return run(cancel.Token).GetAwaiter().GetResult();
        }
        finally
        {
            Console.CancelKeyPress -= onCtrlC;
        }
    }

    /// <summary>The console report of a trading run, plus the summary JSON and perf report when they were asked for.</summary>
    public static void Report(RunResult result, string input, EngineSettings settings, TextWriter stdout)
    {
        ConsoleReport.Write(result, input, stdout);
        if (settings.SummaryJsonPath is { } path)
        {
            SummaryJson.Write(result, path);
        }

        if (settings.PerfReportDirectory is { } dir)
        {
            PerfReport.Write(result, input, dir);
            stdout.WriteLine($"  perf report written to {dir}");
        }
    }

    /// <summary>Error messages are one line (exception messages may carry "Actual value was …" on a second).</summary>
    public static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
