using System.Globalization;
using System.Text;
using UpbitHft.Gateway.Orders;

namespace UpbitHft.Engine.Simulation;

/// <summary>Options of <see cref="SessionSimulator"/>.</summary>
public sealed record SimulationOptions
{
    public int Seed { get; init; } = 7;
    public int Markets { get; init; } = 12;
    public int Minutes { get; init; } = 40;

    /// <summary>Session start (UTC, a minute boundary).</summary>
    public DateTimeOffset Start { get; init; } = new(2026, 11, 2, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Quiet minutes before the first surge, so RSI(14) and the 20-minute volume average warm up from the data.</summary>
    public int WarmupMinutes { get; init; } = 23;

    /// <summary>Minutes between surges.</summary>
    public int SurgeEvery { get; init; } = 3;

    public void Validate()
    {
        if (Markets is < 1 or > SessionSimulator.MaxMarkets)
        {
            throw new ArgumentOutOfRangeException(nameof(Markets), Markets, $"--markets must be 1..{SessionSimulator.MaxMarkets}.");
        }

        if (Minutes < 1 || Minutes > 24 * 60)
        {
            throw new ArgumentOutOfRangeException(nameof(Minutes), Minutes, "--minutes must be 1..1440.");
        }

        if (Start.Offset != TimeSpan.Zero || Start.Second != 0 || Start.Millisecond != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Start), Start, "The start must be a UTC minute boundary.");
        }
    }
}

/// <summary>
/// Writes a deterministic, realistic Upbit session as a JSONL capture (<c>{"recv_ts","frame"}</c> per line, SIMPLE
/// format frames): trades and 15-level books for many KRW markets on the KRW tick grid, quiet minutes, and volume
/// surges with momentum — some that run on past +0.3 % (take-profit) and some that reverse through −1 % (stop).
/// Only a seeded <see cref="Random"/> is used, so the same options give the same bytes.
/// </summary>
public static class SessionSimulator
{
    private static readonly (string Code, decimal Price)[] s_universe =
    [
        ("KRW-BTC", 140_000_000m), ("KRW-ETH", 5_000_000m), ("KRW-XRP", 3_050m), ("KRW-SOL", 251_000m), ("KRW-DOGE", 512m),
        ("KRW-ADA", 1_210m), ("KRW-AVAX", 52_300m), ("KRW-DOT", 10_120m), ("KRW-LINK", 31_450m), ("KRW-TRX", 355m),
        ("KRW-ETC", 41_800m), ("KRW-BCH", 690_000m), ("KRW-NEAR", 7_420m), ("KRW-APT", 13_650m), ("KRW-ATOM", 9_870m),
        ("KRW-SAND", 801m), ("KRW-SUI", 5_230m), ("KRW-HBAR", 402m), ("KRW-STX", 3_115m), ("KRW-ARB", 1_085m),
    ];

    /// <summary>Most markets the simulator knows.</summary>
    public const int MaxMarkets = 20;

    /// <summary>Writes the session to <paramref name="output"/>; returns the number of frames.</summary>
    public static long Write(SimulationOptions options, TextWriter output)
    {
        options.Validate();
        var random = new Random(options.Seed);
        var n = options.Markets;
        var price = new decimal[n];
        var prevClose = new decimal[n];
        var baseValue = new double[n];
        for (var m = 0; m < n; m++)
        {
            price[m] = s_universe[m].Price;
            prevClose[m] = price[m];
            baseValue[m] = 30_000_000 * (0.5 + random.NextDouble()); // KRW per minute
        }

        long sequence = 1;
        long frames = 0;
        var startMs = options.Start.ToUnixTimeMilliseconds();
        var events = new List<(int Offset, int Market, bool Book)>();
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
                var trades = hot ? 80 : 14 + random.Next(12);
                for (var t = 0; t < trades; t++)
                {
                    events.Add((random.Next(60_000), m, false));
                }

                var books = hot ? 30 : 5 + random.Next(4);
                for (var b = 0; b < books; b++)
                {
                    events.Add((random.Next(60_000), m, true));
                }
            }

            events.Sort((a, b) => a.Offset != b.Offset ? a.Offset.CompareTo(b.Offset) : a.Market != b.Market ? a.Market.CompareTo(b.Market) : a.Book.CompareTo(b.Book));
            foreach (var (offset, m, book) in events)
            {
                var nowMs = startMs + (minute * 60_000L) + offset;
                var hot = m == surgeMarket;
                if (book)
                {
                    var bidHeavy = hot ? 1.5 + random.NextDouble() : 0.6 + (random.NextDouble() * 0.8);
                    Emit(output, nowMs + 3 + random.Next(20), Book(s_universe[m].Code, nowMs, price[m], bidHeavy, random));
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
                    Emit(output, nowMs + 5 + random.Next(30), Trade(s_universe[m].Code, nowMs, price[m], volume, side, prevClose[m], sequence++));
                }

                frames++;
            }
        }

        return frames;
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

    private static string Trade(string code, long ms, decimal price, decimal volume, string side, decimal prevClose, long sequence)
    {
        var t = DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime;
        var change = price > prevClose ? "RISE" : price < prevClose ? "FALL" : "EVEN";
        return string.Create(CultureInfo.InvariantCulture,
            $"{{\"ty\":\"trade\",\"cd\":\"{code}\",\"tms\":{ms + 2},\"td\":\"{t:yyyy-MM-dd}\",\"ttm\":\"{t:HH:mm:ss}\",\"ttms\":{ms},\"tp\":{N(price)},\"tv\":{N(volume)},\"ab\":\"{side}\",\"pcp\":{N(prevClose)},\"c\":\"{change}\",\"cp\":{N(Math.Abs(price - prevClose))},\"sid\":{(ms * 1000) + (sequence % 1000)},\"st\":\"REALTIME\"}}");
    }

    private static string Book(string code, long ms, decimal price, double bidHeavy, Random random)
    {
        var tick = KrwTickTable.For(price);
        var sb = new StringBuilder(1024);
        double totalAsk = 0, totalBid = 0;
        var units = new StringBuilder(900);
        var notional = (double)(20_000_000m / price);
        for (var i = 0; i < 15; i++)
        {
            var ask = price + (tick * (i + 1));
            var bid = price - (tick * i);
            var askSize = Math.Round(notional * (0.2 + random.NextDouble()), 8);
            var bidSize = Math.Round(askSize * bidHeavy * (0.8 + (random.NextDouble() * 0.4)), 8);
            totalAsk += askSize;
            totalBid += bidSize;
            units.Append(i == 0 ? "" : ",").Append(CultureInfo.InvariantCulture,
                $"{{\"ap\":{N(ask)},\"bp\":{N(Math.Max(tick, bid))},\"as\":{askSize.ToString("0.########", CultureInfo.InvariantCulture)},\"bs\":{bidSize.ToString("0.########", CultureInfo.InvariantCulture)}}}");
        }

        sb.Append(CultureInfo.InvariantCulture, $"{{\"ty\":\"orderbook\",\"cd\":\"{code}\",\"tms\":{ms},\"tas\":{totalAsk.ToString("0.########", CultureInfo.InvariantCulture)},\"tbs\":{totalBid.ToString("0.########", CultureInfo.InvariantCulture)},\"obu\":[");
        sb.Append(units).Append("],\"st\":\"REALTIME\",\"lv\":0}");
        return sb.ToString();
    }

    // Upbit spells numbers like 126.0 and 123.00000000; one fixed spelling keeps the output byte-for-byte stable.
    private static string N(decimal value)
    {
        var text = value.ToString("0.########", CultureInfo.InvariantCulture);
        return text.Contains('.', StringComparison.Ordinal) ? text : text + ".0";
    }
}
