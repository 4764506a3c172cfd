using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;

namespace UpbitHft.Benchmarks.Ring;

/// <summary>
/// <see cref="BenchConfig"/> with the job the ring throughput comparison needs: one invocation per iteration
/// (<see cref="RunStrategy.Monitoring"/>, each invocation moves a million events across two threads), 2 warm-ups and 8
/// iterations. It replaces the shared configuration for its class rather than adding a second job to it.
/// </summary>
public sealed class RingBenchConfig : BenchConfig
{
    public RingBenchConfig()
        : base(Job.Default.WithStrategy(RunStrategy.Monitoring).WithLaunchCount(1).WithWarmupCount(2).WithIterationCount(8))
    {
        UnionRule = ConfigUnionRule.AlwaysUseLocal;
    }
}
