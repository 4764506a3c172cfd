using System.Globalization;
using System.Text.Json;
using HdrHistogram;
using UpbitHft.Engine.Reports;

namespace UpbitHft.Benchmarks.Harnesses.Loopback;

/// <summary>Shared bits of the loopback harness: histograms, percentiles in µs, ratios, the <c>summary.json</c> writer.</summary>
internal static class Harness
{
    public static LongHistogram NewHistogram() => new(60_000_000_000L, 3);

    /// <summary>The common way's receive: one whole WebSocket message into <paramref name="buffer"/>, decoded to a string.</summary>
    public static async ValueTask<string> ReceiveTextAsync(System.Net.WebSockets.WebSocket socket, byte[] buffer, CancellationToken token)
    {
        var count = 0;
        System.Net.WebSockets.ValueWebSocketReceiveResult r;
        do
        {
            r = await socket.ReceiveAsync(buffer.AsMemory(count), token);
            count += r.Count;
        }
        while (!r.EndOfMessage);
        return System.Text.Encoding.UTF8.GetString(buffer, 0, count);
    }

    public static double Us(HistogramBase h, double p) => h.TotalCount == 0 ? double.NaN : h.GetValueAtPercentile(p) / 1000.0;

    public static string UsText(HistogramBase h, double p) => h.TotalCount == 0 ? "" : Us(h, p).ToString("F1", CultureInfo.InvariantCulture);

    public static double Ratio(HistogramBase num, HistogramBase den, double p) =>
        num.TotalCount == 0 || den.TotalCount == 0 ? double.NaN : (double)num.GetValueAtPercentile(p) / Math.Max(1, den.GetValueAtPercentile(p));

    /// <summary><c>{"commit","machine","series":{NAME:{count,p50_us,p90_us,p99_us,p999_us,max_us}},"ratios":{…}}</c>.</summary>
    public static void WriteSummary(string path, IEnumerable<(string Name, HistogramBase Histogram)> series, IReadOnlyDictionary<string, double> ratios, IReadOnlyDictionary<string, string> notes)
    {
        using var stream = File.Create(path);
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteString("commit", PerfReport.Commit());
        w.WriteString("machine", $"{PerfReport.CpuModel()}, {Environment.ProcessorCount} logical CPUs, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}");
        w.WriteString("date_utc", DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        w.WriteStartObject("series");
        foreach (var (name, h) in series)
        {
            w.WriteStartObject(name);
            w.WriteNumber("count", h.TotalCount);
            Number(w, "p50_us", Us(h, 50));
            Number(w, "p90_us", Us(h, 90));
            Number(w, "p99_us", Us(h, 99));
            Number(w, "p999_us", Us(h, 99.9));
            Number(w, "max_us", h.TotalCount == 0 ? double.NaN : h.GetMaxValue() / 1000.0);
            w.WriteEndObject();
        }

        w.WriteEndObject();
        w.WriteStartObject("ratios");
        foreach (var (name, value) in ratios)
        {
            Number(w, name, value);
        }

        w.WriteEndObject();
        w.WriteStartObject("notes");
        foreach (var (name, value) in notes)
        {
            w.WriteString(name, value);
        }

        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void Number(Utf8JsonWriter w, string name, double value)
    {
        if (double.IsNaN(value))
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteNumber(name, Math.Round(value, 2));
        }
    }
}
