using System.Reflection;
using UpbitHft.Engine.Runtime;

namespace UpbitHft.Engine.Tests.Runtime;

public class JitWarmUpTests
{
    [Fact]
    public void The_trading_path_compiles_ahead_with_every_namespace_found_and_nothing_refused()
    {
        var (compiled, skipped, _) = JitWarmUp.Prepare(JitWarmUp.TradingPath, TimeProvider.System);

        Assert.Equal(0, skipped);
        Assert.True(compiled > 1_500, $"{compiled} methods: a namespace of the list is missing or misspelt");

        // Every namespace prefix names something (a rename would otherwise silently drop a part of the path).
        var namespaces = new[] { typeof(JitWarmUp).Assembly, typeof(Feed.Events.MarketEvent).Assembly, typeof(Gateway.Orders.OrderCommand).Assembly, typeof(HdrHistogram.HistogramBase).Assembly }
            .SelectMany(a => a.GetTypes()).Select(t => t.Namespace).OfType<string>().Distinct().ToList();
        Assert.All(JitWarmUp.TradingPath, prefix => Assert.Contains(namespaces, n => n.StartsWith(prefix, StringComparison.Ordinal)));

        // The order's own code is in: the gateway's order lifecycle, its async state machine included.
        var lifecycle = typeof(Gateway.Orders.OrderCommand).Assembly.GetType("UpbitHft.Gateway.Orders.OrderLifecycle")!;
        Assert.Contains(lifecycle.GetNestedTypes(BindingFlags.NonPublic), t => t.Name.Contains("CreateAsync", StringComparison.Ordinal));
        Assert.StartsWith("UpbitHft.Gateway", lifecycle.Namespace!, StringComparison.Ordinal);
    }

    /// <summary>
    /// The async builders' code over a state machine (its box, <c>Start</c>, <c>GetStateMachineBox</c>, the awaiter's
    /// <c>AwaitUnsafeOnCompleted</c>) is generic, so it used to be compiled on a first order's path. Two async methods
    /// of the same shape, one prepared: running the prepared one compiles several methods fewer on this thread.
    /// </summary>
    [Fact]
    public async Task The_async_machinery_over_a_state_machine_is_compiled_before_its_first_run()
    {
        int compiled = 0, skipped = 0;
        JitWarmUp.PrepareAsyncMachinery(StateMachineOf(nameof(WarmAsync)), ref compiled, ref skipped);
        Assert.Equal(0, skipped);
        Assert.True(compiled >= 5, $"{compiled} methods prepared: the runtime's async builder internals were not found");

        // Each runs to completion inside the call (the awaiter resumes inline), so the counts are this thread's.
        var before = System.Runtime.JitInfo.GetCompiledMethodCount(currentThread: true);
        var warmTask = WarmAsync();
        var warm = System.Runtime.JitInfo.GetCompiledMethodCount(currentThread: true) - before;

        before = System.Runtime.JitInfo.GetCompiledMethodCount(currentThread: true);
        var coldTask = ColdAsync();
        var cold = System.Runtime.JitInfo.GetCompiledMethodCount(currentThread: true) - before;

        Assert.True(warmTask.IsCompletedSuccessfully && coldTask.IsCompletedSuccessfully);
        Assert.Equal((2, 1), (await warmTask, await coldTask));
        Assert.True(cold - warm >= 4, $"first run compiled {warm} methods prepared, {cold} not");
    }

    [Fact]
    public void Listed_types_compile_with_the_types_nested_in_them_closed_generics_included()
    {
        var (compiled, skipped) = JitWarmUp.PrepareTypes(UpbitHft.Engine.Modes.ReplayWarmUp.PipelineTypes);
        Assert.Equal(0, skipped);
        Assert.True(compiled > 100, $"{compiled} methods");

        JitWarmUp.PrepareTypes([typeof(Outer)]);
        var before = System.Runtime.JitInfo.GetCompiledMethodCount(currentThread: true);
        var sum = Outer.Inner.Add(2, 3) + new Outer.Inner().Twice(4);
        Assert.Equal(0, System.Runtime.JitInfo.GetCompiledMethodCount(currentThread: true) - before);
        Assert.Equal(13, sum);
    }

    private static class Outer
    {
        public sealed class Inner
        {
            [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
            public static int Add(int a, int b) => a + b;

            [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
            public int Twice(int a) => a * 2;
        }
    }

    private static Type StateMachineOf(string method) =>
        typeof(JitWarmUpTests).GetNestedTypes(BindingFlags.NonPublic).Single(t => t.Name.StartsWith($"<{method}>", StringComparison.Ordinal));

    private static async Task<int> ColdAsync()
    {
        await default(InlineYield);
        return 1;
    }

    private static async Task<int> WarmAsync()
    {
        await default(InlineYield);
        return 2;
    }

    /// <summary>Suspends and resumes at once on the same thread, so that the box is created and nothing leaves the thread.</summary>
    private readonly struct InlineYield : System.Runtime.CompilerServices.ICriticalNotifyCompletion
    {
        public bool IsCompleted => false;

        public InlineYield GetAwaiter() => this;

        public void GetResult()
        {
        }

        public void OnCompleted(Action continuation) => continuation();

        public void UnsafeOnCompleted(Action continuation) => continuation();
    }

    [Fact]
    public void A_rehearsal_that_fails_is_counted_and_never_stops_the_warm_up()
    {
        string[] narrow = ["UpbitHft.Engine.Decisions"];
        var (compiled, skipped, _) = JitWarmUp.Prepare(narrow, TimeProvider.System, new UpbitHft.Engine.Decisions.DecisionOptions());
        Assert.Equal(0, skipped);
        Assert.True(compiled > 50, $"{compiled} methods");

        // Options no core can be built with: the rehearsal throws inside; the warm-up goes on.
        var (_, failed, _) = JitWarmUp.Prepare(narrow, TimeProvider.System, new UpbitHft.Engine.Decisions.DecisionOptions { OrderTimeoutMs = 0 });
        Assert.Equal(1, failed);

        // Options under which it cannot trade (a position smaller than the minimum order): it runs, and says it fell short.
        var (_, fellShort, _) = JitWarmUp.Prepare(narrow, TimeProvider.System, new UpbitHft.Engine.Decisions.DecisionOptions { PositionFraction = 0.001m });
        Assert.Equal(1, fellShort);
    }

    [Fact]
    public async Task A_failed_warm_up_is_reported_and_the_run_goes_on()
    {
        var status = new StringWriter();
        await JitWarmUp.ReportAsync(Task.FromException<(int, int, TimeSpan)>(new System.IO.FileLoadException("gone")), status);
        Assert.Contains("jit: compiling the trading path ahead failed (FileLoadException: gone)", status.ToString(), StringComparison.Ordinal);

        var ok = new StringWriter();
        await JitWarmUp.ReportAsync(Task.FromResult((2_400, 0, TimeSpan.FromMilliseconds(600))), ok);
        Assert.Contains("jit: 2400 methods of the trading path compiled ahead of the first tick in 600 ms", ok.ToString(), StringComparison.Ordinal);
    }
}
