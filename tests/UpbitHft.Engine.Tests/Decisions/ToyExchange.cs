using UpbitHft.Engine.Decisions;
using UpbitHft.Gateway.Errors;
using UpbitHft.Gateway.Orders;

namespace UpbitHft.Engine.Tests.Decisions;

/// <summary>One order as the toy exchange holds it, with what it has told the engine so far.</summary>
internal sealed class ToyOrder
{
    public required long Intent { get; init; }
    public required int Market { get; init; }
    public required ActionKind Kind { get; init; }

    /// <summary>A buy's KRW amount; a sell's volume; a resting sell's price.</summary>
    public decimal Amount { get; init; }
    public decimal Volume { get; init; }
    public decimal LimitPrice { get; init; }

    /// <summary>Refused when placed (every answer but Unknown says so).</summary>
    public UpbitErrorCode? Refusal { get; set; }
    public bool Accepted { get; set; }

    /// <summary>Final at the exchange (filled, cancelled or refused).</summary>
    public bool Final { get; set; }
    public OrderEventKind FinalKind { get; set; }

    /// <summary>The final answer has reached the engine (perhaps without its amount).</summary>
    public bool Delivered { get; set; }

    /// <summary>The final answer came without its amount; the real one is still owed.</summary>
    public bool ThinPending { get; set; }
    public bool CancelRequested { get; set; }

    /// <summary>The test's note that a buy was sized while the engine's free KRW rested on an estimate.</summary>
    public bool SizedOnEstimate { get; set; }

    /// <summary>The test's note of the capital (initial plus realised P&amp;L) when the buy was sized.</summary>
    public decimal CapitalAtSizing { get; set; }

    /// <summary>The test's count of trades closed in the market when the order was placed (which position it belongs to).</summary>
    public int Epoch { get; set; }
    public decimal FilledVolume { get; set; }
    public decimal FilledFunds { get; set; }
    public decimal Fee { get; set; }
    public decimal LockedKrw { get; set; }
    public decimal LockedCoins { get; set; }

    /// <summary>The exchange still owes the engine an answer about it.</summary>
    public bool Owed => !Delivered || ThinPending;

    public override string ToString() => $"{Kind} #{Intent} m{Market}";
}

/// <summary>
/// A small exchange, honest about money: it holds KRW and coins, locks what orders need (a buy's amount plus its
/// fee), refuses what it cannot cover, fills market orders at the current price and resting limit sells only at or
/// above their price, and answers with cumulative amounts. Which answer comes when is the scenario's choice
/// (<see cref="Outcome"/>); that the answer agrees with what the exchange holds is this class's. Like Upbit, it may
/// refuse an order it has not accepted yet for its own reasons (<c>insufficient_funds</c>, <c>market_offline</c>),
/// but says <c>under_min_total</c> only of an order worth less than the minimum.
/// </summary>
internal sealed class ToyExchange
{
    public const decimal FeeRate = 0.0005m;
    public const decimal MinOrderKrw = 5_000m;

    private readonly Dictionary<long, ToyOrder> _orders = [];

    public ToyExchange(decimal krw, int markets)
    {
        KrwFree = krw;
        CoinsFree = new decimal[markets];
        CoinsLocked = new decimal[markets];
        Prices = Enumerable.Repeat(500_000m, markets).ToArray();
    }

    public decimal KrwFree { get; private set; }
    public decimal KrwLocked => _orders.Values.Sum(o => o.LockedKrw);
    public decimal[] CoinsFree { get; }
    public decimal[] CoinsLocked { get; }

    public decimal Coins(int market) => CoinsFree[market] + CoinsLocked[market];

    /// <summary>The market price (whole KRW) each market trades at now.</summary>
    public decimal[] Prices { get; }

    public IEnumerable<ToyOrder> Orders => _orders.Values;

    public ToyOrder? Find(long intent) => _orders.GetValueOrDefault(intent);

    /// <summary>Orders the exchange still owes an answer about, oldest first.</summary>
    public List<ToyOrder> Owed() => _orders.Values.Where(o => o.Owed).OrderBy(o => o.Intent).ToList();

    /// <summary>An order arrives: placed with its funds locked, or refused (the refusal is told at its first answer).</summary>
    public ToyOrder Place(in DecisionAction a)
    {
        var o = new ToyOrder
        {
            Intent = a.IntentId,
            Market = a.MarketId,
            Kind = a.Kind,
            Amount = a.AmountKrw,
            Volume = a.Volume,
            LimitPrice = a.LimitPrice,
        };
        _orders.Add(o.Intent, o);
        var m = o.Market;
        if (UnderMinimum(o))
        {
            o.Refusal = UpbitErrorCode.UnderMinimum;
            return o;
        }

        if (o.Kind == ActionKind.SubmitMarketBuy)
        {
            var lockKrw = o.Amount * (1 + FeeRate);
            if (KrwFree < lockKrw)
            {
                o.Refusal = UpbitErrorCode.InsufficientFunds;
            }
            else
            {
                KrwFree -= lockKrw;
                o.LockedKrw = lockKrw;
            }

            return o;
        }

        if (CoinsFree[m] < o.Volume)
        {
            o.Refusal = UpbitErrorCode.InsufficientFunds;
        }
        else
        {
            CoinsFree[m] -= o.Volume;
            CoinsLocked[m] += o.Volume;
            o.LockedCoins = o.Volume;
        }

        return o;
    }

    /// <summary>Worth less than the minimum order: a buy's amount, a sell's volume at its limit or at the market price now.</summary>
    private bool UnderMinimum(ToyOrder o) => o.Kind switch
    {
        ActionKind.SubmitMarketBuy => o.Amount < MinOrderKrw,
        ActionKind.SubmitLimitSell => o.Volume * o.LimitPrice < MinOrderKrw,
        _ => o.Volume * Prices[o.Market] < MinOrderKrw,
    };

    /// <summary>The engine asks for a cancel: a resting limit sell ends <c>cancel</c> at its next answer unless it fills first.</summary>
    public void RequestCancel(long intent)
    {
        if (_orders.GetValueOrDefault(intent) is { } o)
        {
            o.CancelRequested = true;
        }
    }

    /// <summary>The engine cleans up its orders in a market after an exit: every live one is cancelled at once.</summary>
    public void CleanUp(int market)
    {
        foreach (var o in _orders.Values.Where(o => o.Market == market && !o.Final))
        {
            End(o, OrderEventKind.Cancelled);
        }
    }

    /// <summary>The answer <paramref name="outcome"/> calls for, as of now, applied to what the exchange holds.</summary>
    public OrderUpdate Answer(ToyOrder o, Outcome outcome, long nowMs)
    {
        if (o.Delivered)
        {
            o.ThinPending = false; // the amount that was missing from the final answer
            return Update(o, o.FinalKind, nowMs);
        }

        if (outcome == Outcome.Unknown)
        {
            return new OrderUpdate { IntentId = o.Intent, Kind = OrderEventKind.Unknown, Error = UpbitErrorCode.Timeout, RejectReason = "timeout", TimestampMs = nowMs };
        }

        if (!o.Final && o.Refusal is null && !o.Accepted && outcome is Outcome.RejectFunds or Outcome.RejectMinimum or Outcome.RejectOffline)
        {
            o.Refusal = outcome switch
            {
                Outcome.RejectFunds => UpbitErrorCode.InsufficientFunds,
                Outcome.RejectMinimum when UnderMinimum(o) => UpbitErrorCode.UnderMinimum, // only when true, at today's price
                Outcome.RejectMinimum => UpbitErrorCode.MarketOffline,
                _ => UpbitErrorCode.MarketOffline,
            };
        }

        if (o.Refusal is { } refusal)
        {
            End(o, OrderEventKind.Rejected);
            o.Delivered = true;
            return new OrderUpdate { IntentId = o.Intent, Kind = OrderEventKind.Rejected, Error = refusal, RejectReason = refusal.ToString(), TimestampMs = nowMs };
        }

        if (!o.Final)
        {
            Trade(o, outcome);
        }

        if (!o.Final)
        {
            return Update(o, o.FilledVolume > 0 ? OrderEventKind.Fill : OrderEventKind.Accepted, nowMs);
        }

        o.Delivered = true;
        var thin = outcome == Outcome.FinishThin && o.FilledVolume > 0;
        o.ThinPending = thin;
        return Update(o, o.FinalKind, nowMs, fundsMissing: thin);
    }

    /// <summary>Moves a live order on as <paramref name="outcome"/> says (it may stay live).</summary>
    private void Trade(ToyOrder o, Outcome outcome)
    {
        var wasAccepted = o.Accepted;
        o.Accepted = true;
        switch (o.Kind)
        {
            case ActionKind.SubmitMarketBuy:
                switch (outcome)
                {
                    case Outcome.Progress when wasAccepted:
                        Buy(o, Math.Min(o.Amount - 1, o.FilledFunds + Math.Floor(o.Amount * 0.4m)));
                        break;
                    case Outcome.Finish or Outcome.FinishThin:
                        Buy(o, o.Amount);
                        End(o, OrderEventKind.Done);
                        break;
                    case Outcome.FinishShort:
                        Buy(o, o.Amount - 2);
                        End(o, OrderEventKind.Cancelled);
                        break;
                    case not Outcome.Progress:
                        End(o, OrderEventKind.Cancelled);
                        break;
                }

                break;
            case ActionKind.SubmitMarketSell:
                switch (outcome)
                {
                    case Outcome.Progress when wasAccepted:
                        Sell(o, o.FilledVolume + OrderValidator.Truncate8((o.Volume - o.FilledVolume) / 2), Prices[o.Market]);
                        break;
                    case Outcome.Finish or Outcome.FinishThin or Outcome.FinishShort:
                        Sell(o, o.Volume, Prices[o.Market]);
                        End(o, OrderEventKind.Done);
                        break;
                    case not Outcome.Progress:
                        End(o, OrderEventKind.Cancelled);
                        break;
                }

                break;
            default: // resting limit sell: fills only while the market trades at or above its price
                var reached = Prices[o.Market] >= o.LimitPrice;
                switch (outcome)
                {
                    case Outcome.Progress when wasAccepted && reached:
                        Sell(o, Math.Min(o.Volume, o.FilledVolume + OrderValidator.Truncate8(o.Volume / 3)), o.LimitPrice);
                        if (o.FilledVolume == o.Volume)
                        {
                            End(o, OrderEventKind.Done); // the last third: filled
                        }

                        break;
                    case Outcome.Finish or Outcome.FinishThin or Outcome.FinishShort when reached:
                        Sell(o, o.Volume, o.LimitPrice);
                        End(o, OrderEventKind.Done);
                        break;
                    case Outcome.Progress:
                        break;
                    case Outcome.Finish or Outcome.FinishThin or Outcome.FinishShort when !o.CancelRequested:
                        break; // resting below the market
                    default:
                        End(o, OrderEventKind.Cancelled);
                        break;
                }

                break;
        }
    }

    /// <summary>A market buy spends up to <paramref name="funds"/> in total at the current price.</summary>
    private void Buy(ToyOrder o, decimal funds)
    {
        var more = funds - o.FilledFunds;
        var volume = OrderValidator.Truncate8(more / Prices[o.Market]);
        if (more <= 0 || volume <= 0)
        {
            return;
        }

        var fee = more * FeeRate;
        o.FilledFunds += more;
        o.FilledVolume += volume;
        o.Fee += fee;
        o.LockedKrw -= more + fee;
        CoinsFree[o.Market] += volume;
    }

    /// <summary>A sell reaches <paramref name="volume"/> sold in total, at <paramref name="price"/>.</summary>
    private void Sell(ToyOrder o, decimal volume, decimal price)
    {
        var more = volume - o.FilledVolume;
        if (more <= 0)
        {
            return;
        }

        var funds = more * price;
        var fee = funds * FeeRate;
        o.FilledVolume += more;
        o.FilledFunds += funds;
        o.Fee += fee;
        o.LockedCoins -= more;
        CoinsLocked[o.Market] -= more;
        KrwFree += funds - fee;
    }

    /// <summary>Final at the exchange: whatever is still locked comes back.</summary>
    private void End(ToyOrder o, OrderEventKind kind)
    {
        o.Final = true;
        o.FinalKind = kind;
        KrwFree += o.LockedKrw;
        o.LockedKrw = 0;
        CoinsFree[o.Market] += o.LockedCoins;
        CoinsLocked[o.Market] -= o.LockedCoins;
        o.LockedCoins = 0;
    }

    private static OrderUpdate Update(ToyOrder o, OrderEventKind kind, long nowMs, bool fundsMissing = false) => new()
    {
        IntentId = o.Intent,
        Kind = kind,
        ExecutedVolume = o.FilledVolume,
        ExecutedFunds = fundsMissing ? 0 : o.FilledFunds,
        PaidFee = o.Fee,
        FundsMissing = fundsMissing,
        Error = kind == OrderEventKind.Rejected ? o.Refusal ?? UpbitErrorCode.Unknown : UpbitErrorCode.Unknown,
        TimestampMs = nowMs,
    };
}
