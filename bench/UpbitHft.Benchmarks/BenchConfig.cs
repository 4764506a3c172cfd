using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;

namespace UpbitHft.Benchmarks;

/// <summary>
/// The one BenchmarkDotNet configuration of the project, applied to every benchmark class by <see cref="Program"/>:
/// allocations measured (<see cref="MemoryDiagnoser"/>: a non-zero "Allocated" on a parse or update benchmark is a
/// failing result), each method's ratio to the class's <c>Baseline = true</c> method, a GitHub-markdown report headed
/// by the machine and commit (<see cref="ProvenanceMarkdownExporter"/>), and one job: 1 launch, 3 warm-ups, 10
/// measured iterations (about a minute per class on these 2-core machines).
/// </summary>
/// <remarks>A class that needs another job derives from this and passes it (see <c>Ring/RingBenchConfig.cs</c>).</remarks>
public class BenchConfig : ManualConfig
{
    public BenchConfig()
        : this(Job.Default.WithStrategy(RunStrategy.Throughput).WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(10))
    {
    }

    protected BenchConfig(Job job)
    {
        var defaults = DefaultConfig.Instance;
        AddLogger([.. defaults.GetLoggers()]);
        AddColumnProvider([.. defaults.GetColumnProviders()]);
        AddAnalyser([.. defaults.GetAnalysers()]);
        AddValidator([.. defaults.GetValidators()]);
        AddDiagnoser(MemoryDiagnoser.Default);
        AddColumn(BaselineRatioColumn.RatioMean);
        AddExporter(new ProvenanceMarkdownExporter());
        AddJob(job);
    }
}
