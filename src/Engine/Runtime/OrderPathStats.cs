using HdrHistogram;
using UpbitHft.Gateway.Orders;

namespace UpbitHft.Engine.Runtime;

/// <summary>
/// The live order path hop by hop (docs/design.md#performance-goals): from the tick's arrival to the exchange's answer,
/// from each order's <see cref="OrderTrace"/>. The first order of the run is kept apart — with warm-up it should look
/// like the rest, and this is where to see whether it does; the histograms hold every later order (the steady state).
/// Thread-safe: traces arrive on the threads that read the answers.
/// </summary>
public sealed class OrderPathStats
{
    /// <summary>The hops, in order, as (name, from, to) over an <see cref="OrderTrace"/>'s stamps.</summary>
    public static readonly IReadOnlyList<(string Name, Func<OrderTrace, long> From, Func<OrderTrace, long> To)> Hops =
    [
        ("receive_to_decision", t => t.ReceivedNs, t => t.DecidedNs),
        ("decision_to_handoff", t => t.DecidedNs, t => t.HandedOffNs),
        ("handoff_to_pickup", t => t.HandedOffNs, t => t.PickedUpNs),
        ("pickup_to_signed", t => t.PickedUpNs, t => t.SignedNs),
        ("signed_to_written", t => t.SignedNs, t => t.WrittenNs),
        ("written_to_answered", t => t.WrittenNs, t => t.AnsweredNs),
    ];

    private readonly Lock _lock = new();
    private readonly LongHistogram[] _hops = [.. Hops.Select(_ => NewHistogram())];

    private readonly OrderTrace[] _traces = new OrderTrace[4_096];
    private long _traceCount;

    /// <summary>The first traced order of the run (null before there is one).</summary>
    public OrderTrace? First { get; private set; }

    /// <summary>Tick received → request signed, every order after the first (ns).</summary>
    public LongHistogram ReceiveToSigned { get; } = NewHistogram();

    /// <summary>Tick received → request bytes written to the socket, every order after the first (ns).</summary>
    public LongHistogram ReceiveToWritten { get; } = NewHistogram();

    /// <summary>Tick received → request signed for every order, the first included (the summary's <c>tick_to_order</c>).</summary>
    public LongHistogram AllReceiveToSigned { get; } = NewHistogram();

    /// <summary>Records one order's stamps (any thread).</summary>
    public void Record(OrderTrace t)
    {
        lock (_lock)
        {
            _traces[_traceCount++ % _traces.Length] = t; // preallocated: recording allocates nothing

            if (t.ReceivedNs > 0 && t.SignedNs > 0)
            {
                LatencyHistograms.Record(AllReceiveToSigned, t.SignedNs - t.ReceivedNs);
            }

            if (First is null)
            {
                First = t;
                return;
            }

            for (var i = 0; i < Hops.Count; i++)
            {
                var (_, from, to) = Hops[i];
                if (from(t) > 0 && to(t) > 0)
                {
                    LatencyHistograms.Record(_hops[i], to(t) - from(t));
                }
            }

            if (t.ReceivedNs > 0 && t.SignedNs > 0)
            {
                LatencyHistograms.Record(ReceiveToSigned, t.SignedNs - t.ReceivedNs);
            }

            if (t.ReceivedNs > 0 && t.WrittenNs > 0)
            {
                LatencyHistograms.Record(ReceiveToWritten, t.WrittenNs - t.ReceivedNs);
            }
        }
    }

    /// <summary>The last 4,096 orders' stamps, oldest first (a copy): for pairing with another process's stamps on the same clock.</summary>
    public OrderTrace[] Traces()
    {
        lock (_lock)
        {
            var n = (int)Math.Min(_traceCount, _traces.Length);
            var copy = new OrderTrace[n];
            for (var i = 0; i < n; i++)
            {
                copy[i] = _traces[(_traceCount - n + i) % _traces.Length];
            }

            return copy;
        }
    }

    /// <summary>Each hop's histogram (steady state), by name. Read after the run.</summary>
    public IEnumerable<(string Name, HistogramBase Histogram)> HopHistograms()
    {
        for (var i = 0; i < Hops.Count; i++)
        {
            yield return (Hops[i].Name, _hops[i]);
        }
    }

    private static LongHistogram NewHistogram() => new(60_000_000_000L, 3);
}
