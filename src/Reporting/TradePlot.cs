using System.Globalization;
using ScottPlot;

namespace UpbitHft.Reporting;

/// <summary>One trade's chart: the price around entry and exit, both marked, with the target and stop as lines.</summary>
public static class TradePlot
{
    private static readonly Color s_entry = Colors.ForestGreen;
    private static readonly Color s_exit = Colors.Crimson;

    /// <summary>
    /// Writes a PNG (1200 × 560): 1-minute candles (when the chart has any), the journal's prices as a grey line,
    /// the entry fill (▲) and exit fill (▼) with the prices that triggered them (○), the target (green, dashed) and
    /// stop (red, dashed) as horizontal lines, and dotted verticals at entry and exit; the legend is to the right.
    /// Time axis in UTC, covering <see cref="TradeChart.FromUtc"/> to <see cref="TradeChart.ToUtc"/> when given.
    /// </summary>
    public static void Write(TradeChart chart, string path)
    {
        ArgumentNullException.ThrowIfNull(chart);
        var plot = new Plot();
        plot.Axes.DateTimeTicksBottom();
        var xs = new List<double> { X(chart.Entry), X(chart.Exit) };
        var ys = new List<double> { chart.Entry.Price, chart.Exit.Price };

        if (chart.Candles.Count > 0)
        {
            // A candle is drawn centred on its time: the middle of its minute, so trades inside it line up.
            var ohlc = chart.Candles.Select(c => new OHLC(c.Open, c.High, c.Low, c.Close, c.MinuteUtc.AddSeconds(30), TimeSpan.FromMinutes(1))).ToList();
            plot.Add.Candlestick(ohlc);
            xs.AddRange(chart.Candles.SelectMany(c => new[] { c.MinuteUtc.ToOADate(), c.MinuteUtc.AddMinutes(1).ToOADate() }));
            ys.AddRange(chart.Candles.SelectMany(c => new[] { c.High, c.Low }));
        }

        if (chart.JournalPrices.Count > 0)
        {
            var journal = plot.Add.Scatter(chart.JournalPrices.Select(X).ToArray(), chart.JournalPrices.Select(p => p.Price).ToArray(), Colors.DimGray);
            journal.LineWidth = 1;
            journal.MarkerSize = 4;
            journal.LegendText = "journal prices (decisions, fills)";
            xs.AddRange(chart.JournalPrices.Select(X));
            ys.AddRange(chart.JournalPrices.Select(p => p.Price));
        }

        Level(plot, chart.Target, "target", s_entry, ys);
        Level(plot, chart.Stop, "stop", s_exit, ys);
        plot.Add.VerticalLine(X(chart.Entry), 1, Colors.Gray, LinePattern.Dotted);
        plot.Add.VerticalLine(X(chart.Exit), 1, Colors.Gray, LinePattern.Dotted);
        Mark(plot, chart.EntryTrigger, MarkerShape.OpenCircle, 11, s_entry, "entry trigger", xs, ys);
        Mark(plot, chart.ExitTrigger, MarkerShape.OpenCircle, 11, s_exit, "exit trigger", xs, ys);
        Mark(plot, chart.Entry, MarkerShape.FilledTriangleUp, 14, s_entry, "entry fill", xs, ys);
        Mark(plot, chart.Exit, MarkerShape.FilledTriangleDown, 14, s_exit, $"exit fill ({chart.ExitReason})", xs, ys);

        var left = Math.Min(xs.Min(), chart.FromUtc?.ToOADate() ?? double.MaxValue);
        var right = Math.Max(xs.Max(), chart.ToUtc?.ToOADate() ?? double.MinValue);
        var width = Math.Max(right - left, 10.0 / 86_400); // at least 10 s wide
        var (low, high) = (ys.Min(), ys.Max());
        var height = Math.Max(high - low, Math.Abs(high) * 1e-4);
        plot.Axes.SetLimits(left - (width * 0.04), right + (width * 0.04), low - (height * 0.08), high + (height * 0.08));
        plot.Title(string.Create(CultureInfo.InvariantCulture,
            $"#{chart.Number} {chart.Market} {chart.ExitReason}: P&L {chart.PnlKrw:+#,0.##;-#,0.##;0} KRW after fees"));
        plot.Axes.Bottom.Label.Text = chart.Candles.Count > 0 ? "time (UTC); candles: 1 minute" : "time (UTC)";
        plot.Axes.Left.Label.Text = "price (KRW)";
        plot.ShowLegend(Edge.Right); // beside the chart: never over a price
        plot.SavePng(path, 1200, 560);
    }

    private static double X(PricePoint p) => p.TimeUtc.ToOADate();

    private static void Level(Plot plot, double? price, string name, Color color, List<double> ys)
    {
        if (price is not { } y || !(y > 0))
        {
            return;
        }

        var line = plot.Add.HorizontalLine(y, 1.5f, color, LinePattern.Dashed);
        line.LegendText = $"{name} {Price(y)}";
        ys.Add(y);
    }

    private static void Mark(Plot plot, PricePoint? point, MarkerShape shape, float size, Color color, string name, List<double> xs, List<double> ys)
    {
        if (point is not { } p || !(p.Price > 0))
        {
            return;
        }

        var marker = plot.Add.Marker(X(p), p.Price, shape, size, color);
        marker.LegendText = $"{name} {Price(p.Price)}";
        xs.Add(X(p));
        ys.Add(p.Price);
    }

    private static string Price(double price) => price.ToString(price >= 100 ? "#,0.##" : "#,0.########", CultureInfo.InvariantCulture);
}
