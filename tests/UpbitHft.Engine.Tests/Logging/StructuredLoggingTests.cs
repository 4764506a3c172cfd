using System.Text.Json;
using Microsoft.Extensions.Logging;
using UpbitHft.Engine.Logging;

namespace UpbitHft.Engine.Tests.Logging;

/// <summary>The log pump, its console and JSON-lines sinks, rotation by size, and the stopgap adapter's levels.</summary>
public sealed class StructuredLoggingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("upbithft-logs-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Records_go_to_the_console_as_plain_lines_and_to_the_file_as_json_with_their_fields()
    {
        var console = new StringWriter();
        var path = Path.Combine(_dir, "engine.log");
        await using (var pump = new LogPump([new TextWriterSink(console), new JsonLinesFileSink(path, 1_000_000, 3)], LogLevel.Information))
        {
            var logger = pump.CreateLogger("UpbitHft.Engine.Journal.JournalWriter");
            HostLog.JournalWriteFailed(logger, "database is locked", 7);
            logger.LogDebug("below the level: not written");
            HostLog.Line(pump.CreateLogger("UpbitHft.Host"), LogLevel.Information, "warm-up: seeded 3 markets");
        }

        Assert.Equal(
            "journal: *** write failed (database is locked); new entries are stopped, exits continue; 7 record(s) kept and retried ***\nwarm-up: seeded 3 markets\n",
            console.ToString().ReplaceLineEndings("\n"));
        var lines = File.ReadAllLines(path).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.Equal(2, lines.Length);
        Assert.Equal("Warning", lines[0].GetProperty("level").GetString());
        Assert.Equal("UpbitHft.Engine.Journal.JournalWriter", lines[0].GetProperty("category").GetString());
        Assert.Equal("JournalWriteFailed", lines[0].GetProperty("event").GetString());
        Assert.Equal("database is locked", lines[0].GetProperty("Error").GetString());
        Assert.Equal(7, lines[0].GetProperty("Records").GetInt32());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", lines[0].GetProperty("time").GetString()!);
        Assert.Equal("Information", lines[1].GetProperty("level").GetString());
        Assert.Equal("warm-up: seeded 3 markets", lines[1].GetProperty("message").GetString());
    }

    [Fact]
    public async Task The_file_is_rotated_by_size_and_only_the_newest_files_are_kept()
    {
        var path = Path.Combine(_dir, "rotating.log");
        await using (var pump = new LogPump([new JsonLinesFileSink(path, 4_096, keep: 2)]))
        {
            var logger = pump.CreateLogger("test");
            for (var i = 0; i < 200; i++)
            {
                HostLog.Line(logger, LogLevel.Information, $"line {i:000} " + new string('x', 60));
            }
        }

        Assert.True(File.Exists(path));
        Assert.True(File.Exists(path + ".1"));
        Assert.True(File.Exists(path + ".2"));
        Assert.False(File.Exists(path + ".3"));
        foreach (var file in new[] { path, path + ".1", path + ".2" })
        {
            Assert.InRange(new FileInfo(file).Length, 1, 4_096);
            Assert.All(File.ReadAllLines(file), l => JsonDocument.Parse(l)); // whole lines only
        }

        Assert.Contains("line 199", File.ReadAllLines(path)[^1], StringComparison.Ordinal);
        var oldest = JsonDocument.Parse(File.ReadAllLines(path + ".2")[0]).RootElement.GetProperty("message").GetString()!;
        Assert.DoesNotContain("line 000", oldest, StringComparison.Ordinal); // the oldest files were deleted
    }

    [Fact]
    public async Task A_full_queue_drops_records_and_counts_them_instead_of_waiting()
    {
        var slow = new SlowSink();
        await using var pump = new LogPump([slow], capacity: 8);
        var logger = pump.CreateLogger("test");
        for (var i = 0; i < 100; i++)
        {
            HostLog.Line(logger, LogLevel.Information, "x");
        }

        Assert.InRange(pump.Dropped, 80, 92);
        slow.Release.Set();
    }

    [Theory]
    [InlineData("status: 1,234 msgs", LogLevel.Information)]
    [InlineData("warm-up: no candles for KRW-BTC: HTTP 500", LogLevel.Information)]
    [InlineData("warning: no tick sizes from the instruments endpoint", LogLevel.Warning)]
    [InlineData("gateway: *** 418 BLOCKED by Upbit (on group 'order') for 60 s", LogLevel.Warning)]
    [InlineData("feed Public: down (connect failed); reconnecting", LogLevel.Warning)]
    [InlineData("order refused by the exchange", LogLevel.Warning)]
    public void Adapted_lines_are_warnings_when_they_read_like_trouble(string line, LogLevel level)
    {
        Assert.Equal(level, LogTextWriter.LevelOf(line));
        var logger = new CapturingLogger();
        using var writer = new LogTextWriter(logger);
        writer.WriteLine(line);
        writer.Write("in ");
        writer.Write("pieces\n");
        Assert.Equal([(level, line), (LogLevel.Information, "in pieces")], logger.Entries);
    }

    private sealed class SlowSink : ILogSink
    {
        public ManualResetEventSlim Release { get; } = new();

        public void Write(LogRecord record) => Release.Wait(TimeSpan.FromSeconds(5));

        public void Flush()
        {
        }

        public void Dispose() => Release.Dispose();
    }
}
