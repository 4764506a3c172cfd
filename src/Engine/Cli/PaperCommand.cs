using System.CommandLine;
using UpbitHft.Engine.Modes;

namespace UpbitHft.Engine.Cli;

/// <summary><c>paper</c>: live Upbit market data, paper fills.</summary>
internal static class PaperCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var live = new LiveDataOptionSet();
        var run = new RunOptionSet();
        var command = new Command("paper", "Live Upbit market data, paper fills: market list and warm-up candles over REST, then the public WebSocket.");
        live.AddTo(command);
        run.AddTo(command);
        command.SetAction(parse => CommandExecution.Guarded(stderr, () =>
        {
            var settings = run.Settings(parse, live.Describe(parse), realtime: false);
            var result = CommandExecution.WithCtrlC(token => LiveRunner.RunPaperAsync(settings, live.Settings(parse), stderr, token));
            CommandExecution.Report(result, live.Describe(parse), settings, stdout);
            return 0;
        }));
        return command;
    }
}
