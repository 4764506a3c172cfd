using System.Text;
using System.Text.Json;
using UpbitHft.Engine.Cli;
using UpbitHft.Engine.Simulation;
using UpbitHft.Feed.Events;
using UpbitHft.Feed.Markets;
using UpbitHft.Feed.Parsing;

namespace UpbitHft.Engine.Tests.Simulation;

public sealed class SessionSimulatorTests
{
    private static readonly string s_sample = Path.Combine(AppContext.BaseDirectory, "data", "sample-session.jsonl");

    private static (string Text, long Frames) Simulate(SimulationOptions options)
    {
        var writer = new StringWriter { NewLine = "\n" };
        var frames = SessionSimulator.Write(options, writer);
        return (writer.ToString(), frames);
    }

    private static IEnumerable<string> Frames(string jsonl) =>
        jsonl.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement.GetProperty("frame").GetString()!);

    [Fact]
    public void The_default_options_still_make_the_bundled_sample_byte_for_byte()
    {
        var (text, frames) = Simulate(new SimulationOptions { Seed = 7, Markets = 12, Minutes = 40 });
        Assert.Equal(13_732, frames);
        Assert.Equal(File.ReadAllBytes(s_sample), Encoding.UTF8.GetBytes(text));
    }

    [Theory]
    [InlineData(SimulationFormat.Simple, SimulationSpelling.Wire)]
    [InlineData(SimulationFormat.Default, SimulationSpelling.Wire)]
    [InlineData(SimulationFormat.Simple, SimulationSpelling.Sample)]
    [InlineData(SimulationFormat.Default, SimulationSpelling.Sample)]
    public void An_all_market_book_heavy_session_has_the_asked_mix_and_every_frame_parses(SimulationFormat format, SimulationSpelling spelling)
    {
        var options = new SimulationOptions
        {
            Seed = 11, Markets = 120, Minutes = 30, Format = format, Spelling = spelling,
            BookShare = 0.55, TickerShare = 0.05, FramesPerSecond = 300, MaxFrames = 20_000,
        };
        var (text, frames) = Simulate(options);
        Assert.Equal(20_000, frames);

        var parser = new UpbitMessageParser(new MarketTable(), new UpbitParserOptions { AddUnknownMarkets = true });
        var kinds = new Dictionary<MarketEventKind, int>();
        var markets = new HashSet<int>();
        var lines = 0;
        foreach (var frame in Frames(text))
        {
            lines++;
            var ev = default(MarketEvent);
            var status = parser.Parse(Encoding.UTF8.GetBytes(frame), 1, ref ev);
            Assert.True(status == ParseStatus.Ok, $"{status}: {frame}");
            Assert.Equal(format == SimulationFormat.Simple ? MessageFormat.Simple : MessageFormat.Default, ev.Format);
            kinds[ev.Kind] = kinds.GetValueOrDefault(ev.Kind) + 1;
            markets.Add(ev.MarketId);
            if (ev.Kind == MarketEventKind.Orderbook)
            {
                Assert.Equal(15, ev.LevelCount);
            }

            if (ev.Kind == MarketEventKind.Trade && spelling == SimulationSpelling.Wire)
            {
                Assert.True(ev.BestAskPrice > ev.BestBidPrice, frame);
            }
        }

        Assert.Equal(20_000, lines);
        Assert.InRange(kinds[MarketEventKind.Orderbook] / 20_000.0, 0.52, 0.58);
        Assert.InRange(kinds[MarketEventKind.Ticker] / 20_000.0, 0.035, 0.065);
        Assert.Equal(20_000, kinds.Values.Sum());
        Assert.True(markets.Count >= 100, $"{markets.Count} markets");
    }

    [Fact]
    public void Wire_spelling_has_the_spellings_of_the_real_captures()
    {
        var (text, _) = Simulate(new SimulationOptions
        {
            Seed = 1, Markets = SessionSimulator.MaxMarkets, Minutes = 2, Spelling = SimulationSpelling.Wire, BookShare = 0.5, TickerShare = 0.1, FramesPerSecond = 200,
        });
        Assert.Matches(@"\\""tp\\"":1\.\d+E8", text);
        Assert.Matches(@"\\""pcp\\"":\d+\.00000000", text);
        Assert.Matches(@"\\""ap\\"":\d+,", text); // whole book prices in SIMPLE
        Assert.Matches(@"\\""bap\\"":", text);
        Assert.Matches(@"\\""(as|bs)\\"":\d\.\d+E-\d", text); // dust sizes: 7.9276E-4
    }

    [Fact]
    public void Book_levels_apply_and_the_frame_cap_stops_early()
    {
        var (text, frames) = Simulate(new SimulationOptions { Seed = 2, Markets = 3, Minutes = 3, BookLevels = 30, BookShare = 0.9, MaxFrames = 50 });
        Assert.Equal(50, frames);
        var book = Frames(text).First(f => f.Contains("orderbook", StringComparison.Ordinal));
        Assert.Equal(30, JsonDocument.Parse(book).RootElement.GetProperty("obu").GetArrayLength());
    }

    [Theory]
    [InlineData("--book-share 1.2")]
    [InlineData("--book-share 0.6 --ticker-share 0.4")]
    [InlineData("--book-levels 31")]
    [InlineData("--rate 0")]
    [InlineData("--frames 0")]
    [InlineData("--format json")]
    [InlineData("--markets 1000")]
    public void Bad_simulate_options_exit_2_with_one_line(string extra)
    {
        var path = Path.Combine(Path.GetTempPath(), $"upbithft-sim-{Guid.NewGuid():N}.jsonl");
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = CommandLineApp.Run(["simulate", "--out", path, .. extra.Split(' ')], stdout, stderr);
        File.Delete(path);
        Assert.Equal(2, code);
        Assert.StartsWith("upbithft: ", stderr.ToString(), StringComparison.Ordinal);
        Assert.Single(stderr.ToString().Trim().Split('\n'));
    }

    [Fact]
    public void The_command_takes_the_new_options()
    {
        var path = Path.Combine(Path.GetTempPath(), $"upbithft-sim-{Guid.NewGuid():N}.jsonl");
        try
        {
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            var code = CommandLineApp.Run(
                ["simulate", "--markets", "120", "--minutes", "30", "--book-share", "0.55", "--ticker-share", "0.05", "--rate", "300",
                 "--book-levels", "15", "--format", "default", "--spelling", "wire", "--frames", "3000", "--seed", "5", "--out", path],
                stdout, stderr);
            Assert.True(code == 0, stderr.ToString());
            Assert.Contains("3,000 frames", stdout.ToString(), StringComparison.Ordinal);
            var lines = File.ReadAllLines(path);
            Assert.Equal(3000, lines.Length);
            Assert.Contains("orderbook_units", lines.First(l => l.Contains("orderbook", StringComparison.Ordinal)), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
