using System.Globalization;
using ScottPlot;

namespace UpbitHft.Reporting;

/// <summary>The equity curve: cumulative realised P&amp;L after fees over time, one point per closed trade.</summary>
public static class EquityPlot
{
    /// <summary>
    /// Writes a PNG (1000 × 500) of <paramref name="points"/> (in time order) as steps — the P&amp;L changes only when
    /// a trade closes — with a marker at each closed trade and a line at zero. No points: an empty chart saying so.
    /// </summary>
    public static void Write(IReadOnlyList<EquityPoint> points, string path, string title)
    {
        ArgumentNullException.ThrowIfNull(points);
        var plot = new Plot();
        plot.Axes.DateTimeTicksBottom();
        plot.Add.HorizontalLine(0, 1, Colors.Gray, LinePattern.Dotted);
        if (points.Count == 0)
        {
            plot.Add.Annotation("no closed trades in this journal");
        }
        else
        {
            var xs = points.Select(p => p.TimeUtc.ToOADate()).ToArray();
            var ys = points.Select(p => p.CumulativePnlKrw).ToArray();
            var line = plot.Add.Scatter(xs, ys, Colors.SteelBlue);
            line.ConnectStyle = ConnectStyle.StepHorizontal;
            line.MarkerShape = MarkerShape.FilledCircle;
            line.MarkerSize = 7;
            line.LineWidth = 2;
            line.LegendText = string.Create(CultureInfo.InvariantCulture,
                $"{points.Count} closed trade{(points.Count == 1 ? "" : "s")}, P&L {points[^1].CumulativePnlKrw:+#,0.##;-#,0.##;0} KRW after fees");
            var (low, high) = (Math.Min(0, ys.Min()), Math.Max(0, ys.Max()));
            var pad = Math.Max((high - low) * 0.1, 1);
            var span = Math.Max(xs[^1] - xs[0], 1.0 / 1440); // at least a minute wide
            plot.Axes.SetLimits(xs[0] - (span * 0.05), xs[^1] + (span * 0.05), low - pad, high + pad);
            plot.ShowLegend(Alignment.UpperLeft);
        }

        plot.Title(title);
        plot.Axes.Bottom.Label.Text = "trade closed (UTC)";
        plot.Axes.Left.Label.Text = "cumulative P&L after fees (KRW)";
        plot.SavePng(path, 1000, 500);
    }
}
