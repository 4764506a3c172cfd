using System.CommandLine;
using UpbitHft.Engine.Modes;

namespace UpbitHft.Engine.Cli;

/// <summary><c>replay [FILE]</c>: paper trading on a recorded session through the live pipeline.</summary>
internal static class ReplayCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var file = new Argument<string?>("file") { Arity = ArgumentArity.ZeroOrOne, Description = "A JSONL capture ({\"recv_ts\",\"frame\"} per line) or a recording made by `record`. Default: the bundled sample session." };
        var speed = new Option<string>("--speed") { Description = "max (as fast as possible) or realtime (paced by the recorded receive times).", DefaultValueFactory = _ => "max" };
        speed.AcceptOnlyFromAmong("max", "realtime");
        var rate = new Option<double?>("--rate") { Description = "Replay at this many frames per second, stamping each frame with its due time (latency measurement with coordinated-omission correction)." };
        var parseThreads = new Option<int>("--parse-threads") { Description = "At full speed: 2 lets the engine thread parse some frames while it keeps up (both cores busy); 1 parses every frame on the replay thread. Same trades either way.", DefaultValueFactory = _ => 2 };
        parseThreads.AcceptOnlyFromAmong("1", "2");
        var run = new RunOptionSet(defaultRingSize: 4_096);
        var command = new Command("replay", "Paper trading on a recorded session through the live pipeline (parser -> ring -> engine -> paper exchange).") { file, speed, rate, parseThreads };
        run.AddTo(command);
        command.SetAction(parse => CommandExecution.Guarded(stderr, () =>
        {
            var input = parse.GetValue(file) ?? CommandLineApp.DefaultSession;
            if (!File.Exists(input))
            {
                throw new ArgumentException($"input file not found: {input}");
            }

            if (parse.GetValue(rate) is { } r && !(r > 0 && r <= 10_000_000))
            {
                throw new ArgumentException("--rate must be between 1 and 10,000,000 frames per second.");
            }

            var settings = run.Settings(parse, input, parse.GetValue(speed) == "realtime") with { FixedRate = parse.GetValue(rate), SplitParse = parse.GetValue(parseThreads) == 2 };
            var result = CommandExecution.WithCtrlC(token => ReplayRunner.RunAsync(settings, stderr, token));
            CommandExecution.Report(result, input, settings, stdout);
            return 0;
        }));
        return command;
    }
}
