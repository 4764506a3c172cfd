using System.CommandLine;
using System.Globalization;
using UpbitHft.Engine.Simulation;

namespace UpbitHft.Engine.Cli;

/// <summary><c>simulate --seed N --markets M --minutes T --out FILE</c>: a deterministic session in Upbit's wire format.</summary>
internal static class SimulateCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var seed = new Option<int>("--seed") { Description = "Random seed (the same seed gives the same bytes).", DefaultValueFactory = _ => 7 };
        var markets = new Option<int>("--markets") { Description = $"KRW markets (1..{SessionSimulator.MaxMarkets}).", DefaultValueFactory = _ => 12 };
        var minutes = new Option<int>("--minutes") { Description = "Session length in minutes.", DefaultValueFactory = _ => 40 };
        var output = new Option<string>("--out") { Description = "Output JSONL file.", Required = true };
        var command = new Command("simulate", "Write a deterministic, realistic session in Upbit's wire format (SIMPLE or DEFAULT frames as JSONL).") { seed, markets, minutes, output };
        var mix = new SimulateMixOptions();
        mix.AddTo(command);
        command.SetAction(parse =>
        {
            try
            {
                var options = mix.Apply(parse, new SimulationOptions { Seed = parse.GetValue(seed), Markets = parse.GetValue(markets), Minutes = parse.GetValue(minutes) });
                options.Validate();
                using var writer = new StreamWriter(parse.GetValue(output)!, append: false) { NewLine = "\n" };
                var frames = SessionSimulator.Write(options, writer);
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wrote {frames:N0} frames ({options.Markets} markets, {options.Minutes} minutes, seed {options.Seed}) to {parse.GetValue(output)}"));
                return 0;
            }
            catch (ArgumentException ex)
            {
                stderr.WriteLine(CommandExecution.OneLine("upbithft: " + ex.Message));
                return 2;
            }
        });
        return command;
    }
}
