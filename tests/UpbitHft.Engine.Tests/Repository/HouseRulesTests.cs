using System.Text.RegularExpressions;
using UpbitHft.Engine.Tests.Deploy;

namespace UpbitHft.Engine.Tests.Repository;

/// <summary>
/// The rules of the house, checked on the source tree so a later change cannot quietly break them: the repository
/// stands alone, Feed knows nothing of orders, files stay small, and only the latency clock reads Stopwatch.
/// </summary>
public class HouseRulesTests
{
    private static IEnumerable<string> Files(string folder, string pattern) =>
        Directory.EnumerateFiles(RepositoryRoot.File(folder), pattern, SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    private static string Relative(string path) => Path.GetRelativePath(RepositoryRoot.Location, path);

    [Fact]
    public void Nothing_in_the_code_the_readme_or_the_docs_points_outside_the_repository()
    {
        var outside = new Regex(@"\.\./shared|\bAPI\.md\b|\bDESIGN\.md\b");
        var offenders = Files("src", "*.cs").Concat(Files("docs", "*.md")).Concat(Files("tests", "*.cs")).Concat(Files("bench", "*.cs"))
            .Append(RepositoryRoot.File("README.md"))
            .Where(f => !f.EndsWith(nameof(HouseRulesTests) + ".cs", StringComparison.Ordinal) && outside.IsMatch(File.ReadAllText(f)))
            .Select(Relative).ToList();
        Assert.Empty(offenders);
    }

    [Fact]
    public void Feed_knows_nothing_of_orders_intents_gateways_or_engine_commands()
    {
        var vocabulary = new Regex(@"\b(IntentId|OrderAnswer|OrderEventKind|ControlCommand|Gateway|DecisionCore|EngineEvent)\b");
        var offenders = Files("src/Feed", "*.cs").Where(f => vocabulary.IsMatch(File.ReadAllText(f))).Select(Relative).ToList();
        Assert.Empty(offenders);
    }

    [Fact]
    public void No_source_file_is_longer_than_300_lines()
    {
        var long_ = Files("src", "*.cs").Select(f => (File: Relative(f), Lines: File.ReadLines(f).Count())).Where(f => f.Lines > 300).ToList();
        Assert.Empty(long_);
    }

    [Fact]
    public void Only_the_latency_clock_reads_the_ambient_clocks_in_src()
    {
        var ambient = new Regex(@"DateTime(Offset)?\.(Utc)?Now|Environment\.TickCount|Stopwatch\.(GetTimestamp|StartNew)|new Stopwatch\(");
        var offenders = Files("src", "*.cs")
            .Where(f => !f.EndsWith("LatencyClock.cs", StringComparison.Ordinal) && ambient.IsMatch(File.ReadAllText(f)))
            .Select(Relative).ToList();
        Assert.Empty(offenders);
    }
}
