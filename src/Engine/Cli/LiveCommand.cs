using System.CommandLine;
using UpbitHft.Engine.Modes;
using UpbitHft.Engine.Ring;
using UpbitHft.Engine.Runtime;
using UpbitHft.Gateway.Auth;
using UpbitHft.Gateway.RateLimits;

namespace UpbitHft.Engine.Cli;

/// <summary><c>live --confirm-live</c>: real orders on Upbit, after reconciling with the exchange and the journal.</summary>
internal static class LiveCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var live = new LiveDataOptionSet();
        var run = new RunOptionSet();
        var confirm = new Option<bool>("--confirm-live") { Description = "Required: real orders with real money on the account of UPBIT_ACCESS_KEY / UPBIT_SECRET_KEY." };
        var orderRate = new Option<int>("--order-rate") { Description = "Upbit's order-group limit for this account, per second: 8 (default) or up to 12 where Upbit allows it.", DefaultValueFactory = _ => 8 };
        var privateUrl = new Option<string>("--ws-private-url") { Description = "Private WebSocket URL (myOrder).", DefaultValueFactory = _ => "wss://api.upbit.com/websocket/v1/private" };
        var gatewayWait = new Option<WaitStrategyKind>("--gateway-wait-strategy") { Description = "How the gateway thread waits for the next order: SpinThenBlock (default: spins 50 µs, then parks), Blocking, Yielding, Sleeping, BusySpin.", DefaultValueFactory = _ => WaitStrategyKind.SpinThenBlock };
        var connections = new Option<int>("--order-connections") { Description = "Order connections opened at start and kept warm (orders that may be in flight at once).", DefaultValueFactory = _ => 2 };
        var warmUp = new Option<int>("--order-warmup-rounds") { Description = "Rounds of test orders (POST /v1/orders/test, creates nothing) sent down the order path at start; 0 = none.", DefaultValueFactory = _ => 4 };
        var keepWarm = new Option<double>("--order-keep-warm") { Description = "Seconds without an order after which test orders keep the order path warm; 0 = never.", DefaultValueFactory = _ => 15 };
        var rehearse = new Option<double>("--gateway-rehearsal-ms") { Description = "While waiting for an order, the gateway thread signs one it never sends at most this often (ms), so the next order is signed by hot code; 0 = never.", DefaultValueFactory = _ => 1 };
        var signAhead = new Option<bool>("--gateway-sign-ahead") { Description = "While waiting for an order, the gateway thread signs the entries the engine foresees, so a foreseen entry is not signed on its way out (true by default).", DefaultValueFactory = _ => true };
        var command = new Command("live", "Real orders on Upbit: reconciles with the exchange and the journal at start-up, then trades the live feed. Needs --confirm-live and the API keys in UPBIT_ACCESS_KEY / UPBIT_SECRET_KEY.") { confirm, privateUrl, orderRate, gatewayWait, rehearse, signAhead, connections, warmUp, keepWarm };
        var ops = new OperationsOptionSet();
        live.AddTo(command);
        run.AddTo(command);
        ops.AddTo(command);
        command.SetAction(parse => CommandExecution.Guarded(stderr, () =>
        {
            if (!parse.GetValue(confirm))
            {
                throw new ArgumentException("live trading sends real orders with real money: add --confirm-live to mean it (or use `paper`).");
            }

            var credentials = UpbitCredentials.FromEnvironment()
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
                RateLimits = new RateLimitOptions
                {
                    OrderPerSecond = parse.GetValue(orderRate) is var rate and >= 1 and <= 12 ? rate : throw new ArgumentException("--order-rate must be between 1 and 12 (Upbit's order limit per second)."),
                },
                GatewayWait = Enum.IsDefined(parse.GetValue(gatewayWait)) ? parse.GetValue(gatewayWait) : throw new ArgumentException("--gateway-wait-strategy must be SpinThenBlock, Blocking, Yielding, Sleeping or BusySpin."),
                GatewayRehearsal = parse.GetValue(rehearse) is var r and (0 or (>= 0.1 and <= 1_000)) ? TimeSpan.FromMilliseconds(r) : throw new ArgumentException("--gateway-rehearsal-ms must be 0 (never) or between 0.1 and 1000."),
                SignAhead = parse.GetValue(signAhead),
                OrderConnections = parse.GetValue(connections) is var n and >= 1 and <= 8 ? n : throw new ArgumentException("--order-connections must be between 1 and 8."),
                OrderWarmUpRounds = parse.GetValue(warmUp) is var rounds and >= 0 and <= 20 ? rounds : throw new ArgumentException("--order-warmup-rounds must be between 0 and 20 (test orders count against the order-test group's 8/s)."),
                KeepOrderPathWarm = parse.GetValue(keepWarm) is var k and (0 or (>= 1 and <= 600)) ? TimeSpan.FromSeconds(k) : throw new ArgumentException("--order-keep-warm must be 0 (never) or between 1 and 600 seconds."),
                PrivateWsUrl = LiveDataOptionSet.Url(
                    EnvironmentFallback.Explicit(parse, privateUrl) ?? EnvironmentFallback.String("UPBITHFT_WS_PRIVATE_URL") ?? parse.GetValue(privateUrl),
                    "--ws-private-url", "ws", "wss"),
            };
            RunResult result;
            using (var operations = ops.Start(parse, stderr, liveSettings.Time))
            {
                operations.Status.WriteLine($"live: REAL ORDERS on {liveSettings.RestUrl} with {credentials}");
                result = CommandExecution.WithCtrlC(token => LiveRunner.RunLiveAsync(settings with { Logging = operations.Logging },
                    liveSettings with { Operations = operations.Settings }, credentials, operations.Status, token));
            }

            CommandExecution.Report(result, live.Describe(parse), settings, stdout);
            return 0;
        }));
        return command;
    }
}
