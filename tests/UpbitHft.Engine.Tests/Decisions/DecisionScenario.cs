using FsCheck;
using FsCheck.Fluent;

namespace UpbitHft.Engine.Tests.Decisions;

/// <summary>What one step of a generated scenario delivers to the decision core.</summary>
public enum StepKind
{
    /// <summary>A trade in <see cref="Step.Market"/>: the price moves by <see cref="Step.A"/> bp; <see cref="Step.B"/> = 1 is a big (surge) volume.</summary>
    Trade,

    /// <summary>A book of <see cref="Step.Market"/> with total bid size <see cref="Step.A"/> and ask size <see cref="Step.B"/>.</summary>
    Book,

    /// <summary>The engine's timer.</summary>
    Timer,

    /// <summary>The exchange answers the <see cref="Step.A"/>-th order still owed an answer, with <see cref="Outcome"/> <see cref="Step.B"/>.</summary>
    Answer,

    /// <summary>An answer already delivered arrives again: the <see cref="Step.A"/>-th most recent (0 = a duplicate of the last; more = re-ordered).</summary>
    Resend,

    /// <summary>A myAsset frame: the exchange's balance now, of KRW (<see cref="Step.Market"/> = -1) or of a coin.</summary>
    Asset,

    /// <summary>
    /// A REST balance read begins: the exchange's balances are taken now, answering every balance request made so far
    /// (none before the engine's first request: the gateway reads only when asked).
    /// </summary>
    ReadStart,

    /// <summary>The <see cref="Step.A"/>-th REST read still under way arrives (with the balances of when it began), then its end.</summary>
    ReadDeliver,

    /// <summary>A socket outage: public up if <see cref="Step.A"/> = 1, private up if <see cref="Step.B"/> = 1; both are back after <see cref="Step.N"/> more steps.</summary>
    Feed,

    /// <summary>The price of <see cref="Step.Market"/> moves by <see cref="Step.A"/> bp and is read over REST.</summary>
    RestPrice,

    /// <summary>The operator pauses entries, and resumes them after <see cref="Step.N"/> more steps.</summary>
    Pause,
}

/// <summary>How the exchange answers an order (the toy exchange keeps the answer consistent with what it holds).</summary>
public enum Outcome
{
    /// <summary>Fills the rest: a final <c>done</c> with the amounts.</summary>
    Finish,

    /// <summary>Accepted (first answer) or a partial fill.</summary>
    Progress,

    /// <summary>Fills the rest, but the final answer comes without its amount (<see cref="Decisions.OrderUpdate.FundsMissing"/>); the real one is owed.</summary>
    FinishThin,

    /// <summary>The outcome is unknown (lost answer): nothing changes at the exchange.</summary>
    Unknown,

    /// <summary>Refused <c>insufficient_funds_*</c> (an order already accepted is cancelled instead).</summary>
    RejectFunds,

    /// <summary>Refused <c>under_min_total_*</c> if the order is worth less than the minimum at the price now, else <c>market_offline</c> (an order already accepted is cancelled instead).</summary>
    RejectMinimum,

    /// <summary>Refused <c>market_offline</c> (an order already accepted is cancelled instead).</summary>
    RejectOffline,

    /// <summary>Final <c>cancel</c> with whatever filled so far.</summary>
    Cancel,

    /// <summary>A market buy spends all but 2 KRW and ends <c>cancel</c> (a fill); otherwise as <see cref="Finish"/>.</summary>
    FinishShort,
}

/// <summary>One step: its kind, how much exchange time passes before it (ms), and its arguments (meaning per <see cref="StepKind"/>; <see cref="N"/> is how many steps an outage or a pause lasts).</summary>
public sealed partial record Step(StepKind Kind, int Dt, int Market, int A, int B, int N = 0)
{
    [System.Text.RegularExpressions.GeneratedRegex(@"^(\d+:\s*)?\+(?<dt>\d+) (?<kind>\w+)(\((?<args>[^)]*)\))?$")]
    private static partial System.Text.RegularExpressions.Regex Line();

    /// <summary>The step a line of <see cref="ToString"/> prints.</summary>
    public static Step Parse(string line)
    {
        var match = Line().Match(line);
        if (!match.Success)
        {
            throw new FormatException($"not a step: {line}");
        }

        var dt = int.Parse(match.Groups["dt"].Value, System.Globalization.CultureInfo.InvariantCulture);
        var args = match.Groups["args"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        int Num(int i) => int.Parse(new string(args[i].Where(c => char.IsDigit(c) || c == '-').ToArray()), System.Globalization.CultureInfo.InvariantCulture);
        int M() => args[0] == "KRW" ? -1 : Num(0);
        return match.Groups["kind"].Value switch
        {
            "Trade" => new Step(StepKind.Trade, dt, M(), Num(1), args.Length > 2 && args[2] == "big" ? 1 : 0),
            "Book" => new Step(StepKind.Book, dt, M(), Num(1), Num(2)),
            "Timer" => new Step(StepKind.Timer, dt, 0, 0, 0),
            "Answer" => new Step(StepKind.Answer, dt, 0, Num(0), (int)Enum.Parse<Outcome>(args[1])),
            "Resend" => new Step(StepKind.Resend, dt, 0, -Num(0), 0),
            "Asset" => new Step(StepKind.Asset, dt, M(), 0, 0),
            "ReadStart" => new Step(StepKind.ReadStart, dt, 0, 0, 0),
            "ReadDeliver" => new Step(StepKind.ReadDeliver, dt, 0, Num(0), 0),
            "Feed" => new Step(StepKind.Feed, dt, 0, args[0].EndsWith("up", StringComparison.Ordinal) ? 1 : 0, args[1].EndsWith("up", StringComparison.Ordinal) ? 1 : 0, Num(2)),
            "RestPrice" => new Step(StepKind.RestPrice, dt, M(), Num(1), 0),
            "Pause" => new Step(StepKind.Pause, dt, 0, 0, 0, Num(0)),
            _ => throw new FormatException($"not a step: {line}"),
        };
    }

    public override string ToString() => $"+{Dt} " + Kind switch
    {
        StepKind.Trade => $"Trade(m{Market}, {A:+0;-0;0}bp{(B == 1 ? ", big" : "")})",
        StepKind.Book => $"Book(m{Market}, bid {A}, ask {B})",
        StepKind.Timer => "Timer",
        StepKind.Answer => $"Answer(#{A}, {(Outcome)B})",
        StepKind.Resend => $"Resend(-{A})",
        StepKind.Asset => Market < 0 ? "Asset(KRW)" : $"Asset(m{Market})",
        StepKind.ReadStart => "ReadStart",
        StepKind.ReadDeliver => $"ReadDeliver(#{A})",
        StepKind.Feed => $"Feed(public {(A == 1 ? "up" : "down")}, private {(B == 1 ? "up" : "down")}, {N} steps)",
        StepKind.RestPrice => $"RestPrice(m{Market}, {A:+0;-0;0}bp)",
        StepKind.Pause => $"Pause({N} steps)",
        _ => Kind.ToString(),
    };
}

/// <summary>A generated run: the option it varies and its steps, replayed by <see cref="ScenarioReplay"/>.</summary>
/// <param name="RestingTakeProfit">The take-profit rests on the exchange as a limit sell.</param>
/// <param name="SmallCapital">10,300 KRW instead of 1,000,000: positions just above the minimum order, so dust and honest <c>under_min_total_*</c> refusals happen.</param>
/// <param name="Steps">The events, in order.</param>
public sealed record Scenario(bool RestingTakeProfit, bool SmallCapital, Step[] Steps)
{
    /// <summary>Reads a scenario back from its printed form (<see cref="ToString"/>: a header line, then one step per line), so a shrunk counterexample pastes into a test.</summary>
    public static Scenario Parse(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new(lines[0].StartsWith("resting", StringComparison.Ordinal), lines[0].Contains("small capital", StringComparison.Ordinal), lines.Skip(1).Select(Step.Parse).ToArray());
    }

    public override string ToString() =>
        $"{(RestingTakeProfit ? "resting" : "engine")} take-profit, {(SmallCapital ? "small capital" : "1M KRW")}, {Steps.Length} steps:{Environment.NewLine}  "
        + string.Join(Environment.NewLine + "  ", Steps.Select((s, i) => $"{i,3}: {s}"));
}

/// <summary>FsCheck generators and shrinkers for <see cref="Scenario"/>: up to the size's number of steps.</summary>
public static class ScenarioGen
{
    public const int Markets = 3;

    /// <summary>Time before a step: mostly under a second or two, sometimes longer (timers jump further).</summary>
    private static Gen<int> Gap => Gen.Frequency((6, Gen.Choose(0, 1_000)), (3, Gen.Choose(1_000, 3_000)), (1, Gen.Choose(3_000, 10_000)));

    /// <summary>A price move in bp: a random walk of ±0.4 % steps with an occasional jump (so stops are reached, not only targets).</summary>
    private static Gen<int> Move => Gen.Frequency((9, Gen.Choose(-40, 40)), (1, Gen.Choose(-150, 150)));

    private static Gen<int> Market => Gen.Choose(0, Markets - 1);

    private static Gen<Step> Make(StepKind kind, Gen<int> dt, Gen<int> market, Gen<int> a, Gen<int> b) =>
        from d in dt
        from m in market
        from x in a
        from y in b
        select new Step(kind, d, m, x, y);

    private static readonly Gen<int> s_outcome = Gen.Frequency(
        (6, Gen.Constant((int)Outcome.Finish)), (4, Gen.Constant((int)Outcome.Progress)), (2, Gen.Constant((int)Outcome.FinishThin)),
        (2, Gen.Constant((int)Outcome.Unknown)), (1, Gen.Constant((int)Outcome.RejectFunds)), (1, Gen.Constant((int)Outcome.RejectMinimum)),
        (1, Gen.Constant((int)Outcome.RejectOffline)), (1, Gen.Constant((int)Outcome.Cancel)), (2, Gen.Constant((int)Outcome.FinishShort)));

    private static readonly Gen<(int Public, int Private)> s_outage = Gen.Frequency((2, Gen.Constant((0, 1))), (1, Gen.Constant((1, 0))), (1, Gen.Constant((0, 0))));

    /// <summary>How many steps an outage or a pause lasts: mostly a few, sometimes long.</summary>
    private static readonly Gen<int> s_lasting = Gen.Frequency((4, Gen.Choose(1, 10)), (1, Gen.Choose(10, 60)));

    private static readonly Gen<Step> s_step = Gen.Frequency(
        (30, Make(StepKind.Trade, Gap, Market, Move, Gen.Frequency((5, Gen.Constant(0)), (1, Gen.Constant(1))))),
        (16, Make(StepKind.Book, Gap, Market, Gen.Choose(1, 30), Gen.Choose(1, 20))),
        (6, Make(StepKind.Timer, Gen.Frequency((8, Gen.Choose(0, 20_000)), (1, Gen.Choose(20_000, 70_000))), Gen.Constant(0), Gen.Constant(0), Gen.Constant(0))),
        (24, Make(StepKind.Answer, Gap, Gen.Constant(0), Gen.Choose(0, 7), s_outcome)),
        (4, Make(StepKind.Resend, Gap, Gen.Constant(0), Gen.Choose(0, 7), Gen.Constant(0))),
        (3, Make(StepKind.Asset, Gap, Gen.Choose(-1, Markets - 1), Gen.Constant(0), Gen.Constant(0))),
        (2, Make(StepKind.ReadStart, Gap, Gen.Constant(0), Gen.Constant(0), Gen.Constant(0))),
        (3, Make(StepKind.ReadDeliver, Gap, Gen.Constant(0), Gen.Choose(0, 3), Gen.Constant(0))),
        (2, from d in Gap from f in s_outage from n in s_lasting select new Step(StepKind.Feed, d, 0, f.Public, f.Private, n)),
        (2, Make(StepKind.RestPrice, Gap, Market, Move, Gen.Constant(0))),
        (1, from d in Gap from n in s_lasting select new Step(StepKind.Pause, d, 0, 0, 0, n)));

    /// <summary>
    /// Scenarios of 0..size steps (FsCheck grows the size from run to run), either take-profit style, mostly with
    /// 1,000,000 KRW. <paramref name="failingStep"/> replays a scenario and tells at which step it fails (null if it
    /// passes): the shrinker first cuts everything after that step.
    /// </summary>
    public static Arbitrary<Scenario> Scenarios(Func<Scenario, int?> failingStep) =>
        Arb.From(
            from resting in Gen.Elements(false, true)
            from small in Gen.Frequency((3, Gen.Constant(false)), (1, Gen.Constant(true)))
            from steps in s_step.ArrayOf()
            select new Scenario(resting, small, steps),
            scenario => Shrink(scenario, failingStep));

    /// <summary>
    /// Smaller scenarios, most promising first: the steps up to the failing one; then chunks of steps dropped
    /// (halves, quarters, … single steps, as QuickCheck shrinks lists), each with its time gap added to the next step
    /// so the remaining events keep their times (minute boundaries, cooldowns, timeouts); then simpler steps (no time
    /// gap, smaller arguments, plain answers); then the engine-watched take-profit and the large capital.
    /// </summary>
    public static IEnumerable<Scenario> Shrink(Scenario scenario, Func<Scenario, int?> failingStep)
    {
        var all = scenario.Steps;
        if (failingStep(scenario) is { } failing && failing + 1 < all.Length)
        {
            yield return scenario with { Steps = all[..(failing + 1)] };
            yield break; // the shorter one is shrunk further from there
        }

        for (var chunk = all.Length / 2; chunk >= 1; chunk /= 2)
        {
            for (var start = 0; start + chunk <= all.Length; start += chunk)
            {
                yield return scenario with { Steps = Without(all, start, chunk) };
            }
        }

        for (var i = 0; i < all.Length; i++)
        {
            foreach (var simpler in ShrinkStep(all[i]))
            {
                var steps = (Step[])all.Clone();
                steps[i] = simpler;
                yield return scenario with { Steps = steps };
            }
        }

        if (scenario.RestingTakeProfit)
        {
            yield return scenario with { RestingTakeProfit = false };
        }

        if (scenario.SmallCapital)
        {
            yield return scenario with { SmallCapital = false };
        }
    }

    /// <summary>The steps without <paramref name="count"/> of them from <paramref name="start"/>; their time passes before the next step.</summary>
    private static Step[] Without(Step[] all, int start, int count)
    {
        var steps = all[..start].Concat(all[(start + count)..]).ToArray();
        if (start < steps.Length)
        {
            steps[start] = steps[start] with { Dt = steps[start].Dt + all[start..(start + count)].Sum(s => s.Dt) };
        }

        return steps;
    }

    private static IEnumerable<Step> ShrinkStep(Step step)
    {
        if (step.Dt > 0)
        {
            yield return step with { Dt = 0 };
            yield return step with { Dt = step.Dt / 2 };
        }

        if (step.Kind is StepKind.Answer && step.B != 0)
        {
            yield return step with { B = 0 }; // plain Finish
        }

        if (step.N > 1)
        {
            yield return step with { N = step.N / 2 };
        }

        if (step.Kind is StepKind.Trade && step.B != 0)
        {
            yield return step with { B = 0 }; // a small trade
        }

        if (step.Kind is StepKind.Answer or StepKind.Resend or StepKind.ReadDeliver or StepKind.Trade or StepKind.RestPrice && step.A != 0)
        {
            yield return step with { A = step.A / 2 };
        }

        if (step.Kind is StepKind.Trade or StepKind.Book or StepKind.RestPrice && step.Market > 0)
        {
            yield return step with { Market = 0 };
        }
    }
}
