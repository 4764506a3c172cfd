using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using UpbitHft.Engine.Decisions;
using UpbitHft.Engine.Host;
using UpbitHft.Engine.Reports;
using UpbitHft.Engine.Ring;
using UpbitHft.Engine.Simulation;

namespace UpbitHft.Engine.Cli;

/// <summary>The <c>upbithft</c> command line. Exit codes: 0 done, 1 failed while running, 2 bad options or input.</summary>
public static class CommandLineApp
{
    /// <summary>The bundled sample session, copied next to the executable.</summary>
    public static string DefaultSession => Path.Combine(AppContext.BaseDirectory, "data", "sample-session.jsonl");

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("UpbitHft: a low-latency trading engine for Upbit's KRW markets (paper trading on recorded sessions in this build).")
        {
            ReplayCommand(stdout, stderr),
            SimulateCommand(stdout, stderr),
            ReportCommand(stdout, stderr),
        };
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            stderr.WriteLine(OneLine("upbithft: " + parse.Errors[0].Message + " (see --help)"));
            return 2;
        }

        return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
    }

    private static Command ReplayCommand(TextWriter stdout, TextWriter stderr)
    {
        var file = new Argument<string?>("file") { Arity = ArgumentArity.ZeroOrOne, Description = "A JSONL capture ({\"recv_ts\",\"frame\"} per line). Default: the bundled sample session." };
        var speed = new Option<string>("--speed") { Description = "max (as fast as possible) or realtime (paced by the recorded receive times).", DefaultValueFactory = _ => "max" };
        speed.AcceptOnlyFromAmong("max", "realtime");
        var config = new Option<FileInfo?>("--config") { Description = "Strategy options as JSON (DecisionOptions property names; unknown keys are an error)." };
        var journal = new Option<string?>("--journal") { Description = "SQLite journal to write (WAL)." };
        var summary = new Option<string?>("--summary-json") { Description = "Write the run summary as JSON." };
        var candles = new Option<string?>("--candles-out") { Description = "Write every closed 1-minute candle as CSV." };
        var maxRuntime = new Option<double?>("--max-runtime") { Description = "Stop after this many seconds." };
        var capital = new Option<decimal?>("--capital") { Description = "Initial capital, KRW (default 1,000,000)." };
        var takeProfit = new Option<double?>("--take-profit") { Description = "Take-profit distance, e.g. 0.003 for +0.3 %." };
        var stopLoss = new Option<double?>("--stop-loss") { Description = "Stop-loss distance, e.g. 0.01 for -1 %." };
        var fraction = new Option<decimal?>("--fraction") { Description = "Fraction of capital per entry, e.g. 0.5." };
        var resting = new Option<bool>("--resting-take-profit") { Description = "Rest the take-profit as a limit sell (the stop stays in the engine)." };
        var keep = new Option<bool>("--keep-positions") { Description = "At the end, keep open positions instead of selling them (reason shutdown)." };
        var ringSize = new Option<int>("--ring-size") { Description = "Ring slots, a power of two.", DefaultValueFactory = _ => 16_384 };
        var wait = new Option<WaitStrategyKind>("--wait-strategy") { Description = "Engine thread wait: Yielding (default), Blocking, Sleeping, BusySpin (isolated cores only).", DefaultValueFactory = _ => WaitStrategies.Default };
        var quiet = new Option<bool>("--quiet") { Description = "No status lines." };
        var command = new Command("replay", "Paper trading on a recorded session through the live pipeline (parser -> ring -> engine -> paper exchange).")
        {
            file, speed, config, journal, summary, candles, maxRuntime, capital, takeProfit, stopLoss, fraction, resting, keep, ringSize, wait, quiet,
        };
        command.SetAction(parse =>
        {
            try
            {
                var input = parse.GetValue(file) ?? DefaultSession;
                if (!File.Exists(input))
                {
                    stderr.WriteLine($"upbithft: input file not found: {input}");
                    return 2;
                }

                var options = LoadOptions(parse.GetValue(config));
                options = options with
                {
                    CapitalKrw = parse.GetValue(capital) ?? options.CapitalKrw,
                    TakeProfit = parse.GetValue(takeProfit) ?? options.TakeProfit,
                    StopLoss = parse.GetValue(stopLoss) ?? options.StopLoss,
                    PositionFraction = parse.GetValue(fraction) ?? options.PositionFraction,
                    RestingTakeProfit = parse.GetValue(resting) || options.RestingTakeProfit,
                };
                var errors = options.Errors();
                if (errors.Count > 0)
                {
                    stderr.WriteLine("upbithft: invalid options: " + string.Join(" ", errors));
                    return 2;
                }

                if (parse.GetValue(maxRuntime) is <= 0)
                {
                    stderr.WriteLine("upbithft: --max-runtime must be positive.");
                    return 2;
                }

                var ring = new RingOptions { Size = parse.GetValue(ringSize), WaitStrategy = parse.GetValue(wait), MultiProducer = false };
                ring.Validate();
                var settings = new EngineSettings
                {
                    InputPath = input,
                    RealtimePacing = parse.GetValue(speed) == "realtime",
                    Strategy = options,
                    Ring = ring,
                    JournalPath = parse.GetValue(journal),
                    SummaryJsonPath = parse.GetValue(summary),
                    CandlesCsvPath = parse.GetValue(candles),
                    MaxRuntimeSeconds = parse.GetValue(maxRuntime),
                    FlattenOnShutdown = !parse.GetValue(keep),
                    StatusLines = !parse.GetValue(quiet),
                };
                using var cancel = new CancellationTokenSource();
                ConsoleCancelEventHandler onCtrlC = (_, e) =>
                {
                    e.Cancel = true; // stop reading, drain, flatten per options, flush the journal, exit 0
                    cancel.Cancel();
                };
                Console.CancelKeyPress += onCtrlC;
                try
                {
                    var result = ReplayRunner.RunAsync(settings, stderr, cancel.Token).GetAwaiter().GetResult();
                    ConsoleReport.Write(result, input, stdout);
                    if (settings.SummaryJsonPath is { } path)
                    {
                        SummaryJson.Write(result, path);
                    }
                }
                finally
                {
                    Console.CancelKeyPress -= onCtrlC;
                }

                return 0;
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
            catch (IOException ex)
            {
                stderr.WriteLine(OneLine("upbithft: " + ex.Message));
                return 1;
            }
        });
        return command;
    }

    private static Command SimulateCommand(TextWriter stdout, TextWriter stderr)
    {
        var seed = new Option<int>("--seed") { Description = "Random seed (the same seed gives the same bytes).", DefaultValueFactory = _ => 7 };
        var markets = new Option<int>("--markets") { Description = $"KRW markets (1..{SessionSimulator.MaxMarkets}).", DefaultValueFactory = _ => 12 };
        var minutes = new Option<int>("--minutes") { Description = "Session length in minutes.", DefaultValueFactory = _ => 40 };
        var output = new Option<string>("--out") { Description = "Output JSONL file.", Required = true };
        var command = new Command("simulate", "Write a deterministic, realistic session in Upbit's wire format (SIMPLE frames as JSONL).") { seed, markets, minutes, output };
        command.SetAction(parse =>
        {
            try
            {
                var options = new SimulationOptions { Seed = parse.GetValue(seed), Markets = parse.GetValue(markets), Minutes = parse.GetValue(minutes) };
                options.Validate();
                using var writer = new StreamWriter(parse.GetValue(output)!, append: false) { NewLine = "\n" };
                var frames = SessionSimulator.Write(options, writer);
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wrote {frames:N0} frames ({options.Markets} markets, {options.Minutes} minutes, seed {options.Seed}) to {parse.GetValue(output)}"));
                return 0;
            }
            catch (ArgumentException ex)
            {
                stderr.WriteLine(OneLine("upbithft: " + ex.Message));
                return 2;
            }
        });
        return command;
    }

    private static Command ReportCommand(TextWriter stdout, TextWriter stderr)
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

    private static DecisionOptions LoadOptions(FileInfo? file)
    {
        if (file is null)
        {
            return new DecisionOptions();
        }

        if (!file.Exists)
        {
            throw new ArgumentException($"config file not found: {file.FullName}");
        }

        var json = File.ReadAllText(file.FullName);
        return JsonSerializer.Deserialize<DecisionOptions>(json, s_configJson) ?? throw new ArgumentException("config file is empty");
    }

    /// <summary>Error messages are one line (exception messages may carry "Actual value was …" on a second).</summary>
    private static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static readonly JsonSerializerOptions s_configJson = new()
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
    };
}
