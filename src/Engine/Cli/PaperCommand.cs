using System.CommandLine;
using UpbitHft.Engine.Modes;
using UpbitHft.Engine.Runtime;

namespace UpbitHft.Engine.Cli;

/// <summary><c>paper</c>: live Upbit market data, paper fills.</summary>
internal static class PaperCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var live = new LiveDataOptionSet();
        var run = new RunOptionSet();
        var ops = new OperationsOptionSet();
        var command = new Command("paper", "Live Upbit market data, paper fills: market list and warm-up candles over REST, then the public WebSocket.");
        live.AddTo(command);
        run.AddTo(command);
        ops.AddTo(command);
        command.SetAction(parse => CommandExecution.Guarded(stderr, () =>
        {
            var settings = run.Settings(parse, live.Describe(parse), realtime: false);
            var liveSettings = live.Settings(parse);
            RunResult result;
            using (var operations = ops.Start(parse, stderr, liveSettings.Time))
            {
                result = CommandExecution.WithCtrlC(token => LiveRunner.RunPaperAsync(settings with { Logging = operations.Logging },
                    liveSettings with { Operations = operations.Settings }, operations.Status, token));
            }

            CommandExecution.Report(result, live.Describe(parse), settings, stdout);
            return 0;
        }));
        return command;
    }
}
