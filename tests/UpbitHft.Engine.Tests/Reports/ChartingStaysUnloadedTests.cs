using System.Diagnostics;

namespace UpbitHft.Engine.Tests.Reports;

/// <summary>
/// A trading run never loads the charting code: not UpbitHft.Reporting, ScottPlot, SkiaSharp or HarfBuzzSharp, nor
/// Skia's native library. Checked in a child process (<c>dotnet upbithft.dll …</c>, the engine as deployed, from
/// this test's output directory): this test process cannot answer it, since other tests in it draw plots and
/// assemblies never unload. What the child loaded is written at its exit by <see cref="StartupHook"/>, a .NET
/// startup hook, so an assembly loaded by the run's very last step is seen too. The positive controls (a plot asked
/// for) show the hook does see the charting assemblies when they load.
/// </summary>
public sealed class ChartingStaysUnloadedTests : IDisposable
{
    private static readonly string[] s_charting = ["UpbitHft.Reporting", "ScottPlot", "SkiaSharp", "HarfBuzzSharp"];

    private readonly string _dir = Directory.CreateTempSubdirectory("upbithft-loads-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string P(string name) => Path.Combine(_dir, name);

    [Fact]
    public void A_replay_with_journal_summary_and_candles_but_no_perf_report_loads_no_charting_assembly_or_native_library()
    {
        var loaded = Run("replay", "--quiet", "--journal", P("j.db"), "--summary-json", P("s.json"), "--candles-out", P("c.csv"));
        Assert.Contains("assembly upbithft", loaded);
        Assert.Contains("assembly Microsoft.Data.Sqlite", loaded); // the journal was written: the run did its work
        Assert.Empty(Charting(loaded));
    }

    [Fact]
    public void The_text_report_loads_no_charting_either_and_a_plot_loads_it_only_then()
    {
        Run("replay", "--quiet", "--journal", P("j.db"));
        Assert.Empty(Charting(Run("report", P("j.db"))));

        var plotted = Run("report", P("j.db"), "--plot", P("charts"));
        Assert.True(File.Exists(P("charts/equity.png")));
        Assert.Contains("assembly UpbitHft.Reporting", plotted);
        Assert.Contains("assembly ScottPlot", plotted);
        Assert.Contains("assembly SkiaSharp", plotted);
    }

    [Fact]
    public void The_perf_report_loads_the_charting_assemblies_and_skia_native_library_so_the_hook_sees_them()
    {
        var loaded = Run("replay", "--quiet", "--perf-report", P("perf"));
        Assert.True(File.Exists(P("perf/latency-percentiles.png")));
        Assert.Contains("assembly UpbitHft.Reporting", loaded);
        Assert.Contains("assembly ScottPlot", loaded);
        Assert.Contains("assembly SkiaSharp", loaded);
        Assert.Contains(loaded, l => l.StartsWith("native ", StringComparison.Ordinal) && l.Contains("libSkiaSharp", StringComparison.Ordinal));
    }

    /// <summary>The loaded assemblies and mapped native libraries that belong to charting.</summary>
    private static List<string> Charting(IEnumerable<string> loaded) =>
        loaded.Where(l => s_charting.Any(name => l.StartsWith("assembly " + name, StringComparison.Ordinal))
            || (l.StartsWith("native ", StringComparison.Ordinal) && (l.Contains("libSkiaSharp", StringComparison.Ordinal) || l.Contains("libHarfBuzzSharp", StringComparison.Ordinal)))).ToList();

    /// <summary>Runs <c>dotnet upbithft.dll ARGS</c> with the startup hook; returns what the process had loaded at exit.</summary>
    private List<string> Run(params string[] args)
    {
        var engine = Path.Combine(AppContext.BaseDirectory, "upbithft.dll");
        var output = P($"loaded-{Guid.NewGuid():N}.txt");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = _dir };
        info.ArgumentList.Add(engine);
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        info.Environment["DOTNET_STARTUP_HOOKS"] = typeof(StartupHook).Assembly.Location;
        info.Environment["UPBITHFT_TEST_LOADED_OUT"] = output;
        info.Environment["UPBIT_ACCESS_KEY"] = null;
        info.Environment["UPBIT_SECRET_KEY"] = null;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"upbithft {string.Join(' ', args)} did not finish within 2 minutes");
        }

        Assert.True(process.ExitCode == 0, $"upbithft {string.Join(' ', args)} exited {process.ExitCode}\n{stdout.Result}\n{stderr.Result}");
        Assert.True(File.Exists(output), $"the startup hook wrote nothing (is DOTNET_STARTUP_HOOKS honoured?)\n{stderr.Result}");
        return File.ReadAllLines(output).ToList();
    }
}
