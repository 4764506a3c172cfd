using UpbitHft.Engine.Ring;

namespace UpbitHft.Engine.Tests.Ring;

public struct TestEvent
{
    public long Value;
    public int Producer;
    public long StageA;
    public long StageB;
}

/// <summary>What a checking handler saw (a class: the handler struct itself lives inside its processor).</summary>
public sealed class Observed
{
    public long Count;
    public long Sum;
    public long Errors;
    public long LastSequence = -1;
    public long[] PerProducerNext = new long[8];
    public string? FirstError;
    public long AllocatedAtWarm = -1;
    public long AllocatedAtEnd = -1;

    public void Fail(string message)
    {
        Errors++;
        FirstError ??= message;
    }
}

/// <summary>Checks sequence order, no loss, and (optionally) what earlier pipeline stages wrote.</summary>
public struct CheckingHandler : IEventHandler<TestEvent>
{
    public Observed Seen;
    public int Stage; // 0 = plain, 1 = writes StageA, 2 = checks A writes B, 3 = checks B
    public bool PerProducer;
    public long MeasureAllocationsFrom;
    public int ThrowAtSequence;
    public int SlowEvery;

    public void OnEvent(ref TestEvent ev, long sequence, bool endOfBatch)
    {
        if (ThrowAtSequence >= 0 && sequence == ThrowAtSequence)
        {
            throw new InvalidOperationException("boom at " + sequence);
        }

        if (sequence != Seen.LastSequence + 1)
        {
            Seen.Fail($"sequence {sequence} after {Seen.LastSequence}");
        }

        Seen.LastSequence = sequence;
        if (PerProducer)
        {
            if (ev.Value != Seen.PerProducerNext[ev.Producer])
            {
                Seen.Fail($"producer {ev.Producer}: value {ev.Value}, expected {Seen.PerProducerNext[ev.Producer]}");
            }

            Seen.PerProducerNext[ev.Producer] = ev.Value + 1;
        }
        else if (ev.Value != sequence)
        {
            Seen.Fail($"slot {sequence} holds {ev.Value}: overwritten or stale");
        }

        switch (Stage)
        {
            case 1:
                ev.StageA = ev.Value * 2;
                break;
            case 2:
                if (ev.StageA != ev.Value * 2)
                {
                    Seen.Fail($"stage B ran before stage A at {sequence}");
                }

                ev.StageB = ev.Value * 3;
                break;
            case 3:
                if (ev.StageB != ev.Value * 3)
                {
                    Seen.Fail($"stage C ran before stage B at {sequence}");
                }

                break;
        }

        if (SlowEvery > 0 && sequence % SlowEvery == 0)
        {
            Thread.SpinWait(2000);
        }

        if (sequence == MeasureAllocationsFrom)
        {
            Seen.AllocatedAtWarm = GC.GetAllocatedBytesForCurrentThread();
        }

        Seen.Count++;
        Seen.Sum += ev.Value;
        if (endOfBatch && MeasureAllocationsFrom > 0)
        {
            Seen.AllocatedAtEnd = GC.GetAllocatedBytesForCurrentThread();
        }
    }

    public readonly void OnStart()
    {
    }

    public readonly void OnShutdown()
    {
    }

    public static CheckingHandler For(Observed seen, int stage = 0) =>
        new() { Seen = seen, Stage = stage, ThrowAtSequence = -1 };
}

internal static class RingTestKit
{
    public static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(60);

    public static void Publish(RingBuffer<TestEvent> ring, long count, int producer = 0, int batch = 1, long start = 0)
    {
        var value = start;
        var end = start + count;
        while (value < end)
        {
            var n = (int)Math.Min(batch, end - value);
            if (n == 1)
            {
                using var claim = ring.Claim();
                claim.Event.Value = value++;
                claim.Event.Producer = producer;
                claim.Event.StageA = claim.Event.StageB = 0;
            }
            else
            {
                using var claim = ring.ClaimBatch(n);
                for (var s = claim.Lo; s <= claim.Hi; s++)
                {
                    ref var e = ref claim[s];
                    e.Value = value++;
                    e.Producer = producer;
                    e.StageA = e.StageB = 0;
                }
            }
        }
    }

    public static void AssertAllSeen(Observed seen, long count)
    {
        Assert.True(seen.Errors == 0, seen.FirstError);
        Assert.Equal(count, seen.Count);
    }
}
