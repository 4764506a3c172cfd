using System.Diagnostics;

namespace UpbitHft.TestSupport;

/// <summary>
/// Waiting for something another thread, socket or process does: polls a condition with a short real delay and
/// fails with what was awaited, how long, and whatever the caller says would explain it. The one poll loop of the
/// test projects.
/// </summary>
public static class Eventually
{
    /// <summary>Between two looks at the condition: short enough not to slow a test, long enough not to burn a core.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// Returns once <paramref name="condition"/> holds; throws <see cref="TimeoutException"/> when it still does not after
    /// <paramref name="timeout"/>, naming <paramref name="what"/> and adding <paramref name="diagnostics"/> (evaluated
    /// only then). The condition is looked at once more after the deadline, so a late success is not a failure.
    /// </summary>
    public static async Task TrueAsync(Func<bool> condition, TimeSpan timeout, string what, Func<string>? diagnostics = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout)
            {
                if (condition())
                {
                    return; // it happened during the last delay
                }

                throw new TimeoutException(Message(what, clock.Elapsed, diagnostics));
            }

            await Task.Delay(PollInterval); // no ConfigureAwait(false): the condition runs where the test runs, as a test's own loop would
        }
    }

    private static string Message(string what, TimeSpan waited, Func<string>? diagnostics)
    {
        var message = $"Not reached after {waited.TotalSeconds:0.0} s: {what}.";
        if (diagnostics is null)
        {
            return message;
        }

        string detail;
        try
        {
            detail = diagnostics();
        }
        catch (Exception ex)
        {
            detail = "(diagnostics failed: " + ex.Message + ")";
        }

        return message + Environment.NewLine + detail;
    }
}
