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
}
