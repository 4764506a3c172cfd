using System.Text;
using System.Text.Json;
using UpbitHft.Engine.Cli;
using UpbitHft.Feed.Recording;

namespace UpbitHft.Engine.Tests.Cli;

public sealed class ConvertCommandTests : IDisposable
{
    private static readonly string s_session = Path.Combine(AppContext.BaseDirectory, "data", "sample-session.jsonl");
    private readonly string _dir = Directory.CreateTempSubdirectory("upbithft-convert-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string P(string name) => Path.Combine(_dir, name);

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = CommandLineApp.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>convert reads its input more than once (to tell its format, then to convert it): a pipe is refused, plainly.</summary>
    [Fact]
    public async Task A_pipe_as_input_is_refused_with_a_one_line_reason()
    {
        using var fifo = UpbitHft.TestSupport.Fifo.Create(P("in.fifo"), Encoding.UTF8.GetBytes(File.ReadLines(s_session).First() + "\n"));
        var run = Task.Run(() => Run("convert", fifo.Path, P("out.rec")));
        if (await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(30))) != run)
        {
            fifo.Release();
            Assert.Fail("convert did not return");
        }

        var (code, _, error) = await run;
        Assert.Equal(2, code);
        Assert.Contains("is a pipe", error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
        Assert.False(File.Exists(P("out.rec")));
    }

    [Fact]
    public void Jsonl_to_recording_and_back_reproduces_the_sample_sessions_first_2000_lines()
    {
        File.WriteAllText(P("in.jsonl"), string.Concat(File.ReadLines(s_session).Take(2_000).Select(l => l + "\n")), new UTF8Encoding(false));
        var (code, output, error) = Run("convert", P("in.jsonl"), P("s.rec"));
        Assert.True(code == 0, error);
        Assert.Contains("converted 2,000 frames, JSONL -> recording", output, StringComparison.Ordinal);
        Assert.True(RecordingReader.IsRecording(P("s.rec")));

        (code, output, error) = Run("convert", P("s.rec"), P("back.jsonl"));
        Assert.True(code == 0, error);
        Assert.Contains("recording -> JSONL", output, StringComparison.Ordinal);
        Assert.Equal(File.ReadAllBytes(P("in.jsonl")), File.ReadAllBytes(P("back.jsonl")));
    }

    [Fact]
    public void The_whole_sample_as_a_recording_replays_to_the_same_messages_and_trades()
    {
        Assert.Equal(0, Run("convert", s_session, P("full.rec")).Code);
        var (a, _, errA) = Run("replay", s_session, "--quiet", "--summary-json", P("jsonl.json"));
        var (b, _, errB) = Run("replay", P("full.rec"), "--quiet", "--summary-json", P("rec.json"));
        Assert.True(a == 0, errA);
        Assert.True(b == 0, errB);
        using var fromJsonl = JsonDocument.Parse(File.ReadAllText(P("jsonl.json")));
        using var fromRec = JsonDocument.Parse(File.ReadAllText(P("rec.json")));
        foreach (var key in new[] { "messages", "trades", "pnl_krw" })
        {
            Assert.Equal(fromJsonl.RootElement.GetProperty(key).GetRawText(), fromRec.RootElement.GetProperty(key).GetRawText());
        }

        Assert.NotEmpty(fromRec.RootElement.GetProperty("trades").EnumerateArray());
    }

    [Fact]
    public void The_help_says_how_precise_receive_times_are()
    {
        var (code, output, _) = Run("convert", "--help");
        Assert.Equal(0, code);
        Assert.Contains("millisecond", output, StringComparison.Ordinal);
        Assert.Contains("nanosecond", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_input_exits_2_with_one_line_and_leaves_no_half_file()
    {
        var (code, _, error) = Run("convert", P("missing.jsonl"), P("x.rec"));
        Assert.Equal(2, code);
        Assert.StartsWith("upbithft: input file not found", error, StringComparison.Ordinal);

        File.WriteAllText(P("bad.jsonl"), "{\"recv_ts\": 1.0, \"frame\": \"{}\"}\nnot json\n");
        (code, _, error) = Run("convert", P("bad.jsonl"), P("bad.rec"));
        Assert.Equal(2, code);
        Assert.Contains("line 2", error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
        Assert.False(File.Exists(P("bad.rec")));

        (code, _, error) = Run("convert", P("bad.jsonl"), P("out.jsonl"));
        Assert.Equal(2, code);
        Assert.Contains("would be a recording", error, StringComparison.Ordinal);

        (code, _, _) = Run("convert", P("bad.jsonl"));
        Assert.Equal(2, code);
    }
}
