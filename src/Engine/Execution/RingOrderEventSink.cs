using UpbitHft.Feed.Events;
using System.Text;
using UpbitHft.Engine.Ring;
using UpbitHft.Feed.Markets;
using UpbitHft.Gateway.Errors;
using UpbitHft.Gateway.Orders;

namespace UpbitHft.Engine.Execution;

/// <summary>
/// Where the live gateway's answers go: each becomes an <see cref="EngineEventKind.OrderAnswer"/> or
/// <see cref="EngineEventKind.Balance"/> event on the engine's answer ring, followed by an
/// <see cref="EngineEventKind.AnswersReady"/> poke on its main ring (which wakes an idle engine); the engine drains the
/// answer ring before every main-ring event, so an answer overtakes any market data queued ahead of it. The engine
/// thread stays the only owner of trading state. Amounts travel as the REST answer's exact decimals; the identifier
/// travels inline (no references).
/// </summary>
/// <remarks>Called on the gateway's threads. Order answers are rare (a few per trade); nothing here is on the tick path.</remarks>
public sealed class RingOrderEventSink(RingBuffer<EngineEvent> ring, RingBuffer<EngineEvent> answers, MarketTable markets) : IOrderEventSink
{
    public void OnOrderEvent(in OrderEvent e)
    {
        PublishAnswer(e);
        Poke();
    }

    private void PublishAnswer(in OrderEvent e)
    {
        using var claim = answers.Claim();
        ref var ev = ref claim.Event;
        ev.ClearHead();
        ev.Kind = EngineEventKind.OrderAnswer;
        ev.MarketId = e.MarketId;
        ev.ReceiveTimestampNs = LatencyClock.NowNs();
        ev.IntentId = e.IntentId;
        ev.Answer = e.Kind;
        ev.ExecutedVolume = e.ExecutedVolume;
        ev.ExecutedFunds = e.ExecutedFunds;
        ev.PaidFee = e.PaidFee;
        ev.FundsKnown = e.FundsKnown;
        ev.Error = e.Error?.Code ?? UpbitErrorCode.Unknown;
        ev.IdentifierLength = e.Identifier is { } id ? Encoding.ASCII.GetBytes(id.AsSpan(0, Math.Min(id.Length, Feed.Events.MarketEvent.MaxIdentifierBytes)), ev.IdentifierBytes) : 0;
    }

    public void OnBalance(in BalanceReport balance)
    {
        int market;
        if (balance.IsEndOfSnapshot)
        {
            market = EngineEvent.EndOfBalances;
        }
        else if (balance.Currency == "KRW")
        {
            market = EngineEvent.Krw;
        }
        else if (!markets.TryGetId(Encoding.ASCII.GetBytes("KRW-" + balance.Currency), out market))
        {
            return; // a coin of a market the engine does not watch: not its business
        }

        using (var claim = answers.Claim())
        {
            ref var ev = ref claim.Event;
            ev.ClearHead();
            ev.Kind = EngineEventKind.Balance;
            ev.MarketId = market;
            ev.ReceiveTimestampNs = LatencyClock.NowNs();
            ev.IntentId = balance.AnswersRequest;
            ev.Balance = balance.Balance;
            ev.Locked = balance.Locked;
        }

        Poke();
    }

    /// <summary>Wakes the engine for what was just put on the answer ring (it may be idle: no market data).</summary>
    private void Poke()
    {
        using var claim = ring.Claim();
        ref var ev = ref claim.Event;
        ev.ClearHead();
        ev.Kind = EngineEventKind.AnswersReady;
        ev.MarketId = -1;
    }
}
