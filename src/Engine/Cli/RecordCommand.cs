using System.CommandLine;
using System.Globalization;
using UpbitHft.Engine.Modes;

namespace UpbitHft.Engine.Cli;

/// <summary><c>record --out FILE</c>: the live public feed to a recording file for <c>replay</c>.</summary>
internal static class RecordCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var live = new LiveDataOptionSet();
        var output = new Option<string>("--out") { Description = "Recording file to write.", Required = true };
        var maxRuntime = new Option<double?>("--max-runtime") { Description = "Stop after this many seconds." };
        var command = new Command("record", "Record the live public feed (exact frames with receive times) for replay.") { output, maxRuntime };
        live.AddTo(command);
        command.SetAction(parse => CommandExecution.Guarded(stderr, () =>
        {
            var frames = CommandExecution.WithCtrlC(token => LiveRunner.RecordAsync(live.Settings(parse), parse.GetValue(output)!, parse.GetValue(maxRuntime), stderr, token));
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"recorded {frames:N0} frames to {parse.GetValue(output)}"));
            return 0;
        }));
        return command;
    }
}
