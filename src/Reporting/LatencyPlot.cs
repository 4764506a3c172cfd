using System.Globalization;

namespace UpbitHft.Reporting;

/// <summary>One latency series: values (µs) at percentiles (0–100), in rising percentile order.</summary>
/// <param name="Name">The legend text (underscores are shown as hyphens).</param>
/// <param name="Percentiles">Percentile levels, 0 to 100.</param>
/// <param name="ValuesUs">The latency at each level, in microseconds.</param>
public sealed record PercentileSeries(string Name, IReadOnlyList<double> Percentiles, IReadOnlyList<double> ValuesUs);

/// <summary>A PNG of latency against percentile on the usual HdrHistogram percentile axis.</summary>
public static class LatencyPlot
{
    /// <summary>
    /// Writes a PNG (900 × 500) of latency (µs) against percentile, one line per series; the x axis is
    /// log10(1 / (1 − p)), so 50 % → 0.3, 99 % → 2 and 99.99 % → 4. Empty series are left out.
    /// </summary>
    public static void Write(IEnumerable<PercentileSeries> series, string path, string title, bool logY = false)
    {
        ArgumentNullException.ThrowIfNull(series);
        var plot = new ScottPlot.Plot();
        var maxY = 1.0;
        foreach (var s in series)
        {
            if (s.Percentiles.Count == 0)
            {
                continue;
            }

            var xs = s.Percentiles.Select(p => Math.Log10(100.0 / (100.0 - p))).ToArray();
            var ys = s.ValuesUs.Select(v => logY ? Math.Log10(Math.Max(v, 0.01)) : v).ToArray();
            maxY = Math.Max(maxY, ys.DefaultIfEmpty(0).Max());
            var scatter = plot.Add.Scatter(xs, ys);
            scatter.LegendText = s.Name.Replace('_', '-');
        }

        var ticks = new ScottPlot.TickGenerators.NumericManual();
        foreach (var (p, label) in new[] { (0.0, "0%"), (50.0, "50%"), (90.0, "90%"), (99.0, "99%"), (99.9, "99.9%"), (99.99, "99.99%") })
        {
            ticks.AddMajor(Math.Log10(100.0 / (100.0 - p)), label);
        }

        plot.Axes.Bottom.TickGenerator = ticks;
        plot.Axes.Bottom.Label.Text = "percentile";
        plot.Axes.Left.Label.Text = logY ? "latency (µs, log10)" : "latency (µs)";
        if (logY)
        {
            var yTicks = new ScottPlot.TickGenerators.NumericManual();
            foreach (var us in new[] { 0.1, 1, 10, 100, 1_000, 10_000, 100_000 })
            {
                yTicks.AddMajor(Math.Log10(us), us.ToString("#,0.#", CultureInfo.InvariantCulture));
            }

            plot.Axes.Left.TickGenerator = yTicks;
        }

        plot.Title(title);
        plot.Axes.SetLimits(0, 4.2, logY ? -1 : 0, maxY * 1.1);
        plot.ShowLegend();
        plot.SavePng(path, 900, 500);
    }
}
