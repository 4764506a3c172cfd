using BenchmarkDotNet.Running;

namespace UpbitHft.Benchmarks;

/// <summary>Runs any benchmark class in this assembly: <c>dotnet run -c Release --project bench/UpbitHft.Benchmarks -- --filter *Parser*</c>.</summary>
public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
