using System.Globalization;
using UpbitHft.Gateway.Orders;

namespace UpbitHft.Engine.Simulation;

/// <summary>
/// Writes a deterministic, realistic Upbit session as a JSONL capture (<c>{"recv_ts","frame"}</c> per line): trades,
/// orderbooks (15 levels by default) and optionally tickers for up to <see cref="MaxMarkets"/> KRW markets on the KRW
/// tick grid, quiet minutes, and volume surges with momentum — some that run on past +0.3 % (take-profit) and some
/// that reverse through −1 % (stop). Frames use SIMPLE or DEFAULT keys and the sample's or the wire's number spelling
/// (<see cref="SimulationOptions"/>). Only a seeded <see cref="Random"/> is used, so the same options give the same
/// bytes; the default options give <c>data/sample-session.jsonl</c>.
/// </summary>
public static class SessionSimulator
{
    private const int Trade = 0;
    private const int Book = 1;
    private const int Ticker = 2;

    /// <summary>Most markets the simulator knows.</summary>
    public static int MaxMarkets => SimulatedMarkets.All.Length;

    /// <summary>Most units an orderbook frame may have.</summary>
    public const int MaxBookLevels = 30;

    /// <summary>Writes the session to <paramref name="output"/>; returns the number of frames.</summary>
    public static long Write(SimulationOptions options, TextWriter output)
    {
        options.Validate();
        var universe = SimulatedMarkets.All;
        var random = new Random(options.Seed);
        var n = options.Markets;
        var price = new decimal[n];
        var prevClose = new decimal[n];
        var baseValue = new double[n];
        for (var m = 0; m < n; m++)
        {
            price[m] = universe[m].Price;
            prevClose[m] = price[m];
            baseValue[m] = 30_000_000 * (0.5 + random.NextDouble()); // KRW per minute
        }

        // Only what the sample session never used from here on: no random draws (the sample's sequence must not move).
        var spell = new SimulatedFrames(options.Format, options.Spelling);
        var levels = options.BookLevels;
        var asks = new decimal[levels];
        var bids = new decimal[levels];
        var askSizes = new double[levels];
        var bidSizes = new double[levels];
        var best = new (decimal AskPrice, decimal AskSize, decimal BidPrice, decimal BidSize)[n];
        var ticker = new TickerFigures[n];
        var perMinute = MixPerMarketMinute(options);
        for (var m = 0; m < n; m++)
        {
            var tick = KrwTickTable.For(price[m]);
            var size = Math.Round(10_000_000m / price[m], 8);
            best[m] = (price[m] + tick, size, price[m], size);
            ticker[m] = new TickerFigures
            {
                Open = price[m], High = price[m], Low = price[m],
                Price24hBase = Math.Round((decimal)baseValue[m] * 1_100m, 8),
                Volume24hBase = Math.Round((decimal)baseValue[m] * 1_100m / price[m], 8),
            };
        }

        long sequence = 1;
        long frames = 0;
        var startMs = options.Start.ToUnixTimeMilliseconds();
        var events = new List<(int Offset, int Market, int Kind)>();
        for (var minute = 0; minute < options.Minutes; minute++)
        {
            events.Clear();
            var surgeIndex = minute - options.WarmupMinutes;
            var surgeMarket = surgeIndex >= 0 ? (surgeIndex / options.SurgeEvery) * 5 % n : -1;
            var phase = surgeIndex >= 0 ? surgeIndex % options.SurgeEvery : -1; // 0 = surge, 1..2 = follow-through
            var reverses = surgeIndex >= 0 && (surgeIndex / options.SurgeEvery) % 3 == 1; // every third surge turns into a stop
            for (var m = 0; m < n; m++)
            {
                var hot = m == surgeMarket;
                if (perMinute is null)
                {
                    // The sample's fixed mix (the draws in this order make data/sample-session.jsonl).
                    var trades = hot ? 80 : 14 + random.Next(12);
                    AddEvents(events, random, trades, m, Trade);
                    var books = hot ? 30 : 5 + random.Next(4);
                    AddEvents(events, random, books, m, Book);
                }
                else
                {
                    var boost = hot ? 4.0 : 1.0;
                    var (trades, books, tickers) = perMinute[Math.Min(m, perMinute.Length - 1)];
                    AddEvents(events, random, Draw(random, trades * boost), m, Trade);
                    AddEvents(events, random, Draw(random, books * boost), m, Book);
                    AddEvents(events, random, Draw(random, tickers * boost), m, Ticker);
                }
            }

            events.Sort((a, b) => a.Offset != b.Offset ? a.Offset.CompareTo(b.Offset) : a.Market != b.Market ? a.Market.CompareTo(b.Market) : a.Kind.CompareTo(b.Kind));
            foreach (var (offset, m, kind) in events)
            {
                if (frames >= options.MaxFrames)
                {
                    return frames;
                }

                var nowMs = startMs + (minute * 60_000L) + offset;
                var hot = m == surgeMarket;
                if (kind == Book)
                {
                    var bidHeavy = hot ? 1.5 + random.NextDouble() : 0.6 + (random.NextDouble() * 0.8);
                    Emit(output, nowMs + 3 + random.Next(20), DrawBook(spell, universe[m].Code, nowMs, price[m], bidHeavy, random, asks, bids, askSizes, bidSizes, options.Spelling == SimulationSpelling.Wire, ref best[m]));
                }
                else if (kind == Ticker)
                {
                    Emit(output, nowMs + 4 + random.Next(25), spell.Ticker(universe[m].Code, nowMs, price[m], prevClose[m], ticker[m]));
                }
                else
                {
                    // Quiet markets wander; the surging market drifts with momentum, then either runs on or reverses.
                    var drift = !hot ? 0.0 : phase == 0 ? 0.00004 : reverses ? (offset > 10_000 ? -0.0004 : 0.00002) : 0.00012;
                    var step = drift + ((random.NextDouble() - 0.5) * 0.0006);
                    price[m] = Snap(price[m] * (decimal)(1 + step));
                    var value = baseValue[m] / 20 * (hot ? (phase == 0 ? 10 : 4) : 1) * (0.5 + random.NextDouble());
                    var volume = Math.Round((decimal)value / price[m], 8);
                    var side = random.Next(hot && !(reverses && phase > 0) ? 4 : 2) == 0 ? "ASK" : "BID";
                    var tick = KrwTickTable.For(price[m]);
                    // The taker met the best price on its side: the book's top around the trade.
                    best[m] = side == "BID"
                        ? (price[m], best[m].AskSize, Math.Max(tick, price[m] - tick), best[m].BidSize)
                        : (price[m] + tick, best[m].AskSize, price[m], best[m].BidSize);
                    Record(ticker[m], nowMs, price[m], volume, side);
                    Emit(output, nowMs + 5 + random.Next(30), spell.Trade(universe[m].Code, nowMs, price[m], volume, side, prevClose[m], sequence++, m % 2 == 1, best[m]));
                }

                frames++;
            }
        }

        return frames;
    }

    /// <summary>Expected trades, books and tickers per market and minute with a custom mix; null for the sample's.</summary>
    private static (double Trades, double Books, double Tickers)[]? MixPerMarketMinute(SimulationOptions options)
    {
        if (!options.CustomMix)
        {
            return null;
        }

        var n = options.Markets;
        var perSecond = options.FramesPerSecond ?? n * 26.0 / 60;
        var bookShare = options.BookShare ?? 0.25;
        var tickerShare = options.TickerShare ?? 0;
        var weights = Enumerable.Range(0, n).Select(m => 1 / Math.Sqrt(m + 1)).ToArray();
        var sum = weights.Sum();
        return [.. weights.Select(w =>
        {
            var total = perSecond * 60 * w / sum;
            return (total * (1 - bookShare - tickerShare), total * bookShare, total * tickerShare);
        })];
    }

    /// <summary>A count around <paramref name="mean"/> (uniform spread ±50 %, stochastic rounding).</summary>
    private static int Draw(Random random, double mean) => (int)((mean * (0.5 + random.NextDouble())) + random.NextDouble());

    private static void AddEvents(List<(int Offset, int Market, int Kind)> events, Random random, int count, int market, int kind)
    {
        for (var i = 0; i < count; i++)
        {
            events.Add((random.Next(60_000), market, kind));
        }
    }

    private static void Record(TickerFigures f, long ms, decimal price, decimal volume, string side)
    {
        f.High = Math.Max(f.High, price);
        f.Low = Math.Min(f.Low, price);
        f.AccPrice += Math.Round(price * volume, 8);
        f.AccVolume += volume;
        if (side == "ASK")
        {
            f.AccAsk += volume;
        }
        else
        {
            f.AccBid += volume;
        }

        f.LastVolume = volume;
        f.LastSide = side;
        f.LastTradeMs = ms;
    }

    private static decimal Snap(decimal price)
    {
        var tick = KrwTickTable.For(price);
        return Math.Max(tick, Math.Round(price / tick, MidpointRounding.AwayFromZero) * tick);
    }

    private static void Emit(TextWriter output, long receiveMs, string frame)
    {
        output.Write("{\"recv_ts\": ");
        output.Write((receiveMs / 1000.0).ToString("0.000", CultureInfo.InvariantCulture));
        output.Write(", \"frame\": \"");
        output.Write(frame.Replace("\"", "\\\"", StringComparison.Ordinal));
        output.Write("\"}\n");
    }

    private static string DrawBook(SimulatedFrames spell, string code, long ms, decimal price, double bidHeavy, Random random,
        decimal[] asks, decimal[] bids, double[] askSizes, double[] bidSizes, bool dust, ref (decimal AskPrice, decimal AskSize, decimal BidPrice, decimal BidSize) best)
    {
        var tick = KrwTickTable.For(price);
        double totalAsk = 0, totalBid = 0;
        var notional = (double)(20_000_000m / price);
        for (var i = 0; i < asks.Length; i++)
        {
            asks[i] = price + (tick * (i + 1));
            bids[i] = Math.Max(tick, price - (tick * i));
            askSizes[i] = Math.Round(notional * (0.2 + random.NextDouble()), 8);
            bidSizes[i] = Math.Round(askSizes[i] * bidHeavy * (0.8 + (random.NextDouble() * 0.4)), 8);
            if (dust && random.NextDouble() < 0.05)
            {
                // Real books have dust levels (KRW-BTC's 7.9276E-4 in the 2026 capture); the sample's books have none.
                (random.Next(2) == 0 ? askSizes : bidSizes)[i] = Math.Round(notional * 0.01 * (0.01 + random.NextDouble()), 8);
            }
            totalAsk += askSizes[i];
            totalBid += bidSizes[i];
        }

        best = (asks[0], (decimal)askSizes[0], bids[0], (decimal)bidSizes[0]);
        return spell.Book(code, ms, asks.Length, asks, bids, askSizes, bidSizes, totalAsk, totalBid);
    }
}
