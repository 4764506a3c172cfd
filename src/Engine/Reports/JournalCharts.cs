using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using UpbitHft.Reporting;

namespace UpbitHft.Engine.Reports;

/// <summary>
/// <c>report JOURNAL --plot DIR [--candles FILE]</c>: <c>equity.png</c> (cumulative realised P&amp;L after fees, one
/// point per closed trade) and <c>trade-&lt;n&gt;-&lt;market&gt;.png</c> per closed trade (the price around entry
/// and exit, both marked, target and stop as lines), drawn by UpbitHft.Reporting. The journal holds prices only at
/// decisions and fills; the candles CSV (<c>--candles-out</c>) adds the 1-minute candles around each trade.
/// </summary>
public static class JournalCharts
{
    /// <summary>How much market before the entry and after the exit a chart shows when it has candles.</summary>
    public static readonly TimeSpan CandleMargin = TimeSpan.FromMinutes(10);

    /// <summary>Draws the charts into <paramref name="directory"/> and returns the files written (equity first).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)] // compiling a caller must not load the charting assemblies
    public static IReadOnlyList<string> Write(string journalPath, string directory, string? candlesPath)
    {
        var (equity, charts) = Read(journalPath, candlesPath);
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "equity.png");
        EquityPlot.Write(equity, path, "Equity: cumulative realised P&L after fees, one point per closed trade");
        var written = new List<string> { path };
        foreach (var chart in charts)
        {
            path = Path.Combine(directory, FileName(chart.Number, chart.Market));
            TradePlot.Write(chart, path);
            written.Add(path);
        }

        return written;
    }

    /// <summary>What the charts show: the equity curve (one point per closed trade) and each trade's chart, in journal order.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static (IReadOnlyList<EquityPoint> Equity, IReadOnlyList<TradeChart> Trades) Read(string journalPath, string? candlesPath)
    {
        var candles = candlesPath is null ? null : CandleCsv.Read(candlesPath);
        using var db = JournalTrades.Open(journalPath);
        var trades = JournalTrades.Read(db);
        var armed = ArmedByTrade(db, trades);
        var prices = Prices(db);
        var equity = new List<EquityPoint>();
        var pnl = 0m;
        foreach (var t in trades)
        {
            pnl += t.PnlKrw;
            equity.Add(new EquityPoint(Utc(t.ClosedMs), (double)pnl));
        }

        var charts = trades.Select(t => Chart(t, armed[t.Number - 1], prices.GetValueOrDefault(t.Market, []), candles?.GetValueOrDefault(t.Market))).ToList();
        return (equity, charts);
    }

    /// <summary><c>trade-&lt;n&gt;-&lt;market&gt;.png</c>; characters other than letters, digits, '-' and '_' become '_'.</summary>
    public static string FileName(int number, string market)
    {
        ArgumentNullException.ThrowIfNull(market);
        var safe = new string(market.Select(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_' ? ch : '_').ToArray());
        return string.Create(CultureInfo.InvariantCulture, $"trade-{number}-{safe}.png");
    }

    private static TradeChart Chart(JournalTrade t, Armed? armed, List<(long Ms, double Price, string Kind)> prices, List<PriceCandle>? candles)
    {
        // Entry: when the position opened; without a positions row, the last buy decided before the close.
        var entryMs = armed?.OpenedMs ?? prices.LastOrDefault(p => p.Kind == "SubmitMarketBuy" && p.Ms <= t.ClosedMs).Ms;
        entryMs = entryMs > 0 ? entryMs : t.ClosedMs;
        var entryDecidedMs = prices.LastOrDefault(p => p.Kind == "SubmitMarketBuy" && p.Ms <= entryMs).Ms;
        var exitDecidedMs = prices.LastOrDefault(p => p.Kind is "SubmitMarketSell" && p.Ms >= entryMs && p.Ms <= t.ClosedMs).Ms;
        var margin = candles is { Count: > 0 } ? CandleMargin : TimeSpan.FromMilliseconds(Math.Max(30_000, (t.ClosedMs - entryMs) / 2));
        var (from, to) = (Utc(entryMs) - margin, Utc(t.ClosedMs) + margin);
        return new TradeChart
        {
            Number = t.Number,
            Market = t.Market,
            ExitReason = t.ExitReason,
            PnlKrw = t.PnlKrw,
            Entry = new PricePoint(Utc(entryMs), t.EntryPrice),
            Exit = new PricePoint(Utc(t.ClosedMs), t.ExitPrice),
            EntryTrigger = t.EntryTrigger is { } et ? new PricePoint(Utc(entryDecidedMs > 0 ? entryDecidedMs : entryMs), et) : null,
            ExitTrigger = t.ExitTrigger is { } xt ? new PricePoint(Utc(exitDecidedMs > 0 ? exitDecidedMs : t.ClosedMs), xt) : null,
            FromUtc = from,
            ToUtc = to,
            Target = armed?.Target,
            Stop = armed?.Stop,
            Candles = candles?.Where(c => c.MinuteUtc.AddMinutes(1) >= from && c.MinuteUtc <= to).ToList() ?? [],
            JournalPrices = prices.Where(p => Utc(p.Ms) >= from && Utc(p.Ms) <= to).Select(p => new PricePoint(Utc(p.Ms), p.Price)).ToList(),
        };
    }

    private sealed record Armed(long OpenedMs, double? Target, double? Stop);

    /// <summary>
    /// Each trade's position as it was armed (opened time, target, stop), by trade. Every closed trade wrote a
    /// <c>trades</c> row and a <c>positions</c> 'closed' row together, so the k-th of a market's closes is its k-th
    /// trade; a 'rebased' row re-armed the exits from the real fill price. Matching by order, not by sequence
    /// number, holds across runs (sequence numbers restart with each run).
    /// </summary>
    private static List<Armed?> ArmedByTrade(SqliteConnection db, IReadOnlyList<JournalTrade> trades)
    {
        var closes = new Dictionary<string, Queue<Armed?>>(StringComparer.Ordinal);
        if (JournalTrades.Columns(db, "positions").Count > 0)
        {
            var open = new Dictionary<string, Armed>(StringComparer.Ordinal);
            using var cmd = db.CreateCommand();
            cmd.CommandText = "SELECT ts_ms, market, event, target, stop, exit_reason FROM positions ORDER BY id";
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                var market = r.GetString(1);
                double? target = r.IsDBNull(3) ? null : r.GetDouble(3), stop = r.IsDBNull(4) ? null : r.GetDouble(4);
                switch (r.GetString(2))
                {
                    case "opened":
                        open[market] = new Armed(r.GetInt64(0), target, stop);
                        break;
                    case "rebased":
                        open[market] = new Armed(open.TryGetValue(market, out var was) ? was.OpenedMs : r.GetInt64(0), target, stop);
                        break;
                    case "closed":
                        if (!r.IsDBNull(5) && r.GetString(5) != "closed_at_exchange")
                        {
                            (closes.TryGetValue(market, out var q) ? q : closes[market] = new Queue<Armed?>()).Enqueue(open.GetValueOrDefault(market));
                        }

                        open.Remove(market);
                        break;
                }
            }
        }

        return trades.Select(t => closes.TryGetValue(t.Market, out var q) && q.TryDequeue(out var a) ? a : null).ToList();
    }

    /// <summary>The prices the journal holds, by market in time order: every decision's price and every fill's.</summary>
    private static Dictionary<string, List<(long Ms, double Price, string Kind)>> Prices(SqliteConnection db)
    {
        var byMarket = new Dictionary<string, List<(long, double, string)>>(StringComparer.Ordinal);
        using var cmd = db.CreateCommand();
        cmd.CommandText = """
            SELECT market, ts_ms, price, action FROM decisions WHERE price > 0 AND ts_ms > 0
            UNION ALL SELECT market, ts_ms, price, 'fill' FROM fills WHERE price > 0 AND ts_ms > 0
            ORDER BY 2
            """;
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            var market = r.GetString(0);
            (byMarket.TryGetValue(market, out var list) ? list : byMarket[market] = []).Add((r.GetInt64(1), r.GetDouble(2), r.GetString(3)));
        }

        return byMarket;
    }

    private static DateTime Utc(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime;
}
