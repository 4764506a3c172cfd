using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;

namespace UpbitHft.Benchmarks;

/// <summary>
/// BenchmarkDotNet's GitHub-markdown report (<c>BenchmarkDotNet.Artifacts/results/*-report-github.md</c>), headed by
/// <see cref="Provenance.Line"/>: BenchmarkDotNet records the machine but not the commit.
/// </summary>
public sealed class ProvenanceMarkdownExporter : ExporterBase
{
    protected override string FileExtension => "md";

    protected override string FileNameSuffix => "-github";

    public override void ExportToLog(Summary summary, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        logger.WriteLine(Provenance.Line());
        logger.WriteLine();
        MarkdownExporter.GitHub.ExportToLog(summary, logger);
    }
}
