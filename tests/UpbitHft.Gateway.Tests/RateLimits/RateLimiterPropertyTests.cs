using FsCheck;
using FsCheck.Fluent;
using UpbitHft.Gateway.RateLimits;

namespace UpbitHft.Gateway.Tests.RateLimits;

public class RateLimiterPropertyTests
{
    /// <summary>
    /// Random sequences of acquire / advance / complete / correct, on a limiter of 1–12 per 1 or 2 s, agree with
    /// <see cref="ReferenceBucket"/> step by step, and never let the exchange count more than the limit in a window.
    /// FsCheck shrinks a failure to a minimal script (fewest steps, smallest numbers) and prints its seed.
    /// </summary>
    [Fact]
    public void Random_acquire_advance_complete_correct_sequences_agree_with_a_ten_line_reference_model() =>
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300).WithEndSize(400), Prop.ForAll(ScriptArb, RunScript));

    /// <summary>One step; its argument says how far time moves, which request in flight completes, or how many Upbit says remain.</summary>
    public enum StepKind
    {
        Acquire,
        Advance,
        AdvanceToEdge,
        Complete,
        Correct,
    }

    public sealed record Step(StepKind Kind, byte Arg)
    {
        public override string ToString() => $"{Kind}({Arg})";
    }

    public sealed record Script(byte LimitSeed, bool TwoSecondWindow, Step[] Steps)
    {
        public override string ToString() =>
            $"limit {1 + (LimitSeed % 12)} per {(TwoSecondWindow ? 2 : 1)} s: {string.Join(", ", Steps.Select(s => s.ToString()))}";
    }

    /// <summary>Mostly acquires and short advances (so the bucket is often full), and jumps to 0–2 ms before a token comes back.</summary>
    private static Arbitrary<Script> ScriptArb
    {
        get
        {
            var kind = Gen.Frequency((8, Gen.Constant(StepKind.Acquire)), (6, Gen.Constant(StepKind.Advance)), (2, Gen.Constant(StepKind.AdvanceToEdge)),
                (3, Gen.Constant(StepKind.Complete)), (1, Gen.Constant(StepKind.Correct)));
            var step = kind.Zip(Gen.Choose(0, 255), (k, arg) => new Step(k, (byte)arg));
            var script = Gen.Choose(0, 255).Zip(Gen.Elements(false, true), (limit, two) => (limit, two))
                .SelectMany(head => step.ArrayOf().Select(steps => new Script((byte)head.limit, head.two, steps)));
            return Arb.From(script, Shrink);
        }
    }

    /// <summary>Fewer steps (FsCheck's array shrinking: drop one, drop halves), smaller arguments, a smaller limit.</summary>
    private static IEnumerable<Script> Shrink(Script script)
    {
        foreach (var steps in s_stepsShrinker(script.Steps))
        {
            yield return script with { Steps = steps };
        }

        if (script.LimitSeed > 0)
        {
            yield return script with { LimitSeed = (byte)(script.LimitSeed / 2) };
        }
    }

    private static readonly Func<Step[], IEnumerable<Step[]>> s_stepsShrinker =
        Arb.Array(Arb.From(Gen.Constant(new Step(StepKind.Acquire, 0)), step => step.Arg > 0 ? [step with { Arg = 0 }, step with { Arg = (byte)(step.Arg / 2) }] : [])).Shrinker;

    private static bool RunScript(Script script)
    {
        var limit = 1 + (script.LimitSeed % 12);
        var window = script.TwoSecondWindow ? 2000 : 1000;
        var limiter = new RateLimiter("g", limit, window);
        var model = new ReferenceBucket(limit, window);
        var inFlight = new List<(int Slot, int Id, long SentAt)>();
        var requests = new List<(long SentAt, long? DoneAt)>(); // what the exchange may count: anywhere in [sent, done]
        long now = 10_000;
        foreach (var step in script.Steps)
        {
            switch (step.Kind)
            {
                case StepKind.Advance:
                    now += step.Arg < 192 ? step.Arg % 40 : (step.Arg - 192) * 25L; // mostly a few ms, sometimes a second or more
                    break;
                case StepKind.AdvanceToEdge:
                    now = model.NextFree is { } edge ? Math.Max(now, edge - (step.Arg % 3)) : now; // off-by-one errors at the window's edge show here
                    break;
                case StepKind.Acquire:
                    var granted = limiter.TryAcquire(now, out var slot);
                    var id = model.Acquire(now);
                    Assert.True(granted == id.HasValue, $"at {now} ms the limiter {(granted ? "granted" : "refused")} and the model did not");
                    if (granted)
                    {
                        // Upbit's rule: fewer than `limit` earlier requests may still be counted inside this window.
                        Assert.True(requests.Count(r => r.DoneAt is not { } done || now - done < window) < limit, $"request at {now} ms exceeds {limit} per {window} ms");
                        inFlight.Add((slot, id!.Value, now));
                        requests.Add((now, null));
                    }

                    break;
                case StepKind.Complete when inFlight.Count > 0:
                    var done = inFlight[step.Arg % inFlight.Count];
                    inFlight.Remove(done);
                    limiter.Complete(done.Slot, now);
                    model.Complete(done.Id, now);
                    requests[requests.FindIndex(r => r.SentAt == done.SentAt && r.DoneAt is null)] = (done.SentAt, now);
                    break;
                case StepKind.Correct:
                    limiter.Correct(step.Arg % (limit + 1), now);
                    model.Correct(step.Arg % (limit + 1), now);
                    break;
            }
        }

        return true;
    }
}
