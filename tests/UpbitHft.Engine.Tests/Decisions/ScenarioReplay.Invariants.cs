using UpbitHft.Engine.Decisions;
using UpbitHft.Gateway.Errors;
using UpbitHft.Gateway.Orders;

namespace UpbitHft.Engine.Tests.Decisions;

/// <summary>The invariants: of each action as the core emits it, and of the state after each step.</summary>
internal sealed partial class ScenarioReplay
{
    /// <summary>Buys in one market within <see cref="Window"/>: refusals in a row pause 1 s doubling (the attempts that fit in a
    /// minute), and only a fill or an <c>insufficient_funds</c> restarts the doubling, each followed by a full cooldown.</summary>
    public static int MaxBuysPerWindow(DecisionOptions o) =>
        (int)((Window + o.CooldownMs - 1) / o.CooldownMs) * Attempts(Window, o.EntryRetryMs, o.CooldownMs);

    /// <summary>Market sells for one position within <see cref="Window"/>: refused or unfilled exits pause 1 s doubling up to 30 s.</summary>
    public static int MaxSellsPerWindow(DecisionOptions o) => Attempts(Window, o.ExitRetryMs, o.ExitRetryMaxMs);

    /// <summary>Attempts of a backoff (first pause <paramref name="first"/>, doubling, capped) that fit in <paramref name="window"/>.</summary>
    public static int Attempts(long window, long first, long cap)
    {
        var n = 0;
        for (long t = 0, pause = first; t < window; t += pause, pause = Math.Min(cap, pause * 2))
        {
            n++;
        }

        return n;
    }

    /// <summary>Carries out one action at the toy exchange, checking what must hold of it.</summary>
    private void Apply(in DecisionAction a, PositionState before, long entryBefore, bool estimatedBefore, int[] closedNow)
    {
        var m = a.MarketId;
        switch (a.Kind)
        {
            case ActionKind.SubmitMarketBuy:
                Count("buys");
                Check(before == PositionState.Flat, $"a buy in m{m} whose position was {before}");
                Check(!_ex.Orders.Any(o => o.Market == m && o.Kind == ActionKind.SubmitMarketBuy && !o.Delivered),
                    $"a second buy in m{m} while the exchange has not finally answered the first");
                Check(!_paused && _publicUp && _privateUp, $"a buy while paused ({_paused}) or a socket is down (public {_publicUp}, private {_privateUp})");
                Check(a.AmountKrw >= _options.MinEntryKrw && a.AmountKrw == Math.Floor(a.AmountKrw), $"a buy of {a.AmountKrw} KRW");
                _buyTimes[m].Add(_now);
                var buys = _buyTimes[m].Count(t => t > _now - Window);
                Most("most buys in one market within a minute", buys);
                Check(buys <= MaxBuysPerWindow(_options), $"{buys} buys in m{m} within a minute (at most {MaxBuysPerWindow(_options)})");
                _coinsAtStart[m] = _ex.Coins(m);
                var placed = _ex.Place(a);
                placed.Epoch = _epoch[m];
                placed.SizedOnEstimate = _freeKrwEstimated;
                placed.CapitalAtSizing = Math.Max(_capitalBefore, _options.CapitalKrw + _h.Core.RealizedPnlKrw);
                break;
            case ActionKind.SubmitMarketSell:
            case ActionKind.SubmitLimitSell:
                var market = a.Kind == ActionKind.SubmitMarketSell;
                Count(market ? $"sells {a.Exit}" : "resting take-profits");
                var held = PositionOf(m).HeldVolume;
                Check(a.Volume > 0, $"a sell of {a.Volume}");
                Check(OrderValidator.Truncate8(a.Volume) == a.Volume, $"a sell of {a.Volume}: more than 8 decimals");
                Check(a.Volume <= held, $"a sell of {a.Volume} in m{m} holding {held}");
                Check(market ? PositionOf(m).ExitIntentId == a.IntentId : PositionOf(m).TakeProfitIntentId == a.IntentId, $"a sell #{a.IntentId} its position does not know");
                var out_ = _ex.Orders.FirstOrDefault(o => o.Market == m && o.Kind != ActionKind.SubmitMarketBuy && !o.Final && o.Refusal is null);
                Check(out_ is null, $"a second exit order in m{m} while {out_} is still live at the exchange");
                var key = (m, _epoch[m]);
                if (market)
                {
                    if (!_sellTimes.TryGetValue(key, out var times))
                    {
                        _sellTimes[key] = times = [];
                    }

                    times.Add(_now);
                    Count("exit retries", times.Count > 1 ? 1 : 0);
                    var sells = times.Count(t => t > _now - Window);
                    Most("most market sells of one position within a minute", sells);
                    Check(sells <= MaxSellsPerWindow(_options), $"{sells} market sells of one position in m{m} within a minute (at most {MaxSellsPerWindow(_options)})");
                }
                else
                {
                    _limitSells[key] = _limitSells.GetValueOrDefault(key) + 1;
                    Check(_limitSells[key] <= 2, $"{_limitSells[key]} resting take-profits for one position in m{m}");
                }

                if (before == PositionState.Flat && a.Exit == ExitReason.Remainder)
                {
                    _coinsAtStart[m] = 0; // a remainder sale is for every coin there
                }

                _ex.Place(a).Epoch = _epoch[m];
                break;
            case ActionKind.CancelOrder:
                Count("take-profit cancels");
                _ex.RequestCancel(a.TargetIntentId);
                break;
            case ActionKind.CleanUpOrders:
                _ex.CleanUp(m);
                break;
            case ActionKind.RefreshBalances:
                _newestBalanceRequest = Math.Max(_newestBalanceRequest, a.IntentId);
                break;
            case ActionKind.WatchMarket:
                _watched[m] = true;
                Count("watched");
                break;
            case ActionKind.UnwatchMarket:
                _watched[m] = false;
                break;
            case ActionKind.PositionOpened:
                Count(a.Rebased ? "positions re-based" : a.Estimated ? "positions opened on an estimate" : "positions opened");
                break;
            case ActionKind.MarketStale:
                Count("stale markets");
                break;
            case ActionKind.TradeClosed:
                Count($"closed {a.Exit}");
                Check(++closedNow[m] == 1, $"two trades closed in m{m} in one step");
                if (entryBefore != 0)
                {
                    _closesOfEntry[entryBefore] = _closesOfEntry.GetValueOrDefault(entryBefore) + 1;
                    Check(_closesOfEntry[entryBefore] == 1, $"the trade of buy #{entryBefore} closed twice");
                }

                // Its P&L rests on an estimate (the entry's amount, or an exit's, never given): the money check is off from here,
                // and free KRW is an estimate until the exchange next reports it. Dust booked at the last price is no estimate
                // for the check: it runs only once every coin is sold, and a remainder sale of dust costs the value booked.
                var estimated = estimatedBefore || _ex.Orders.Any(o => o.Market == m && o.Epoch == _epoch[m] && o.Kind != ActionKind.SubmitMarketBuy && o.ThinPending);
                _freeKrwEstimated |= estimated;
                _pnlEstimated |= estimated;
                _epoch[m]++;
                break;
        }
    }

    private void CheckState((PositionState State, long Entry, double Stop, bool StopArmed, bool Estimated, long RemainderCheck)[] before, decimal?[] lowest, int[] closedNow)
    {
        var core = _h.Core;
        CheckMoney();
        var entered = Enumerable.Range(0, ScenarioGen.Markets).Count(m => PositionOf(m).State != PositionState.Flat && PositionOf(m).ExitReason != ExitReason.Remainder);
        Check(entered <= _options.MaxPositions, $"{entered} positions (at most {_options.MaxPositions})");
        // A buy sized on an estimated free KRW (an exit's amount never given, booked at the last price) may be more than
        // the exchange can cover; until its refusal arrives, its reservation may take free KRW below zero.
        var unfunded = _ex.Orders.Where(o => o is { Kind: ActionKind.SubmitMarketBuy, Delivered: false, Refusal: UpbitErrorCode.InsufficientFunds, SizedOnEstimate: true })
            .Sum(o => o.Amount * (1 + _options.FeeRate));
        Check(core.FreeKrw >= -0.01m - unfunded, $"free KRW went negative: {core.FreeKrw} (the exchange: {_ex.KrwFree} free, {_ex.KrwLocked} locked)");
        Check(_freeKrwEstimated || core.FreeKrw <= _ex.KrwFree + 0.01m, $"the core counts {core.FreeKrw} KRW free, the exchange has {_ex.KrwFree} free ({_ex.KrwLocked} locked)");
        // Each buy is a fraction of the capital when it was sized: a loss booked since (or a sale booked on an estimate
        // below its price) lowers the capital, not the buys already out.
        var outstanding = _ex.Orders.Where(o => o.Kind == ActionKind.SubmitMarketBuy && !o.Delivered).ToList();
        var committed = outstanding.Sum(o => o.Amount);
        var capital = outstanding.Select(o => o.CapitalAtSizing).Append(_options.CapitalKrw + core.RealizedPnlKrw).Max();
        Check(committed <= capital + 1, $"{committed} KRW in buys, beyond the capital {capital} (now {_options.CapitalKrw} + {core.RealizedPnlKrw})");
        for (var m = 0; m < ScenarioGen.Markets; m++)
        {
            var p = PositionOf(m);
            if (p.State == PositionState.Open)
            {
                Check(p.StopArmed, $"m{m} is open without an armed stop");
                Check(p.HeldVolume > 0, $"m{m} is open holding {p.HeldVolume}");
            }

            if (before[m] is { State: PositionState.Open, StopArmed: true } b && lowest[m] is { } low && (double)low <= b.Stop)
            {
                Check(p.State != PositionState.Open, $"m{m} traded at {low}, at or below its stop {b.Stop}, and is still open");
            }

            if (p.State is PositionState.Open or PositionState.Exiting && p.EntryIntentId != 0 && !p.BasisEstimated)
            {
                // The exchange is the truth for money: a known basis is the amounts of one answer, never a mix of two.
                var answers = _answersOf.GetValueOrDefault(p.EntryIntentId) ?? [];
                Check(answers.Any(u => !u.FundsMissing && u.ExecutedVolume == p.BoughtVolume && u.ExecutedFunds == p.EntryFunds),
                    $"m{m}'s entry basis {p.EntryFunds} KRW for {p.BoughtVolume} is no answer of the exchange ({string.Join("; ", answers.Select(Text))})");
            }

            if (closedNow[m] > 0)
            {
                // A closed trade leaves nothing worth an order behind: what it did not sell was dust (at the prices known).
                var left = _ex.Coins(m) - _coinsAtStart[m];
                var worth = left * Math.Min((decimal)core.Market(m).LastPrice, _ex.Prices[m]);
                Check(worth < _options.MinOrderKrw, $"the trade in m{m} closed leaving {left} of its coins ({worth:0} KRW) at the exchange");
            }

            if (before[m].RemainderCheck != 0 && core.Market(m).RemainderCheck == 0)
            {
                // The balance check after a trade is answered: the coins there are sold as a remainder, held by a position, or not worth an order.
                var loose = _ex.Coins(m) - (p.State == PositionState.Flat ? 0 : p.HeldVolume);
                var worth = loose * Math.Min((decimal)core.Market(m).LastPrice, _ex.Prices[m]);
                Check(worth < _options.MinOrderKrw, $"m{m}'s balance check was answered leaving {loose} of its coins ({worth:0} KRW) neither sold nor held ({p.State})");
            }
        }
    }

    /// <summary>
    /// When everything is sold and answered, the realised P&amp;L is the exchange's: capital plus P&amp;L is the KRW
    /// the exchange holds, to the won's ten-thousandth (unless some trade was booked on an estimate).
    /// </summary>
    private void CheckMoney()
    {
        var quiet = !_pnlEstimated && Enumerable.Range(0, ScenarioGen.Markets).All(m => PositionOf(m).State == PositionState.Flat && _ex.Coins(m) == 0)
            && _ex.Orders.All(o => o.Final && !o.Owed);
        if (quiet && _epoch.Any(n => n > 0))
        {
            Count("money checks after trades");
            var books = _options.CapitalKrw + _h.Core.RealizedPnlKrw;
            var exchange = _ex.KrwFree + _ex.KrwLocked;
            Check(Math.Abs(books - exchange) < 0.0001m, $"capital + realised P&L is {books} KRW, the exchange holds {exchange} KRW");
        }
    }
}
