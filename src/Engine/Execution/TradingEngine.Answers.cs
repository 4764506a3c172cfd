using UpbitHft.Engine.Decisions;
using UpbitHft.Engine.Journal;
using UpbitHft.Engine.Ring;
using UpbitHft.Feed.Events;
using UpbitHft.Gateway.Errors;
using UpbitHft.Gateway.Orders;

namespace UpbitHft.Engine.Execution;

/// <summary>Order answers (gateway, paper exchange, private socket) and balances, mapped to the decision core's updates.</summary>
public sealed partial class TradingEngine
{
    private static readonly string[] s_errorNames = Enum.GetNames<UpbitErrorCode>();
    private readonly MyOrderFunds _myOrderFunds = new();

    private RingBuffer<EngineEvent>? _answers;
    private Sequence? _answersRead;

    /// <summary>
    /// Live: the ring the gateway's answers arrive on (multi-producer; this engine its only consumer). Drained before
    /// every event of the main ring, so answers overtake market data. Before the engine thread starts.
    /// </summary>
    public void AttachAnswerRing(RingBuffer<EngineEvent> answers)
    {
        _answers = answers;
        _answersRead = new Sequence();
        answers.AddGatingSequences(_answersRead);
    }

    private void DrainAnswers(RingBuffer<EngineEvent> answers, Sequence read)
    {
        var next = read.Value + 1;
        var cursor = answers.Cursor;
        if (cursor < next)
        {
            return; // the usual case: one volatile read
        }

        var available = answers.Sequencer.GetHighestPublishedSequence(next, cursor);
        for (; next <= available; next++)
        {
            HandleOne(ref answers[next]);
        }

        read.SetValue(available);
    }

    /// <summary>A gateway answer published into the ring (live).</summary>
    private void OnOrderAnswer(ref EngineEvent ev)
    {
        var update = new OrderUpdate
        {
            IntentId = ev.IntentId,
            Kind = ev.Answer,
            ExecutedVolume = ev.ExecutedVolume,
            ExecutedFunds = ev.ExecutedFunds,
            PaidFee = ev.PaidFee,
            FundsMissing = !ev.FundsKnown,
            Error = ev.Error,
            RejectReason = ev.Error != UpbitErrorCode.Unknown && (int)ev.Error < s_errorNames.Length ? s_errorNames[(int)ev.Error] : null,
            TimestampMs = _nowMs,
        };
        Apply(update, ev.MarketId, ev.IdentifierLength > 0 ? System.Text.Encoding.ASCII.GetString(ev.Identifier) : null);
    }

    /// <summary>An answer about an order, from the paper exchange (synchronously, on the engine thread).</summary>
    public void OnOrderEvent(in OrderEvent e)
    {
        if (_paper is null)
        {
            throw new InvalidOperationException("A live engine takes order answers through its ring (RingOrderEventSink), never directly.");
        }

        var update = new OrderUpdate
        {
            IntentId = e.IntentId,
            Kind = e.Kind,
            ExecutedVolume = e.ExecutedVolume,
            ExecutedFunds = e.ExecutedFunds,
            PaidFee = e.PaidFee,
            FundsMissing = !e.FundsKnown,
            Error = e.Error?.Code ?? UpbitErrorCode.Unknown,
            RejectReason = e.Error?.Name,
            TimestampMs = _nowMs,
        };
        Apply(update, e.MarketId, e.Identifier);
    }

    /// <summary>A balance from the paper exchange (synchronously, on the engine thread).</summary>
    public void OnBalance(in BalanceReport balance)
    {
        if (balance.IsEndOfSnapshot)
        {
            _core.OnBalanceSnapshotEnd(balance.AnswersRequest);
            return;
        }

        var market = balance.Currency == "KRW" ? -1 : MarketOf(balance.Currency);
        if (market != int.MinValue)
        {
            _core.OnBalance(market, balance.Balance, balance.Locked, balance.AnswersRequest, _nowMs, _actions);
        }
    }

    /// <summary>A REST balance published into the ring (live).</summary>
    private void OnBalanceEvent(ref EngineEvent ev)
    {
        if (ev.MarketId == EngineEvent.EndOfBalances)
        {
            _core.OnBalanceSnapshotEnd(ev.IntentId);
        }
        else
        {
            _core.OnBalance(ev.MarketId, ev.Balance, ev.Locked, ev.IntentId, _nowMs, _actions);
        }
    }

    /// <summary>myAsset: one frame per currency (each entry is that currency's new balance).</summary>
    private void OnMyAsset(ref MarketEvent m)
    {
        for (var i = 0; i < m.AssetCount; i++)
        {
            ref var a = ref m.Assets[i];
            var code = ((ReadOnlySpan<byte>)a.Currency)[..a.CurrencyLength];
            var market = code.SequenceEqual("KRW"u8) ? -1 : MarketOf(code);
            if (market != int.MinValue)
            {
                _core.OnBalance(market, a.Balance, a.Locked, 0, _nowMs, _actions);
            }
        }
    }

    /// <summary>The id of the KRW market of a currency (<c>BTC</c> → <c>KRW-BTC</c>), or int.MinValue when not watched.</summary>
    private int MarketOf(ReadOnlySpan<byte> currency)
    {
        Span<byte> code = stackalloc byte[Feed.Markets.MarketTable.MaxCodeBytes];
        if (currency.Length + 4 > code.Length)
        {
            return int.MinValue;
        }

        "KRW-"u8.CopyTo(code);
        currency.CopyTo(code[4..]);
        return _markets.TryGetId(code[..(currency.Length + 4)], out var id) && id < _core.MarketCount ? id : int.MinValue;
    }

    private int MarketOf(string currency)
    {
        Span<byte> utf8 = stackalloc byte[Feed.Markets.MarketTable.MaxCodeBytes];
        return System.Text.Encoding.ASCII.TryGetBytes(currency, utf8, out var n) ? MarketOf(utf8[..n]) : int.MinValue;
    }

    /// <summary>
    /// A private-feed myOrder event. Amounts are cumulative and exact (decimal from the wire text), so it may repeat
    /// what the gateway said without double counting. When the event names a volume but no amount (no
    /// <c>executed_funds</c>, no <c>avg_price</c>), the amount is completed from the order's <c>trade</c> events
    /// (price × volume of each fill); failing that it is marked missing — never read as zero.
    /// </summary>
    private void OnMyOrder(ref MarketEvent m)
    {
        var identifier = m.Identifier;
        if (_identifierPrefix.Length == 0 || !identifier.StartsWith(_identifierPrefix) || !TryParseIntent(identifier[_identifierPrefix.Length..], out var intent))
        {
            ForeignOrderEvents++;
            return;
        }

        var o = m.Order;
        var volume = m.HasExecutedVolume ? o.ExecutedVolume : 0;
        if (m.OrderState == OrderState.Trade && m.HasPriceAndVolume)
        {
            _myOrderFunds.OnTrade(intent, m.TradeUuid, o.Price, o.Volume, volume);
        }

        var fundsMissing = false;
        decimal funds;
        if (m.HasExecutedFunds)
        {
            funds = o.ExecutedFunds;
        }
        else if (m.HasAvgPrice && o.AvgPrice > 0)
        {
            funds = o.AvgPrice * volume; // executed_funds is not on every endpoint (UNCONFIRMED): avg_price × volume
        }
        else if (!_myOrderFunds.TryGet(intent, volume, out funds))
        {
            fundsMissing = volume > 0;
        }

        var update = new OrderUpdate
        {
            IntentId = intent,
            Kind = m.OrderState switch
            {
                OrderState.Trade => OrderEventKind.Fill,
                OrderState.Done => OrderEventKind.Done,
                OrderState.Cancel or OrderState.Prevented => OrderEventKind.Cancelled,
                _ => OrderEventKind.Accepted,
            },
            ExecutedVolume = volume,
            ExecutedFunds = funds,
            PaidFee = m.HasPaidFee ? o.PaidFee : 0,
            FundsMissing = fundsMissing,
            TimestampMs = _nowMs,
        };
        Apply(update, m.MarketId, System.Text.Encoding.ASCII.GetString(identifier));
    }

    /// <summary>The intent id of <c>{intent}-{attempt}</c>, the rest of an identifier after this run's prefix.</summary>
    internal static bool TryParseIntent(ReadOnlySpan<byte> rest, out long intent)
    {
        intent = 0;
        var dash = rest.IndexOf((byte)'-');
        return dash > 0 && System.Buffers.Text.Utf8Parser.TryParse(rest[..dash], out intent, out var used) && used == dash && intent > 0;
    }

    /// <summary>An answer about an order: journaled and handed to the decision core. What it decides is executed by the caller's Execute loop.</summary>
    private void Apply(in OrderUpdate update, int marketId, string? identifier)
    {
        var market = marketId >= 0 && marketId < _markets.Count ? _markets.GetCode(marketId) : "";
        _journal?.Enqueue(new JournalEntry(JournalKind.OrderEvent, ++_sequence, market, default, update, identifier));
        Telemetry.Orders.OnAnswer(update.IntentId, update.Kind); // metrics: upbithft_orders_total
        _core.OnOrderUpdate(update, _actions);
    }
}
