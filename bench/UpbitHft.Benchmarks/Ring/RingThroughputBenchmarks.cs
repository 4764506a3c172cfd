using System.Runtime.CompilerServices;
using System.Collections.Concurrent;
using System.Threading.Channels;
using BenchmarkDotNet.Attributes;
using UpbitHft.Engine.Ring;

namespace UpbitHft.Benchmarks.Ring;

/// <summary>A 64-byte event, about the size of a small market message header.</summary>
public struct BenchEvent
{
    public long Value;
    public long A;
    public long B;
    public long C;
    public double D;
    public double E;
    public double F;
    public double G;
}

/// <summary>Counts what the consumer received; the benchmark waits until it has seen every event.</summary>
public struct CountingHandler : IEventHandler<BenchEvent>
{
    public StrongBox<long> Seen;

    public void OnEvent(ref BenchEvent ev, long sequence, bool endOfBatch)
    {
        if (endOfBatch)
        {
            Volatile.Write(ref Seen.Value, sequence + 1);
        }
    }

    public readonly void OnStart()
    {
    }

    public readonly void OnShutdown()
    {
    }
}

/// <summary>
/// One producer thread → one consumer thread, the same 64-byte struct, 1M events per operation: the ring (single
/// publish and batches of 16) against Channel&lt;T&gt; bounded and unbounded, ConcurrentQueue&lt;T&gt; with a spinning
/// consumer, and BlockingCollection&lt;T&gt;. All consumers use a yielding wait where they have a choice (2 cores).
/// </summary>
[Config(typeof(RingBenchConfig))]
public class RingThroughputBenchmarks
{
    private const int Events = 1_000_000;
    private const int Size = 65_536;

    private RingBuffer<BenchEvent> _ring = null!;
    private BatchEventProcessor<BenchEvent, CountingHandler> _processor = null!;
    private StrongBox<long> _seen = null!;
    private long _published;

    [GlobalSetup(Targets = [nameof(RingSingle), nameof(RingBatched)])]
    public void SetupRing()
    {
        _seen = new StrongBox<long>();
        _ring = RingBuffer<BenchEvent>.CreateSingleProducer(Size, new YieldingWaitStrategy());
        _processor = new BatchEventProcessor<BenchEvent, CountingHandler>(_ring, _ring.NewBarrier(), new CountingHandler { Seen = _seen }, "bench-consumer");
        _ring.AddGatingSequences(_processor.Sequence);
        _processor.Start();
        _published = 0;
    }

    [GlobalCleanup(Targets = [nameof(RingSingle), nameof(RingBatched)])]
    public void CleanupRing() => _processor.Halt();

    [Benchmark(OperationsPerInvoke = Events)]
    public long RingSingle()
    {
        var end = _published + Events;
        for (var i = _published; i < end; i++)
        {
            using var claim = _ring.Claim();
            claim.Event.Value = i;
        }

        _published = end;
        SpinUntil(end);
        return end;
    }

    [Benchmark(OperationsPerInvoke = Events)]
    public long RingBatched()
    {
        var end = _published + Events;
        for (var i = _published; i < end; i += 16)
        {
            using var batch = _ring.ClaimBatch(16);
            for (var s = batch.Lo; s <= batch.Hi; s++)
            {
                batch[s].Value = s;
            }
        }

        _published = end;
        SpinUntil(end);
        return end;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Events)]
    public long ChannelBounded() => RunChannel(Channel.CreateBounded<BenchEvent>(new BoundedChannelOptions(Size) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait }));

    [Benchmark(OperationsPerInvoke = Events)]
    public long ChannelUnbounded() => RunChannel(Channel.CreateUnbounded<BenchEvent>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true }));

    [Benchmark(OperationsPerInvoke = Events)]
    public long ConcurrentQueueSpin()
    {
        var queue = new ConcurrentQueue<BenchEvent>();
        long seen = 0;
        var consumer = new Thread(() =>
        {
            var spinner = default(SpinWait);
            while (seen < Events)
            {
                if (queue.TryDequeue(out _))
                {
                    seen++;
                }
                else
                {
                    spinner.SpinOnce(sleep1Threshold: -1);
                }
            }
        });
        consumer.Start();
        for (var i = 0; i < Events; i++)
        {
            queue.Enqueue(new BenchEvent { Value = i });
        }

        consumer.Join();
        return seen;
    }

    [Benchmark(OperationsPerInvoke = Events)]
    public long BlockingCollectionBounded()
    {
        using var collection = new BlockingCollection<BenchEvent>(Size);
        long seen = 0;
        var consumer = new Thread(() =>
        {
            foreach (var _ in collection.GetConsumingEnumerable())
            {
                seen++;
            }
        });
        consumer.Start();
        for (var i = 0; i < Events; i++)
        {
            collection.Add(new BenchEvent { Value = i });
        }

        collection.CompleteAdding();
        consumer.Join();
        return seen;
    }

    private static long RunChannel(Channel<BenchEvent> channel)
    {
        long seen = 0;
        var consumer = new Thread(() =>
        {
            var reader = channel.Reader;
            while (seen < Events)
            {
                while (reader.TryRead(out _))
                {
                    seen++;
                }

                if (seen < Events && !reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
                {
                    break;
                }
            }
        });
        consumer.Start();
        var writer = channel.Writer;
        for (var i = 0; i < Events; i++)
        {
            var ev = new BenchEvent { Value = i };
            while (!writer.TryWrite(ev))
            {
                writer.WaitToWriteAsync().AsTask().GetAwaiter().GetResult();
            }
        }

        consumer.Join();
        return seen;
    }

    private void SpinUntil(long end)
    {
        var spinner = default(SpinWait);
        while (Volatile.Read(ref _seen.Value) < end)
        {
            spinner.SpinOnce(sleep1Threshold: -1);
        }
    }
}
