using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using UpbitHft.Benchmarks.Parser;
using UpbitHft.Engine.Ring;
using UpbitHft.Feed.Events;
using UpbitHft.Feed.Markets;
using UpbitHft.Feed.Parsing;

namespace UpbitHft.Benchmarks.Harnesses;

/// <summary>
/// The engine ring with its real slot (<see cref="EngineEvent"/>), one producer thread → the engine-side consumer,
/// the parse left out: the producer writes what the parser writes into a slot (the cleared head and scalars; for a
/// book, 15 levels on each side), in batches of 64 claims; the consumer reads what the engine reads (a trade's price
/// and volume; a book's level-0 prices and summed sizes). 55 % books, like Upbit's all-market stream. What it shows
/// is what the slot's size and layout cost in the ring: events/s and bytes per slot, for a 4,096-slot ring (replay's
/// default) and a 16,384-slot ring (live's). Best of <c>runs</c>.
/// Run: <c>dotnet run -c Release --project bench/UpbitHft.Benchmarks -- ring-slots [events] [runs]</c>.
/// </summary>
public static class RingSlotHarness
{
    public static string Run(int events, int runs)
    {
        var started = DateTimeOffset.UtcNow;
        var parser = new UpbitMessageParser(new MarketTable(), new UpbitParserOptions());
        var trade = default(MarketEvent);
        var book = default(MarketEvent);
        if (parser.Parse(BenchFrames.Utf8("trade-simple"), 1, ref trade) != ParseStatus.Ok
            || parser.Parse(BenchFrames.Utf8("book15-simple"), 1, ref book) != ParseStatus.Ok)
        {
            throw new InvalidOperationException("benchmark frames did not parse");
        }

        // A fixed 55 % book mix, the same sequence for every run and ring size.
        var isBook = new bool[4096];
        var rng = new Random(11);
        for (var i = 0; i < isBook.Length; i++)
        {
            isBook[i] = rng.NextDouble() < 0.55;
        }

        var sb = new StringBuilder();
        sb.AppendLine(Provenance.Line(started)).AppendLine();
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"slot: {Unsafe.SizeOf<EngineEvent>()} B (MarketEvent {Unsafe.SizeOf<MarketEvent>()} B, of which head {MarketEvent.HeadBytes} B); {events:N0} events a run, best of {runs}"));
        sb.AppendLine();
        sb.AppendLine("| ring slots | ring MB | best events/s | median events/s | ns/event (best) |");
        sb.AppendLine("|---:|---:|---:|---:|---:|");
        foreach (var size in new[] { 4096, 16384 })
        {
            var rates = new List<double>();
            for (var r = 0; r < runs + 1; r++)
            {
                var rate = Once(size, events, isBook, ref trade, ref book);
                if (r > 0)
                {
                    rates.Add(rate); // the first run warms the JIT and the pages
                }
            }

            rates.Sort();
            var best = rates[^1];
            var median = rates[rates.Count / 2];
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {size:N0} | {(double)size * Unsafe.SizeOf<EngineEvent>() / (1 << 20):F1} | {best:N0} | {median:N0} | {1e9 / best:F1} |"));
        }

        return sb.ToString();
    }

    private static double Once(int size, int events, bool[] isBook, ref MarketEvent trade, ref MarketEvent book)
    {
        var ring = RingBuffer<EngineEvent>.CreateSingleProducer(size, new YieldingWaitStrategy());
        var done = new StrongBox<long>();
        var processor = new BatchEventProcessor<EngineEvent, ReadingHandler>(ring, ring.NewBarrier(), new ReadingHandler { Done = done }, "slot-consumer");
        ring.AddGatingSequences(processor.Sequence);
        processor.Start();
        var sw = Stopwatch.StartNew();
        const int Batch = 64;
        for (var published = 0; published < events; published += Batch)
        {
            using var claim = ring.ClaimBatch(Batch);
            for (var seq = claim.Lo; seq <= claim.Hi; seq++)
            {
                ref var slot = ref claim[seq];
                slot.ClearHead();
                slot.Kind = EngineEventKind.Market;
                ref var m = ref slot.Market;
                m.ClearHead();
                if (isBook[(int)(seq & (isBook.Length - 1))])
                {
                    Write(ref m, ref book);
                    for (var i = 0; i < book.LevelCount; i++)
                    {
                        m.AskPrices[i] = book.AskPrices[i];
                        m.AskSizes[i] = book.AskSizes[i];
                        m.BidPrices[i] = book.BidPrices[i];
                        m.BidSizes[i] = book.BidSizes[i];
                    }
                }
                else
                {
                    Write(ref m, ref trade);
                }
            }
        }

        while (Volatile.Read(ref done.Value) < events)
        {
            Thread.SpinWait(20);
        }

        var elapsed = sw.Elapsed.TotalSeconds;
        processor.Halt();
        GC.KeepAlive(done);
        return events / elapsed;
    }

    private static void Write(ref MarketEvent slot, ref MarketEvent from)
    {
        slot.Kind = from.Kind;
        slot.Format = from.Format;
        slot.Side = from.Side;
        slot.MarketId = from.MarketId;
        slot.TimestampMs = from.TimestampMs;
        slot.TradeTimestampMs = from.TradeTimestampMs;
        slot.SequentialId = from.SequentialId;
        slot.Price = from.Price;
        slot.Volume = from.Volume;
        slot.TotalAskSize = from.TotalAskSize;
        slot.TotalBidSize = from.TotalBidSize;
        slot.LevelCount = from.LevelCount;
        slot.FieldsSeen = from.FieldsSeen;
    }

    private struct ReadingHandler : IEventHandler<EngineEvent>
    {
        public StrongBox<long> Done;
        private double _sink;

        public void OnEvent(ref EngineEvent ev, long sequence, bool endOfBatch)
        {
            ref var m = ref ev.Market;
            if (m.Kind == MarketEventKind.Orderbook)
            {
                double asks = 0, bids = 0;
                for (var i = 0; i < m.LevelCount; i++)
                {
                    asks += m.AskSizes[i];
                    bids += m.BidSizes[i];
                }

                _sink += asks - bids + m.AskPrices[0] - m.BidPrices[0];
            }
            else
            {
                _sink += m.Price * m.Volume;
            }

            if (endOfBatch)
            {
                Volatile.Write(ref Done.Value, sequence + 1);
            }
        }

        public readonly void OnStart()
        {
        }

        public readonly void OnShutdown()
        {
        }
    }
}
