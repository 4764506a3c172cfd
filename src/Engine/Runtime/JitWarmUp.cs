using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace UpbitHft.Engine.Runtime;

/// <summary>
/// Compiles the trading path's methods before the first tick, so the first order of a run pays less for the JIT.
/// The engine runs with tiered compilation off: each method is compiled, fully optimised, on its first call — and
/// on the first order of a live run that is dozens of methods (the entry decision, the execution, the gateway's
/// order lifecycle, the answer's handling). The test orders of the order-path warm-up run the sending code; this
/// compiles the rest without running it: every non-generic method with a body in the namespaces the trading path
/// lives in, compiler-made ones (lambdas) included.
/// </summary>
/// <remarks>
/// Generic code is compiled where it is instantiated, so the async builders over each state machine and the
/// collections over value types in the trading path's fields are prepared with their exact instantiations
/// (<c>JitWarmUp.Generic.cs</c>). What it still does not reach, measured (<c>DOTNET_JitDisasmSummary</c> on a live
/// run against the fake exchange): <see cref="RuntimeHelpers.PrepareMethod(RuntimeMethodHandle)"/> does not compile
/// interface implementations of classes on this runtime, and SQLite (the journal thread's) is not in the list; the
/// journal binds one value of each kind when it opens instead. Code compiled but never run is still slow on its first
/// call (CoreLib call sites resolve then), which the decision rehearsal (<see cref="Decisions.DecisionRehearsal"/>)
/// takes off the first order (perf-reports/latency.md §2, the first order).
/// </remarks>
public static partial class JitWarmUp
{
    /// <summary>Namespaces on the way from a frame to an order and back (prefix match).</summary>
    public static readonly string[] TradingPath =
    [
        "UpbitHft.Feed.Parsing", "UpbitHft.Feed.Connection", "UpbitHft.Feed.Markets", "UpbitHft.Feed.Events",
        "UpbitHft.Engine.Decisions", "UpbitHft.Engine.Execution", "UpbitHft.Engine.Indicators", "UpbitHft.Engine.Risk",
        "UpbitHft.Engine.Markets", "UpbitHft.Engine.Metrics",
        "UpbitHft.Engine.Scanning", "UpbitHft.Engine.Runtime", "UpbitHft.Engine.Ring", "UpbitHft.Engine.Journal",
        "UpbitHft.Gateway",
        "HdrHistogram", // the latency histograms the engine thread records into on each decision and order
    ];

    /// <summary>HdrHistogram's log writing, encoding and iteration: used for reports at the end, never on an order's path.</summary>
    private static readonly string[] s_offThePath = ["HdrHistogram.Encoding", "HdrHistogram.Output", "HdrHistogram.Persistence", "HdrHistogram.Iteration"];

    /// <summary>
    /// Compiles what <paramref name="namespaces"/> hold in the engine's assemblies, then, with <paramref name="rehearse"/>,
    /// runs the decision path on a scratch core with those options (<see cref="Decisions.DecisionRehearsal"/>: what
    /// compiling does not warm); returns methods compiled, methods that could not be (a rehearsal that failed or did not
    /// make both of its trades counts as one),
    /// and the time taken.
    /// </summary>
    public static (int Compiled, int Skipped, TimeSpan Elapsed) Prepare(IReadOnlyList<string> namespaces, TimeProvider time, Decisions.DecisionOptions? rehearse = null)
    {
        var (compiled, skipped, elapsed) = Prepare(namespaces, time);
        if (rehearse is not null)
        {
            var started = time.GetTimestamp();
            try
            {
                if (!Decisions.DecisionRehearsal.Complete(Decisions.DecisionRehearsal.Run(rehearse)))
                {
                    skipped++; // it ran, but not through both trades: part of the decision path stays cold
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                skipped++; // an optimisation only: the first entry then runs this code cold, as before
            }

            elapsed += time.GetElapsedTime(started);
        }

        return (compiled, skipped, elapsed);
    }

    /// <summary>Compiles what <paramref name="namespaces"/> hold in the engine's assemblies; returns methods compiled, methods that could not be, and the time taken.</summary>
    public static (int Compiled, int Skipped, TimeSpan Elapsed) Prepare(IReadOnlyList<string> namespaces, TimeProvider time)
    {
        var started = time.GetTimestamp();
        int compiled = 0, skipped = 0;
        var assemblies = new[] { typeof(JitWarmUp).Assembly, typeof(Feed.Events.MarketEvent).Assembly, typeof(Gateway.Orders.OrderCommand).Assembly, typeof(HdrHistogram.HistogramBase).Assembly };
        foreach (var assembly in assemblies)
        {
            Type?[] types;
            try
            {
                types = assembly.GetTypes();
            }
            catch (ReflectionTypeLoadException ex)
            {
                types = ex.Types; // what loaded; the rest is compiled on first use as before
            }

            foreach (var type in types)
            {
                if (type is null || type.ContainsGenericParameters || type.Namespace is not { } ns || !namespaces.Any(n => ns.StartsWith(n, StringComparison.Ordinal))
                    || s_offThePath.Any(n => ns.StartsWith(n, StringComparison.Ordinal)))
                {
                    continue;
                }

                PrepareType(type, ref compiled, ref skipped);
            }
        }

        return (compiled, skipped, time.GetElapsedTime(started));
    }

    /// <summary>
    /// Compiles <paramref name="types"/> (closed generic types included) and the types nested in them (the compiler's
    /// async state machines and lambdas); returns methods compiled and methods that could not be.
    /// </summary>
    public static (int Compiled, int Skipped) PrepareTypes(IEnumerable<Type> types)
    {
        ArgumentNullException.ThrowIfNull(types);
        int compiled = 0, skipped = 0;
        foreach (var type in types)
        {
            foreach (var t in type.GetNestedTypes(Declared).Where(n => !n.ContainsGenericParameters).Prepend(type))
            {
                PrepareType(t, ref compiled, ref skipped);
            }
        }

        return (compiled, skipped);
    }

    private static void PrepareType(Type type, ref int compiled, ref int skipped)
    {
        PrepareAsyncMachinery(type, ref compiled, ref skipped);
        PrepareFieldCollections(type, ref compiled, ref skipped);
        foreach (var method in type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)))
        {
            if (method.IsAbstract || method.ContainsGenericParameters || method.GetMethodBody() is null)
            {
                continue;
            }

            try
            {
                RuntimeHelpers.PrepareMethod(method.MethodHandle);
                compiled++;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // An optimisation only: a method that cannot be prepared is compiled on its first call.
                skipped++;
            }
        }
    }

    /// <summary>Waits for <see cref="Prepare(IReadOnlyList{string}, TimeProvider, Decisions.DecisionOptions?)"/> run in the background and says what it did; a failure is reported, never thrown.</summary>
    public static async Task ReportAsync(Task<(int Compiled, int Skipped, TimeSpan Elapsed)> jit, TextWriter status)
    {
        int compiled, skipped;
        TimeSpan elapsed;
        try
        {
            (compiled, skipped, elapsed) = await jit.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // An optimisation failing must not stop a run: the methods are compiled on their first call instead.
            await status.WriteLineAsync($"jit: compiling the trading path ahead failed ({ex.GetType().Name}: {ex.Message}); methods are compiled on first use").ConfigureAwait(false);
            return;
        }

        await status.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"jit: {compiled} methods of the trading path compiled ahead of the first tick in {elapsed.TotalMilliseconds:0} ms{(skipped > 0 ? $" ({skipped} could not be)" : "")}")).ConfigureAwait(false);
    }
}
