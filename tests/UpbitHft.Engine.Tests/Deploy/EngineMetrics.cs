using System.Text.RegularExpressions;

namespace UpbitHft.Engine.Tests.Deploy;

/// <summary>
/// The metric names the engine exports for Prometheus (the dashboard, the alert rules and the docs use these and no
/// others), and the metric names a PromQL expression refers to.
/// </summary>
internal static partial class EngineMetrics
{
    public enum Kind
    {
        Counter,
        Gauge,
        Histogram,
    }

    public static IReadOnlyDictionary<string, Kind> Known { get; } = new Dictionary<string, Kind>(StringComparer.Ordinal)
    {
        ["upbithft_messages_total"] = Kind.Counter,
        ["upbithft_messages_rejected_total"] = Kind.Counter,
        ["upbithft_feed_up"] = Kind.Gauge,
        ["upbithft_feed_connections_total"] = Kind.Counter,
        ["upbithft_feed_reconnects_total"] = Kind.Counter,
        ["upbithft_market_data_age_seconds"] = Kind.Gauge,
        ["upbithft_orders_total"] = Kind.Counter,
        ["upbithft_open_positions"] = Kind.Gauge,
        ["upbithft_realized_pnl_krw"] = Kind.Gauge,
        ["upbithft_free_krw"] = Kind.Gauge,
        ["upbithft_rate_limit_tokens"] = Kind.Gauge,
        ["upbithft_rate_limit_hits_total"] = Kind.Counter,
        ["upbithft_journal_queue_depth"] = Kind.Gauge,
        ["upbithft_journal_write_failures_total"] = Kind.Counter,
        ["upbithft_ring_fill_ratio"] = Kind.Gauge,
        ["upbithft_tick_to_decision_seconds"] = Kind.Histogram,
        ["upbithft_tick_to_order_seconds"] = Kind.Histogram,
    };

    private static readonly string[] s_histogramSeries = ["_bucket", "_sum", "_count"];

    // PromQL words that look like identifiers but are not series names.
    private static readonly HashSet<string> s_keywords = new(StringComparer.OrdinalIgnoreCase)
    {
        "and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring", "group_left", "group_right", "inf", "nan",
    };

    /// <summary>
    /// The series names an expression selects: string literals, label matchers, ranges, grouping labels and Grafana
    /// variables are removed first; what is left that is not a keyword or a function call is a metric name.
    /// </summary>
    public static IReadOnlyList<string> NamesIn(string expr)
    {
        var s = StringLiteral().Replace(expr, " ");
        s = LabelMatchers().Replace(s, " ");
        s = Ranges().Replace(s, " ");
        s = Grouping().Replace(s, " ");
        s = GrafanaVariable().Replace(s, " ");
        return Identifier().Matches(s).Select(m => m.Value).Where(n => !s_keywords.Contains(n)).ToArray();
    }

    /// <summary>Why <paramref name="name"/> is not a series the engine exports, or null when it is one.</summary>
    public static string? Problem(string name)
    {
        if (Known.TryGetValue(name, out var kind))
        {
            return kind == Kind.Histogram ? $"{name} is a histogram: query {name}_bucket, _sum or _count" : null;
        }

        var suffix = s_histogramSeries.FirstOrDefault(x => name.EndsWith(x, StringComparison.Ordinal));
        return suffix is not null && Known.TryGetValue(name[..^suffix.Length], out var baseKind) && baseKind == Kind.Histogram
            ? null
            : $"{name} is not a metric the engine exports";
    }

    /// <summary>The metric a name refers to (a histogram's series map to the histogram).</summary>
    public static string Family(string name) =>
        s_histogramSeries.FirstOrDefault(x => name.EndsWith(x, StringComparison.Ordinal) && Known.ContainsKey(name[..^x.Length])) is { } suffix
            ? name[..^suffix.Length]
            : name;

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`")]
    private static partial Regex StringLiteral();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex LabelMatchers();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Ranges();

    [GeneratedRegex(@"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", RegexOptions.IgnoreCase)]
    private static partial Regex Grouping();

    [GeneratedRegex(@"\$\{[^}]*\}|\$\w+")]
    private static partial Regex GrafanaVariable();

    // A name not glued to a word character, a colon or a dot on either side (so not part of a number such as 1e3 or
    // 0.99), and not followed by '(' (a function).
    [GeneratedRegex(@"(?<![\w:.])[a-zA-Z_:][\w:]*(?![\w:])(?!\s*\()")]
    private static partial Regex Identifier();
}
