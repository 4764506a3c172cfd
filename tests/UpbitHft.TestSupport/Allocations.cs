namespace UpbitHft.TestSupport;

/// <summary>
/// Measures bytes allocated on the current thread by a warm loop. The runtime itself may allocate a few bytes on the
/// calling thread once in a while (tiered re-JIT and call-counting stubs installing), so the body is measured in
/// several windows and the smallest is returned: allocation by the code under test shows up in every window.
/// </summary>
public static class Allocations
{
    /// <summary>Runs <paramref name="body"/> to warm it (and lets background tiering settle), then returns the least bytes any of <paramref name="windows"/> runs allocated.</summary>
    public static long SteadyState(Action body, int windows = 3)
    {
        ArgumentNullException.ThrowIfNull(body);
        body();
        Thread.Sleep(200); // tier-1 compilation happens on a background thread after a delay
        body();
        var least = long.MaxValue;
        for (var i = 0; i < windows; i++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            body();
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        return least;
    }
}
