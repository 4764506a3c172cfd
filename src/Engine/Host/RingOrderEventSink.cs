using System.Text;
using UpbitHft.Engine.Ring;
using UpbitHft.Feed.Events;
using UpbitHft.Gateway.Orders;

namespace UpbitHft.Engine.Host;

/// <summary>
/// Where the live gateway's answers go: each becomes an <see cref="MarketEventKind.OrderAnswer"/> event published into
/// the engine's (multi-producer) ring, so the engine thread stays the only owner of trading state (DESIGN.md §2).
/// Amounts travel as the REST answer's exact decimals; the identifier and uuid travel inline (no references).
/// </summary>
/// <remarks>Called on the gateway's worker thread. Order answers are rare (a few per trade); nothing here is on the tick path.</remarks>
public sealed class RingOrderEventSink(RingBuffer<MarketEvent> ring) : IOrderEventSink
{
    /// <summary>The gateway's answer kind as the ring carries it.</summary>
    internal static OrderAnswerKind ToAnswer(OrderEventKind kind) => kind switch
    {
        OrderEventKind.Accepted => OrderAnswerKind.Accepted,
        OrderEventKind.Fill => OrderAnswerKind.Fill,
        OrderEventKind.Done => OrderAnswerKind.Done,
        OrderEventKind.Cancelled => OrderAnswerKind.Cancelled,
        _ => OrderAnswerKind.Rejected,
    };

    public void OnOrderEvent(in OrderEvent e)
    {
        using var claim = ring.Claim();
        ref var ev = ref claim.Event;
        ev.ClearHead();
        ev.Kind = MarketEventKind.OrderAnswer;
        ev.MarketId = e.MarketId;
        ev.ReceiveTimestampNs = MonotonicClock.NowNs();
        ev.IntentId = e.IntentId;
        ev.Answer = ToAnswer(e.Kind);
        ev.AnswerExecutedVolume = e.ExecutedVolume;
        ev.AnswerExecutedFunds = e.ExecutedFunds;
        ev.AnswerPaidFee = e.PaidFee;
        ev.ErrorNumber = e.Error is { } error ? (int)error.Code : 0;
        ev.IdentifierLength = e.Identifier is { } id ? Encoding.ASCII.GetBytes(id.AsSpan(0, Math.Min(id.Length, MarketEvent.MaxIdentifierBytes)), ev.IdentifierBytes) : 0;
        if (e.Uuid is { } uuid && Guid.TryParse(uuid, out var guid))
        {
            ev.OrderUuid = guid;
        }
    }
}
