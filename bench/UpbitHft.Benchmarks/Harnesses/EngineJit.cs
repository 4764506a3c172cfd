using System.Diagnostics;

namespace UpbitHft.Benchmarks.Harnesses;

/// <summary>
/// The engine executable turns tiered compilation off (<c>&lt;TieredCompilation&gt;false&lt;/TieredCompilation&gt;</c> in
/// <c>src/Engine</c>), so its hot paths are fully optimised from their first call. A harness that hosts the engine in
/// its own process must run under the same setting, or it measures code the engine never runs (tier-0 code, and
/// the recompilations on the way to tier 1). The benchmark process itself keeps the default, which
/// BenchmarkDotNet's measurements assume, so such harnesses start themselves again with
/// <c>DOTNET_TieredCompilation=0</c>; everything measured in that run, the common-way baselines included, runs
/// under it.
/// </summary>
internal static class EngineJit
{
    public static int RunAgainAsTheEngineRuns(string[] args)
    {
        var start = new ProcessStartInfo { FileName = Environment.ProcessPath!, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet")
        {
            start.ArgumentList.Add(typeof(EngineJit).Assembly.Location); // dotnet bench.dll …
        }

        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["DOTNET_TieredCompilation"] = "0";
        using var child = Process.Start(start)!;
        child.WaitForExit();
        return child.ExitCode;
    }
}
