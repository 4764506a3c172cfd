using System.CommandLine;
using UpbitHft.Engine.Control;

namespace UpbitHft.Engine.Cli;

/// <summary>
/// <c>control kill|pause|resume|status --journal FILE</c>: talks to the engine running on that journal through its
/// control socket (<c>FILE.ctl</c>, owner-only). Exit 0 when the engine answered ok, 1 when it is not running or
/// refused, 2 for bad arguments.
/// </summary>
internal static class OperatorCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var action = new Argument<string>("action") { Description = "kill (sell every position and stop), pause (no new entries; exits continue), resume, status." };
        action.AcceptOnlyFromAmong("kill", "pause", "resume", "status");
        var journal = new Option<string>("--journal") { Description = "The journal of the running engine (its control socket sits next to it).", Required = true };
        var command = new Command("control", "Operate a running engine (paper or live) through the control socket next to its journal.") { action, journal };
        command.SetAction(parse => CommandExecution.Guarded(stderr, () =>
        {
            var path = ControlServer.PathFor(parse.GetValue(journal)!);
            var answer = ControlClient.SendAsync(path, parse.GetValue(action)!).GetAwaiter().GetResult();
            stdout.Write(answer);
            return answer.StartsWith("error", StringComparison.Ordinal) ? 1 : 0;
        }));
        return command;
    }
}
