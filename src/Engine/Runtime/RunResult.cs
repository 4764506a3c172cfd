using HdrHistogram;

namespace UpbitHft.Engine.Runtime;

/// <summary>What a run did, for the summary JSON and the console table.</summary>
public sealed record RunResult
{
    public long Messages { get; init; }
    public long Trades { get; init; }
    public long Tickers { get; init; }
    public long Orderbooks { get; init; }
    public long Other { get; init; }
    public long Rejected { get; init; }
    public long Orders { get; init; }
    public required IReadOnlyList<ClosedTrade> ClosedTrades { get; init; }
    public decimal PnlKrw { get; init; }
    public double ElapsedSeconds { get; init; }

    /// <summary>When the run's engine thread started (wall time).</summary>
    public DateTimeOffset StartedUtc { get; init; }
    public double AllocatedBytesPerMessage { get; init; }
    public int Gen0Collections { get; init; }

    /// <summary>Journal writes that failed (each retried until it succeeded), and the last error.</summary>
    public long JournalWriteFailures { get; init; }
    public string? JournalLastError { get; init; }

    /// <summary>Commands the gateway's queue refused (full): recorded as refusals, never lost silently.</summary>
    public long OrdersRefused { get; init; }
    public required LatencySummary TickToDecision { get; init; }
    public required LatencySummary TickToOrder { get; init; }

    /// <summary>The full distributions (for .hgrm files and plots).</summary>
    public required HistogramBase TickToDecisionHistogram { get; init; }

    public required HistogramBase TickToOrderHistogram { get; init; }

    /// <summary>Parsed-and-published → decision (the ring hand-off plus the engine's work), when events carry the stamp.</summary>
    public HistogramBase? PublishToDecisionHistogram { get; init; }

    /// <summary>Service time of the producer's parse per frame (sampled 1 in 64 at full-speed replay).</summary>
    public HistogramBase? ParseTimeHistogram { get; init; }

    /// <summary>Parsed and published → picked up by the engine thread (the ring's hand-off; at full speed, also any wait in it).</summary>
    public HistogramBase? HandOffHistogram { get; init; }

    /// <summary>The engine thread's own work per market event: market state, strategy, OCO, risk, paper fills, journal hand-off.</summary>
    public HistogramBase? DecisionTimeHistogram { get; init; }

    /// <summary>A replay at full speed: receive → decision is then mostly waiting in the ring, not the engine's speed.</summary>
    public bool FullSpeed { get; init; }

    /// <summary>Full-speed replay on two cores: frames the engine thread parsed itself (<see cref="SplitParse"/>); 0 otherwise.</summary>
    public long FramesParsedByEngine { get; init; }

    /// <summary>A replay at a fixed rate (<c>--rate</c>): frames are stamped when due, so latencies are coordinated-omission corrected.</summary>
    public double? PacedRate { get; init; }

    public bool Paced => PacedRate is not null;

    /// <summary>Live: the order path hop by hop, the first order apart (null in paper modes).</summary>
    public OrderPathStats? OrderPath { get; init; }

    /// <summary>Live: a gateway answer's arrival → applied by the engine.</summary>
    public HistogramBase? AnswerToAppliedHistogram { get; init; }

    /// <summary>Live: test orders sent down the order path (warm-up at start, keep-warm between orders).</summary>
    public long WarmUpOrders { get; init; }

    /// <summary>Live: connections the order client opened (they are kept: more than one per concurrent order means one was lost).</summary>
    public long OrderConnections { get; init; }

    /// <summary>Live: entries the engine foresaw and told the gateway to sign ahead.</summary>
    public long EntriesForeseen { get; init; }

    /// <summary>Live: requests the gateway signed ahead, taken by their order, and dropped unused.</summary>
    public (long Kept, long Taken, long Dropped) SignedAhead { get; init; }
}

/// <summary>Percentiles of one latency histogram, in nanoseconds.</summary>
public sealed record LatencySummary(long P50, long P99, long P999, long Max, long Count)
{
    public static LatencySummary From(HistogramBase h) => h.TotalCount == 0
        ? new LatencySummary(0, 0, 0, 0, 0)
        : new LatencySummary(h.GetValueAtPercentile(50), h.GetValueAtPercentile(99), h.GetValueAtPercentile(99.9), h.GetMaxValue(), h.TotalCount);
}
