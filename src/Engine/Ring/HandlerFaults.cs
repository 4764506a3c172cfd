using System.Globalization;

namespace UpbitHft.Engine.Ring;

/// <summary>What a processor does after its handler threw.</summary>
public enum HandlerExceptionPolicy
{
    /// <summary>Record the fault (sequence, exception, count) and go on with the next event. The default: a bad event must not stop the engine from protecting open positions.</summary>
    RecordAndContinue,

    /// <summary>Record the fault and halt the processor (its sequence stays before the failed event).</summary>
    RecordAndHalt,
}

/// <summary>
/// Where handler exceptions go: counted, the first few and the last kept with their sequence, and reported through
/// <see cref="Report"/> (stderr by default). An exception is never swallowed silently. Thread-safe.
/// </summary>
public sealed class HandlerFaults
{
    private readonly Lock _lock = new();
    private readonly List<(long Sequence, Exception Exception)> _first = [];
    private long _count;

    /// <summary>Where each fault is reported (defaults to standard error).</summary>
    public Action<string> Report { get; init; } = static line => Console.Error.WriteLine(line);

    /// <summary>Faults recorded so far.</summary>
    public long Count => Interlocked.Read(ref _count);

    /// <summary>The most recent fault.</summary>
    public (long Sequence, Exception Exception)? Last { get; private set; }

    /// <summary>The first (up to 16) faults.</summary>
    public IReadOnlyList<(long Sequence, Exception Exception)> First
    {
        get
        {
            lock (_lock)
            {
                return [.. _first];
            }
        }
    }

    /// <summary>Records a fault of <paramref name="processor"/> at <paramref name="sequence"/>.</summary>
    public void Record(string processor, long sequence, Exception exception)
    {
        var n = Interlocked.Increment(ref _count);
        lock (_lock)
        {
            if (_first.Count < 16)
            {
                _first.Add((sequence, exception));
            }

            Last = (sequence, exception);
        }

        // Report every fault up to 100, then every 1000th, so a poison stream cannot flood the console.
        if (n <= 100 || n % 1000 == 0)
        {
            // The first fault carries where it happened: a bug report needs the frame, not only the message.
            var where = n == 1 ? " at " + string.Join(" <- ", (exception.StackTrace ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Take(4)) : "";
            Report(string.Create(CultureInfo.InvariantCulture, $"ring: handler '{processor}' threw at sequence {sequence} (fault #{n}): {exception.GetType().Name}: {exception.Message}{where}"));
        }
    }
}
