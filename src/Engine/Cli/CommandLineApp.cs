using System.CommandLine;

namespace UpbitHft.Engine.Cli;

/// <summary>
/// The <c>upbithft</c> command line: assembles the root command from one file per command (<c>ReplayCommand</c>,
/// <c>PaperCommand</c>, …) and reports option errors. Exit codes: 0 done, 1 failed while running (an unreachable
/// exchange, an I/O failure), 2 bad options, configuration or input (with a one-line reason on stderr).
/// </summary>
/// <remarks>
/// A new command is one new file with a <c>static Command Create(TextWriter stdout, TextWriter stderr)</c> — sharing
/// the option sets (<see cref="RunOptionSet"/>, <see cref="LiveDataOptionSet"/>) and <see cref="CommandExecution"/>
/// for exit codes — plus one line in <see cref="Run"/>.
/// </remarks>
public static class CommandLineApp
{
    /// <summary>The bundled sample session, copied next to the executable.</summary>
    public static string DefaultSession => Path.Combine(AppContext.BaseDirectory, "data", "sample-session.jsonl");

    /// <summary>Parses <paramref name="args"/>, runs the command and returns its exit code.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("UpbitHft: a low-latency trading engine for Upbit's KRW markets (replay, paper and live trading).")
        {
            ReplayCommand.Create(stdout, stderr),
            PaperCommand.Create(stdout, stderr),
            LiveCommand.Create(stdout, stderr),
            RecordCommand.Create(stdout, stderr),
            SimulateCommand.Create(stdout, stderr),
            ConvertCommand.Create(stdout, stderr),
            ReportCommand.Create(stdout, stderr),
            OperatorCommand.Create(stdout, stderr),
        };
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            stderr.WriteLine(CommandExecution.OneLine("upbithft: " + parse.Errors[0].Message + " (see --help)"));
            return 2;
        }

        return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
    }
}
