using UpbitHft.Engine.Decisions;
using UpbitHft.Gateway.Orders;
using static UpbitHft.Engine.Tests.Decisions.CoreHarness;

namespace UpbitHft.Engine.Tests.Decisions;

/// <summary>A broken invariant: at which step, and what went wrong.</summary>
public sealed class InvariantViolation(int step, string message, Exception? inner = null) : Exception(message, inner)
{
    public int Step { get; } = step;
}

/// <summary>
/// Replays a <see cref="Scenario"/> against a fresh <see cref="DecisionCore"/> and the <see cref="ToyExchange"/>,
/// carrying out the core's actions (orders are placed, cancels asked for, balances read) and checking the design's
/// invariants after every step (<c>ScenarioReplay.Invariants.cs</c>). Throws <see cref="InvariantViolation"/> on the
/// first one broken.
/// </summary>
internal sealed partial class ScenarioReplay
{
    public const long Window = 60_000;

    private readonly Scenario _scenario;
    private readonly DecisionOptions _options;
    private readonly CoreHarness _h;
    private readonly ToyExchange _ex;
    private readonly List<OrderUpdate> _delivered = [];
    private readonly Dictionary<long, List<OrderUpdate>> _answersOf = [];
    private readonly List<(long AnswersRequest, int Answered, decimal Krw, decimal KrwLocked, decimal[] Coins, decimal[] Locked)> _reads = [];
    private readonly Dictionary<long, int> _closesOfEntry = [];
    private readonly List<long>[] _buyTimes;
    private readonly Dictionary<(int Market, int Epoch), List<long>> _sellTimes = [];
    private readonly Dictionary<(int Market, int Epoch), int> _limitSells = [];
    private readonly int[] _epoch = new int[ScenarioGen.Markets];
    private readonly decimal[] _coinsAtStart = new decimal[ScenarioGen.Markets];
    private bool _pnlEstimated;
    private bool _freeKrwEstimated;
    private readonly bool[] _watched = new bool[ScenarioGen.Markets];
    private long _now = Minute(0);
    private long _newestBalanceRequest;

    /// <summary>The newest balance request when the last answer (not Unknown) was delivered: a read answering no later one may predate that answer, and the core leaves its KRW out.</summary>
    private long _requestAtLastAnswer;

    /// <summary>Capital plus realised P&amp;L before the step (a buy is sized on it, or on what the step booked before it).</summary>
    private decimal _capitalBefore;
    private bool _publicUp = true;
    private bool _privateUp = true;
    private bool _paused;
    private int _outageSteps;
    private int _pauseSteps;
    private int _stepIndex;

    /// <param name="scenario">The steps.</param>
    public ScenarioReplay(Scenario scenario)
    {
        _scenario = scenario;
        _options = new DecisionOptions
        {
            RestingTakeProfit = scenario.RestingTakeProfit,
            CapitalKrw = scenario.SmallCapital ? 10_300m : 1_000_000m,
            CooldownMs = 30_000,
            MaxConsecutiveLosses = 100,
            DailyLossLimitKrw = 10_000_000m,
        };
        _h = new CoreHarness(_options, ScenarioGen.Markets);
        for (var m = 0; m < ScenarioGen.Markets; m++)
        {
            _h.Seed(m);
        }

        _ex = new ToyExchange(_options.CapitalKrw, ScenarioGen.Markets);
        _buyTimes = Enumerable.Range(0, ScenarioGen.Markets).Select(_ => new List<long>()).ToArray();
    }

    /// <summary>When set, each step's actions and the positions after it (for reading a shrunk counterexample).</summary>
    public List<string>? Trace { get; init; }

    /// <summary>How often the run reached each state worth reaching (buys, take-profits, unknown answers, …).</summary>
    public Dictionary<string, int> Coverage { get; } = [];

    /// <summary>Replays <paramref name="scenario"/>; the step at which an invariant breaks, or null.</summary>
    public static int? FailingStep(Scenario scenario)
    {
        try
        {
            new ScenarioReplay(scenario).Run();
            return null;
        }
        catch (InvariantViolation e)
        {
            return e.Step;
        }
    }

    public void Run()
    {
        for (_stepIndex = 0; _stepIndex < _scenario.Steps.Length; _stepIndex++)
        {
            try
            {
                RunStep(_scenario.Steps[_stepIndex]);
            }
            catch (Exception e) when (e is not InvariantViolation)
            {
                throw new InvariantViolation(_stepIndex, $"step {_stepIndex} ({_scenario.Steps[_stepIndex]}): the core threw {e.GetType().Name}: {e.Message}", e);
            }
        }
    }

    private void Count(string what, int n = 1) => Coverage[what] = Coverage.GetValueOrDefault(what) + n;

    /// <summary>Records a maximum (its name starts with "most", and runs are merged by taking the largest).</summary>
    private void Most(string what, int n) => Coverage[what] = Math.Max(Coverage.GetValueOrDefault(what), n);

    private void Check(bool ok, string what)
    {
        if (!ok)
        {
            throw new InvariantViolation(_stepIndex, $"step {_stepIndex} ({_scenario.Steps[_stepIndex]}): {what}");
        }
    }

    private Position PositionOf(int m) => _h.Core.Market(m).Position;

    private void RunStep(Step step)
    {
        _now += step.Dt;
        _capitalBefore = _options.CapitalKrw + _h.Core.RealizedPnlKrw;
        var before = Enumerable.Range(0, ScenarioGen.Markets)
            .Select(m => (PositionOf(m).State, PositionOf(m).EntryIntentId, PositionOf(m).Stop, PositionOf(m).StopArmed, PositionOf(m).BasisEstimated, _h.Core.Market(m).RemainderCheck)).ToArray();
        var lowest = new decimal?[ScenarioGen.Markets];
        var actions = new List<DecisionAction>();
        if (_outageSteps > 0 && --_outageSteps == 0)
        {
            _publicUp = _privateUp = true; // the outage is over
            actions.AddRange(_h.FeedStatus(true, true, _now));
        }

        if (_pauseSteps > 0 && --_pauseSteps == 0)
        {
            _paused = false;
            _h.Core.SetPaused(false);
        }

        switch (step.Kind)
        {
            case StepKind.Trade:
                var price = Move(step.Market, step.A);
                if (_publicUp)
                {
                    lowest[step.Market] = price;
                    actions.AddRange(_h.Trade(step.Market, _now, (double)price, step.B == 1 ? 150 : 0.05));
                }
                else if (_watched[step.Market])
                {
                    lowest[step.Market] = price; // the socket is down: the engine reads the price of a watched market over REST
                    actions.AddRange(_h.RestPrice(step.Market, _now, (double)price));
                }

                break;
            case StepKind.Book:
                var p = _ex.Prices[step.Market];
                actions.AddRange(_publicUp ? _h.Book(step.Market, _now, step.A, step.B, (double)(p - 500), (double)p) : []);
                break;
            case StepKind.Timer:
                actions.AddRange(_h.Timer(_now));
                break;
            case StepKind.Answer:
                var owed = _ex.Owed();
                if (owed.Count == 0)
                {
                    break;
                }

                var order = owed[step.A % owed.Count];
                actions.AddRange(Deliver(_ex.Answer(order, (Outcome)step.B, _now)));
                break;
            case StepKind.Resend:
                if (_delivered.Count == 0)
                {
                    break;
                }

                var again = _delivered[^(1 + (step.A % _delivered.Count))];
                Count("resent answers");
                actions.AddRange(Deliver(again with { TimestampMs = _now }));
                break;
            case StepKind.Asset:
                Count(step.Market < 0 ? "KRW balance frames" : "coin balance frames");
                actions.AddRange(step.Market >= 0 ? _h.Balance(step.Market, _ex.CoinsFree[step.Market], _ex.CoinsLocked[step.Market], 0, _now)
                    : Krw(_ex.KrwFree, _ex.KrwLocked, 0));
                break;
            case StepKind.ReadStart:
                if (_newestBalanceRequest == 0)
                {
                    break; // the gateway reads the balances only when asked (a REST read answers request 1 or later; 0 is myAsset's)
                }

                _reads.Add((_newestBalanceRequest, _delivered.Count, _ex.KrwFree, _ex.KrwLocked, (decimal[])_ex.CoinsFree.Clone(), (decimal[])_ex.CoinsLocked.Clone()));
                break;
            case StepKind.ReadDeliver:
                if (_reads.Count == 0)
                {
                    break;
                }

                var read = _reads[step.A % _reads.Count];
                _reads.Remove(read);
                Count("balance reads");
                actions.AddRange(_h.Collect(b =>
                {
                    _h.Core.OnBalance(-1, read.Krw, read.KrwLocked, read.AnswersRequest, _now, b);
                    // A read older than an answer since is not taken, nor is one the core cannot tell from such a read.
                    _freeKrwEstimated &= read.Answered < _delivered.Count || read.AnswersRequest <= _requestAtLastAnswer;

                    for (var m = 0; m < ScenarioGen.Markets; m++)
                    {
                        if (read.Coins[m] + read.Locked[m] > 0)
                        {
                            _h.Core.OnBalance(m, read.Coins[m], read.Locked[m], read.AnswersRequest, _now, b);
                        }
                    }

                    _h.Core.OnBalanceSnapshotEnd(read.AnswersRequest);
                }));
                break;
            case StepKind.Feed:
                Count("socket outages");
                _publicUp = step.A == 1;
                _privateUp = step.B == 1;
                _outageSteps = step.N;
                actions.AddRange(_h.FeedStatus(_publicUp, _privateUp, _now));
                break;
            case StepKind.RestPrice:
                Count("REST prices");
                var restPrice = Move(step.Market, step.A);
                lowest[step.Market] = restPrice;
                actions.AddRange(_h.RestPrice(step.Market, _now, (double)restPrice));
                break;
            case StepKind.Pause:
                Count("pauses");
                _paused = true;
                _pauseSteps = step.N;
                _h.Core.SetPaused(true);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(step), step.Kind, null);
        }

        var closedNow = new int[ScenarioGen.Markets];
        foreach (var a in actions)
        {
            Apply(a, before[a.MarketId].State, before[a.MarketId].EntryIntentId, before[a.MarketId].BasisEstimated, closedNow);
        }

        Trace?.Add($"{_stepIndex,3}: {step} at {_now - Minute(0)} ms -> {string.Join(", ", actions.Where(a => a.Kind != ActionKind.CandleClosed).Select(Text))}");
        Trace?.Add($"     core: free {_h.Core.FreeKrw}, pnl {_h.Core.RealizedPnlKrw}; " + string.Join("; ", Enumerable.Range(0, ScenarioGen.Markets).Select(m => Text(m))));
        Trace?.Add($"     exchange: KRW {_ex.KrwFree} free {_ex.KrwLocked} locked; coins {string.Join(" ", _ex.CoinsFree)} free {string.Join(" ", _ex.CoinsLocked)} locked; price {string.Join(" ", _ex.Prices)}");
        CheckState(before, lowest, closedNow);
    }

    private string Text(int m)
    {
        var p = PositionOf(m);
        return p.State == PositionState.Flat ? $"m{m} flat"
            : $"m{m} {p.State} buy #{p.EntryIntentId} {p.BoughtVolume} for {p.EntryFunds}{(p.BasisEstimated ? " (est.)" : "")}, held {p.HeldVolume}, stop {p.Stop}{(p.StopArmed ? "" : " (off)")}, exit #{p.ExitIntentId}";
    }

    private static string Text(DecisionAction a) => a.Kind switch
    {
        ActionKind.SubmitMarketBuy => $"Buy #{a.IntentId} m{a.MarketId} {a.AmountKrw} KRW",
        ActionKind.SubmitMarketSell => $"Sell #{a.IntentId} m{a.MarketId} {a.Volume} ({a.Exit})",
        ActionKind.SubmitLimitSell => $"Limit #{a.IntentId} m{a.MarketId} {a.Volume} at {a.LimitPrice}",
        ActionKind.CancelOrder => $"Cancel #{a.TargetIntentId}",
        ActionKind.TradeClosed => $"Closed m{a.MarketId} {a.Exit} pnl {a.PnlKrw}",
        ActionKind.RefreshBalances => $"ReadBalances #{a.IntentId}",
        ActionKind.RefreshOrder => $"LookUp #{a.TargetIntentId}",
        _ => $"{a.Kind} m{a.MarketId}",
    };

    /// <summary>A myAsset KRW frame: the core's free KRW is the exchange's again (no longer an estimate).</summary>
    private List<DecisionAction> Krw(decimal free, decimal locked, long answersRequest)
    {
        _freeKrwEstimated = false;
        return _h.Balance(-1, free, locked, answersRequest, _now);
    }

    private decimal Move(int market, int bp) =>
        _ex.Prices[market] = Math.Max(1_000m, Math.Round(_ex.Prices[market] * (1 + (bp / 10_000m))));

    private List<DecisionAction> Deliver(OrderUpdate u)
    {
        _delivered.Add(u);
        if (u.Kind != OrderEventKind.Unknown)
        {
            _requestAtLastAnswer = _newestBalanceRequest;
        }

        if (!_answersOf.TryGetValue(u.IntentId, out var answers))
        {
            _answersOf[u.IntentId] = answers = [];
        }

        answers.Add(u);
        Count(u.Kind switch
        {
            OrderEventKind.Unknown => "unknown answers",
            OrderEventKind.Rejected => $"rejections {u.Error}",
            _ when u.FundsMissing => "answers without amount",
            _ => $"answers {u.Kind}",
        });
        Trace?.Add($"     answer #{u.IntentId}: {Text(u)}{(u.Kind == OrderEventKind.Rejected ? $" ({u.Error})" : "")}");
        return _h.Collect(b => _h.Core.OnOrderUpdate(u, b));
    }

    private static string Text(OrderUpdate u) => $"{u.Kind} {u.ExecutedVolume} for {(u.FundsMissing ? "?" : u.ExecutedFunds)}";
}
