/// <summary>
/// A .NET startup hook (<c>DOTNET_STARTUP_HOOKS=…/UpbitHft.Engine.Tests.dll</c>) for <see cref="UpbitHft.Engine.Tests.Reports.ChartingStaysUnloadedTests"/>:
/// in the child <c>upbithft</c> process it writes, at exit, every assembly the process loaded and every native
/// library mapped into it, one per line ("assembly NAME", "native PATH"), to the file named by
/// <c>UPBITHFT_TEST_LOADED_OUT</c>. Without that variable it does nothing. It uses nothing but the base library, and has
/// no namespace: the runtime looks a startup hook up by this exact name.
/// </summary>
internal static class StartupHook
{
    public static void Initialize()
    {
        var path = Environment.GetEnvironmentVariable("UPBITHFT_TEST_LOADED_OUT");
        if (string.IsNullOrEmpty(path))
        {
            return;
        }

        // At exit, not at start: an assembly loaded by the run's last step (a report, a plot) must be seen too.
        // Assemblies of the default context are never unloaded, so the list then holds everything ever loaded.
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            var lines = AppDomain.CurrentDomain.GetAssemblies().Select(a => "assembly " + a.GetName().Name).ToList();
            lines.AddRange(File.ReadLines("/proc/self/maps")
                .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Where(f => f.Length >= 6 && f[5].Contains(".so", StringComparison.Ordinal))
                .Select(f => "native " + f[5]).Distinct());
            File.WriteAllLines(path, lines);
        };
    }
}
