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
        var root = new RootCommand("UpbitHft: a low-latency trading engine for Upbit's KRW markets (replay, paper and live trading).")
        {
            ReplayCommand(stdout, stderr),
            PaperCommand(stdout, stderr),
            LiveCommand(stdout, stderr),
            RecordCommand(stdout, stderr),
            SimulateCommand(stdout, stderr),
            ConvertCommand.Create(stdout, stderr),
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

    /// <summary>The options every trading command shares (replay and paper).</summary>
    private sealed class RunOptions
    {
        public Option<FileInfo?> Config { get; } = new("--config") { Description = "Strategy options as JSON (DecisionOptions property names; unknown keys are an error)." };
        public Option<string?> Journal { get; } = new("--journal") { Description = "SQLite journal to write (WAL)." };
        public Option<string?> Summary { get; } = new("--summary-json") { Description = "Write the run summary as JSON." };
        public Option<string?> Candles { get; } = new("--candles-out") { Description = "Write every closed 1-minute candle as CSV." };
        public Option<double?> MaxRuntime { get; } = new("--max-runtime") { Description = "Stop after this many seconds." };
        public Option<decimal?> Capital { get; } = new("--capital") { Description = "Capital, KRW (default 1,000,000); in live mode the most the engine trades with, capped by the account's free KRW." };
        public Option<double?> TakeProfit { get; } = new("--take-profit") { Description = "Take-profit distance, e.g. 0.003 for +0.3 %." };
        public Option<double?> StopLoss { get; } = new("--stop-loss") { Description = "Stop-loss distance, e.g. 0.01 for -1 %." };
        public Option<decimal?> Fraction { get; } = new("--fraction") { Description = "Fraction of capital per entry, e.g. 0.5." };
        public Option<bool> Resting { get; } = new("--resting-take-profit") { Description = "Rest the take-profit as a limit sell (the stop stays in the engine)." };
        public Option<bool> Keep { get; } = new("--keep-positions") { Description = "At the end, keep open positions instead of selling them (reason shutdown)." };
        public Option<int> RingSize { get; } = new("--ring-size") { Description = "Ring slots, a power of two.", DefaultValueFactory = _ => 16_384 };
        public Option<WaitStrategyKind> Wait { get; } = new("--wait-strategy") { Description = "Engine thread wait: Yielding (default), Blocking, Sleeping, BusySpin (isolated cores only).", DefaultValueFactory = _ => WaitStrategies.Default };
        public Option<bool> Quiet { get; } = new("--quiet") { Description = "No status lines." };
        public Option<string?> PerfReport { get; } = new("--perf-report") { Description = "Write latency histograms (.hgrm), a markdown summary and a PNG percentile plot into this directory." };

        public void AddTo(Command command)
        {
            foreach (var o in new Option[] { Config, Journal, Summary, Candles, MaxRuntime, Capital, TakeProfit, StopLoss, Fraction, Resting, Keep, RingSize, Wait, Quiet, PerfReport })
            {
                command.Options.Add(o);
            }
        }

        /// <summary>Validated settings, or an <see cref="ArgumentException"/> with every problem.</summary>
        public EngineSettings Settings(ParseResult parse, string input, bool realtime)
        {
            var options = LoadOptions(parse.GetValue(Config));
            options = options with
            {
                CapitalKrw = parse.GetValue(Capital) ?? EnvDecimal("UPBITHFT_CAPITAL") ?? options.CapitalKrw,
                TakeProfit = parse.GetValue(TakeProfit) ?? EnvDouble("UPBITHFT_TAKE_PROFIT") ?? options.TakeProfit,
                StopLoss = parse.GetValue(StopLoss) ?? EnvDouble("UPBITHFT_STOP_LOSS") ?? options.StopLoss,
                PositionFraction = parse.GetValue(Fraction) ?? EnvDecimal("UPBITHFT_FRACTION") ?? options.PositionFraction,
                RestingTakeProfit = parse.GetValue(Resting) || options.RestingTakeProfit,
            };
            var errors = options.Errors();
            if (errors.Count > 0)
            {
                throw new ArgumentException("invalid options: " + string.Join(" ", errors));
            }

            if (parse.GetValue(MaxRuntime) is <= 0)
            {
                throw new ArgumentException("--max-runtime must be positive.");
            }

            var ring = new RingOptions { Size = parse.GetValue(RingSize), WaitStrategy = parse.GetValue(Wait), MultiProducer = false };
            ring.Validate();
            return new EngineSettings
            {
                InputPath = input,
                RealtimePacing = realtime,
                Strategy = options,
                Ring = ring,
                JournalPath = parse.GetValue(Journal) ?? Environment.GetEnvironmentVariable("UPBITHFT_JOURNAL"),
                SummaryJsonPath = parse.GetValue(Summary),
                CandlesCsvPath = parse.GetValue(Candles),
                MaxRuntimeSeconds = parse.GetValue(MaxRuntime),
                FlattenOnShutdown = !parse.GetValue(Keep),
                StatusLines = !parse.GetValue(Quiet),
                PerfReportDirectory = parse.GetValue(PerfReport),
            };
        }
    }

    private static Command ReplayCommand(TextWriter stdout, TextWriter stderr)
    {
        var file = new Argument<string?>("file") { Arity = ArgumentArity.ZeroOrOne, Description = "A JSONL capture ({\"recv_ts\",\"frame\"} per line) or a recording made by `record`. Default: the bundled sample session." };
        var speed = new Option<string>("--speed") { Description = "max (as fast as possible) or realtime (paced by the recorded receive times).", DefaultValueFactory = _ => "max" };
        speed.AcceptOnlyFromAmong("max", "realtime");
        var rate = new Option<double?>("--rate") { Description = "Replay at this many frames per second, stamping each frame with its due time (latency measurement with coordinated-omission correction)." };
        var run = new RunOptions();
        var command = new Command("replay", "Paper trading on a recorded session through the live pipeline (parser -> ring -> engine -> paper exchange).") { file, speed, rate };
        run.AddTo(command);
        command.SetAction(parse => Guarded(stderr, () =>
        {
            var input = parse.GetValue(file) ?? DefaultSession;
            if (!File.Exists(input))
            {
                throw new ArgumentException($"input file not found: {input}");
            }

            if (parse.GetValue(rate) is { } r && !(r > 0 && r <= 10_000_000))
            {
                throw new ArgumentException("--rate must be between 1 and 10,000,000 frames per second.");
            }

            var settings = run.Settings(parse, input, parse.GetValue(speed) == "realtime") with { FixedRate = parse.GetValue(rate) };
            var result = WithCtrlC(token => ReplayRunner.RunAsync(settings, stderr, token));
            Report(result, input, settings, stdout);
            return 0;
        }));
        return command;
    }

    private static Command PaperCommand(TextWriter stdout, TextWriter stderr)
    {
        var live = new LiveOptions();
        var run = new RunOptions();
        var command = new Command("paper", "Live Upbit market data, paper fills: market list and warm-up candles over REST, then the public WebSocket.");
        live.AddTo(command);
        run.AddTo(command);
        command.SetAction(parse => Guarded(stderr, () =>
        {
            var settings = run.Settings(parse, live.Describe(parse), realtime: false);
            var result = WithCtrlC(token => LiveRunner.RunPaperAsync(settings, live.Settings(parse), stderr, token));
            Report(result, live.Describe(parse), settings, stdout);
            return 0;
        }));
        return command;
    }

    private static Command LiveCommand(TextWriter stdout, TextWriter stderr)
    {
        var live = new LiveOptions();
        var run = new RunOptions();
        var confirm = new Option<bool>("--confirm-live") { Description = "Required: real orders with real money on the account of UPBIT_ACCESS_KEY / UPBIT_SECRET_KEY." };
        var orderRate = new Option<int>("--order-rate") { Description = "Upbit's order-group limit for this account, per second: 8 (default) or up to 12 where Upbit allows it.", DefaultValueFactory = _ => 8 };
        var privateUrl = new Option<string>("--ws-private-url") { Description = "Private WebSocket URL (myOrder).", DefaultValueFactory = _ => "wss://api.upbit.com/websocket/v1/private" };
        var command = new Command("live", "Real orders on Upbit: reconciles with the exchange and the journal at start-up, then trades the live feed. Needs --confirm-live and the API keys in UPBIT_ACCESS_KEY / UPBIT_SECRET_KEY.") { confirm, privateUrl, orderRate };
        live.AddTo(command);
        run.AddTo(command);
        command.SetAction(parse => Guarded(stderr, () =>
        {
            if (!parse.GetValue(confirm))
            {
                throw new ArgumentException("live trading sends real orders with real money: add --confirm-live to mean it (or use `paper`).");
            }

            var credentials = UpbitHft.Gateway.Auth.UpbitCredentials.FromEnvironment()
                ?? throw new ArgumentException("live trading needs the API keys in UPBIT_ACCESS_KEY and UPBIT_SECRET_KEY (environment variables, never flags); one or both are missing.");
            var settings = run.Settings(parse, live.Describe(parse), realtime: false);
            if (settings.JournalPath is null)
            {
                // Restarts reconcile against the journal: live always keeps one.
                settings = settings with { JournalPath = "upbithft-live.db" };
                stderr.WriteLine("live: journal upbithft-live.db (set --journal to choose)");
            }

            var liveSettings = live.Settings(parse) with
            {
                RateLimits = new UpbitHft.Gateway.RateLimits.RateLimitOptions
                {
                    OrderPerSecond = parse.GetValue(orderRate) is var rate and >= 1 and <= 12 ? rate : throw new ArgumentException("--order-rate must be between 1 and 12 (Upbit's order limit per second)."),
                },
                PrivateWsUrl = LiveOptions.Url(Explicit(parse, privateUrl) ?? Environment.GetEnvironmentVariable("UPBITHFT_WS_PRIVATE_URL") ?? parse.GetValue(privateUrl), "--ws-private-url", "ws", "wss"),
            };
            stderr.WriteLine($"live: REAL ORDERS on {liveSettings.RestUrl} with {credentials}");
            var result = WithCtrlC(token => LiveRunner.RunLiveAsync(settings, liveSettings, credentials, stderr, token));
            Report(result, live.Describe(parse), settings, stdout);
            return 0;
        }));
        return command;
    }

    private static Command RecordCommand(TextWriter stdout, TextWriter stderr)
    {
        var live = new LiveOptions();
        var output = new Option<string>("--out") { Description = "Recording file to write.", Required = true };
        var maxRuntime = new Option<double?>("--max-runtime") { Description = "Stop after this many seconds." };
        var command = new Command("record", "Record the live public feed (exact frames with receive times) for replay.") { output, maxRuntime };
        live.AddTo(command);
        command.SetAction(parse => Guarded(stderr, () =>
        {
            var frames = WithCtrlC(token => LiveRunner.RecordAsync(live.Settings(parse), parse.GetValue(output)!, parse.GetValue(maxRuntime), stderr, token));
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"recorded {frames:N0} frames to {parse.GetValue(output)}"));
            return 0;
        }));
        return command;
    }

    /// <summary>Endpoints and market selection of the live modes.</summary>
    private sealed class LiveOptions
    {
        public Option<string> RestUrl { get; } = new("--rest-url") { Description = "REST base URL (a test exchange, say).", DefaultValueFactory = _ => "https://api.upbit.com" };
        public Option<string> WsUrl { get; } = new("--ws-url") { Description = "Public WebSocket URL.", DefaultValueFactory = _ => "wss://api.upbit.com/websocket/v1" };
        public Option<string?> Markets { get; } = new("--markets") { Description = "Comma-separated KRW markets to watch (default: every KRW market)." };
        public Option<int> Warmup { get; } = new("--warmup-candles") { Description = "1-minute candles per market fetched at start-up for RSI and volume warm-up.", DefaultValueFactory = _ => 40 };
        public Option<double> Silence { get; } = new("--feed-silence-timeout") { Description = "Seconds without market data (public socket) or any message (private socket) before the socket is replaced.", DefaultValueFactory = _ => 30 };

        public void AddTo(Command command)
        {
            command.Options.Add(RestUrl);
            command.Options.Add(WsUrl);
            command.Options.Add(Markets);
            command.Options.Add(Warmup);
            command.Options.Add(Silence);
        }

        public LiveSettings Settings(ParseResult parse) => new()
        {
            RestUrl = Url(Explicit(parse, RestUrl) ?? Environment.GetEnvironmentVariable("UPBITHFT_REST_URL") ?? parse.GetValue(RestUrl), "--rest-url", "http", "https"),
            WsUrl = Url(Explicit(parse, WsUrl) ?? Environment.GetEnvironmentVariable("UPBITHFT_WS_URL") ?? parse.GetValue(WsUrl), "--ws-url", "ws", "wss"),
            Markets = parse.GetValue(Markets)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            WarmupCandles = parse.GetValue(Warmup) is var w and >= 0 and <= 200 ? w : throw new ArgumentException("--warmup-candles must be between 0 and 200 (one REST request per market)."),
            SilenceTimeout = parse.GetValue(Silence) is var t and >= 0.5 and <= 600 ? TimeSpan.FromSeconds(t) : throw new ArgumentException("--feed-silence-timeout must be between 0.5 and 600 seconds."),
        };

        public string Describe(ParseResult parse) => parse.GetValue(WsUrl)!;

        public static Uri Url(string? text, string option, params string[] schemes) =>
            Uri.TryCreate(text, UriKind.Absolute, out var uri) && schemes.Contains(uri.Scheme)
                ? uri
                : throw new ArgumentException($"{option} must be an absolute {string.Join(" or ", schemes)} URL (got '{text}').");
    }

    private static T WithCtrlC<T>(Func<CancellationToken, Task<T>> run)
    {
        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCtrlC = (_, e) =>
        {
            e.Cancel = true; // stop reading, drain, handle positions per options, flush the journal, exit 0
            cancel.Cancel();
        };
        Console.CancelKeyPress += onCtrlC;
        // SIGTERM (systemd, docker stop) shuts down the same orderly way as Ctrl+C.
        using var onTerm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, context =>
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

    private static void Report(RunResult result, string input, EngineSettings settings, TextWriter stdout)
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

    private static int Guarded(TextWriter stderr, Func<int> action)
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
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Net.Http.HttpRequestException)
        {
            stderr.WriteLine(OneLine("upbithft: " + ex.Message));
            return 1;
        }
    }

    private static Command SimulateCommand(TextWriter stdout, TextWriter stderr)
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

    // Environment variables set the same options as the flags (a flag wins): UPBITHFT_CAPITAL, UPBITHFT_TAKE_PROFIT,
    // UPBITHFT_STOP_LOSS, UPBITHFT_FRACTION, UPBITHFT_JOURNAL, UPBITHFT_REST_URL, UPBITHFT_WS_URL, UPBITHFT_WS_PRIVATE_URL.
    private static decimal? EnvDecimal(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v
        ? decimal.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : throw new ArgumentException($"{name}='{v}' is not a number.")
        : null;

    private static double? EnvDouble(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v
        ? double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : throw new ArgumentException($"{name}='{v}' is not a number.")
        : null;

    private static string? Explicit(ParseResult parse, Option<string> option) =>
        parse.GetResult(option) is { Implicit: false } ? parse.GetValue(option) : null;

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
