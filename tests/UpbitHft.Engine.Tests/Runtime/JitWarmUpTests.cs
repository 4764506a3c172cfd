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
        var namespaces = new[] { typeof(JitWarmUp).Assembly, typeof(Feed.Events.MarketEvent).Assembly, typeof(Gateway.Orders.OrderCommand).Assembly }
            .SelectMany(a => a.GetTypes()).Select(t => t.Namespace).OfType<string>().Distinct().ToList();
        Assert.All(JitWarmUp.TradingPath, prefix => Assert.Contains(namespaces, n => n.StartsWith(prefix, StringComparison.Ordinal)));

        // The order's own code is in: the gateway's order lifecycle, its async state machine included.
        var lifecycle = typeof(Gateway.Orders.OrderCommand).Assembly.GetType("UpbitHft.Gateway.Orders.OrderLifecycle")!;
        Assert.Contains(lifecycle.GetNestedTypes(BindingFlags.NonPublic), t => t.Name.Contains("CreateAsync", StringComparison.Ordinal));
        Assert.StartsWith("UpbitHft.Gateway", lifecycle.Namespace!, StringComparison.Ordinal);
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
