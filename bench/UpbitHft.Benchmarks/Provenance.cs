using System.Globalization;
using System.Runtime.InteropServices;
using UpbitHft.Engine.Reports;

namespace UpbitHft.Benchmarks;

/// <summary>
/// Where and on what a measurement was taken, as one markdown bullet: date, CPU model (from /proc/cpuinfo), logical
/// CPUs, OS, .NET runtime and the exact commit (<c>git rev-parse HEAD</c>). Every report this project writes starts
/// with it, so a number is never separated from the machine and code that produced it.
/// </summary>
public static class Provenance
{
    public static string Line(DateTimeOffset? started = null) => string.Create(CultureInfo.InvariantCulture,
        $"- date (UTC): {started ?? DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm}; machine: {PerfReport.CpuModel()}, {Environment.ProcessorCount} logical CPUs, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}; commit {PerfReport.Commit()}");
}
