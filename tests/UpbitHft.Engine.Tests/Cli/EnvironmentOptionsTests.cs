using UpbitHft.Engine.Cli;

namespace UpbitHft.Engine.Tests.Cli;

/// <summary>Tests that change process environment variables run alone (other tests read the same variables).</summary>
[CollectionDefinition(nameof(EnvironmentAlone), DisableParallelization = true)]
public sealed class EnvironmentAlone;

[Collection(nameof(EnvironmentAlone))]
public class EnvironmentOptionsTests
{
    private static (int Code, string Err) Run(params string[] args)
    {
        var stderr = new StringWriter();
        return (CommandLineApp.Run(args, new StringWriter(), stderr), stderr.ToString());
    }

    [Fact]
    public void Environment_variables_set_options_and_a_flag_wins()
    {
        try
        {
            Environment.SetEnvironmentVariable("UPBITHFT_TAKE_PROFIT", "0");
            var (code, error) = Run("replay", "--quiet", "--max-runtime", "5");
            Assert.Equal(2, code);
            Assert.Contains("TakeProfit", error, StringComparison.Ordinal);

            Assert.Equal(0, Run("replay", "--quiet", "--max-runtime", "5", "--take-profit", "0.004").Code); // the flag wins

            Environment.SetEnvironmentVariable("UPBITHFT_TAKE_PROFIT", "lots");
            var (badCode, badError) = Run("replay", "--quiet");
            Assert.Equal(2, badCode);
            Assert.Contains("UPBITHFT_TAKE_PROFIT='lots' is not a number", badError, StringComparison.Ordinal);

            Environment.SetEnvironmentVariable("UPBITHFT_TAKE_PROFIT", null);
            Environment.SetEnvironmentVariable("UPBITHFT_WS_URL", "http://wrong-scheme");
            var (urlCode, urlError) = Run("paper", "--quiet");
            Assert.Equal(2, urlCode);
            Assert.Contains("--ws-url must be an absolute ws or wss URL", urlError, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("UPBITHFT_TAKE_PROFIT", null);
            Environment.SetEnvironmentVariable("UPBITHFT_WS_URL", null);
        }
    }

    [Fact]
    public async Task Live_refuses_without_the_flag_or_the_keys_and_never_prints_the_secret()
    {
        var journal = Path.Combine(Path.GetTempPath(), $"upbithft-live-cli-{Guid.NewGuid():N}.db");
        try
        {
            Environment.SetEnvironmentVariable("UPBIT_ACCESS_KEY", null);
            Environment.SetEnvironmentVariable("UPBIT_SECRET_KEY", null);
            var (code, error) = Run("live", "--rest-url", "http://127.0.0.1:9");
            Assert.Equal(2, code);
            Assert.Contains("add --confirm-live", error, StringComparison.Ordinal);

            (code, error) = Run("live", "--confirm-live", "--rest-url", "http://127.0.0.1:9");
            Assert.Equal(2, code);
            Assert.Contains("UPBIT_ACCESS_KEY and UPBIT_SECRET_KEY", error, StringComparison.Ordinal);

            // With the keys, against the fake exchange: it runs, and the secret appears nowhere in what it prints.
            var quiet = Enumerable.Range(0, 20).Select(i => System.Text.Encoding.UTF8.GetBytes(
                $$"""{"type":"orderbook","code":"KRW-BTC","timestamp":{{1793579460000L + i}},"total_ask_size":1.0,"total_bid_size":1.0,"orderbook_units":[{"ask_price":500500.0,"bid_price":500000.0,"ask_size":1.0,"bid_size":1.0}],"stream_type":"REALTIME","level":0}"""));
            await using var x = await UpbitHft.TestSupport.FakeUpbit.FakeUpbitExchange.StartAsync(quiet);
            Environment.SetEnvironmentVariable("UPBIT_ACCESS_KEY", x.Rest.Options.AccessKey);
            Environment.SetEnvironmentVariable("UPBIT_SECRET_KEY", x.Rest.Options.SecretKey);
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            code = CommandLineApp.Run(["live", "--confirm-live", "--rest-url", x.Rest.BaseUrl.ToString(), "--ws-url", x.WebSocket.Url.ToString(),
                "--ws-private-url", x.PrivateUrl.ToString(), "--max-runtime", "2", "--journal", journal], stdout, stderr);
            Assert.True(code == 0, stderr.ToString());
            Assert.Contains("live: REAL ORDERS on " + x.Rest.BaseUrl, stderr.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain(x.Rest.Options.SecretKey, stdout.ToString() + stderr.ToString(), StringComparison.Ordinal);
            Assert.Equal(1, x.WebSocket.PrivateConnections);
            Assert.Contains(x.WebSocket.AuthorizationHeaders, h => h.StartsWith("Bearer ", StringComparison.Ordinal));

            // The order path was warmed before the feeds started: 4 rounds of 2 test orders, each accepted by the exchange.
            Assert.Equal(8, x.Rest.TestOrders);
            Assert.Contains("live: order path warmed with 8 of 8 test orders answered over 2 order connection(s)", stderr.ToString(), StringComparison.Ordinal);

            foreach (var (option, value, message) in new[]
            {
                ("--order-connections", "0", "--order-connections must be between 1 and 8"),
                ("--order-warmup-rounds", "21", "--order-warmup-rounds must be between 0 and 20"),
                ("--order-keep-warm", "0.5", "--order-keep-warm must be 0 (never) or between 1 and 600 seconds"),
                ("--gateway-rehearsal-ms", "0.05", "--gateway-rehearsal-ms must be 0 (never) or between 0.1 and 1000"),
                ("--gateway-wait-strategy", "Fastest", "Fastest"),
                ("--gateway-sign-ahead", "maybe", "maybe"),
            })
            {
                (code, error) = Run("live", "--confirm-live", "--rest-url", x.Rest.BaseUrl.ToString(), option, value);
                Assert.True(code != 0, option);
                Assert.Contains(message, error, StringComparison.Ordinal);
            }
        }
        finally
        {
            Environment.SetEnvironmentVariable("UPBIT_ACCESS_KEY", null);
            Environment.SetEnvironmentVariable("UPBIT_SECRET_KEY", null);
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            File.Delete(journal);
            File.Delete(journal + "-wal");
            File.Delete(journal + "-shm");
        }
    }
}
