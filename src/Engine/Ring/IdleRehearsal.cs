using System.Runtime.CompilerServices;
using UpbitHft.Feed.Events;

namespace UpbitHft.Engine.Ring;

/// <summary>
/// Work a consumer's thread repeats while it waits, at most once per <see cref="Every"/>, to keep the code and data of
/// its next event hot. The gateway thread rehearses signing an order it never sends: on this project's 2-vCPU machine
/// the signing code runs 3-4× slower when it has not run for a few ms (perf-reports/latency.md §2, what changed
/// in the third run). Runs on the waiting thread only, never inside the strategy's lock (a producer's signal never waits behind
/// it), and only when no event is available as it starts — an event published while it runs waits for it to end (a
/// signing: 2-70 µs here). One waiting thread per instance. A rehearsal that throws is never rehearsed again: the
/// failure is counted (<see cref="Failures"/>), the wait goes on, and no event is lost or skipped.
/// </summary>
public sealed class IdleRehearsal
{
    private readonly Action _rehearse;
    private readonly Action<Exception>? _onFailure;
    private readonly Func<bool>? _urgent;
    private readonly long _everyNs;
    private long _lastNs = long.MinValue / 2; // the first rehearsal is due at once
    private long _runs;
    private long _failures;

    /// <summary>
    /// Repeats <paramref name="rehearse"/> at most once per <paramref name="every"/> while the consumer is idle — or at
    /// once, while <paramref name="urgent"/> (checked on every idle turn, so it must be a read or two) says there is work
    /// that should not wait. If it throws, it is not repeated again and <paramref name="onFailure"/> hears of it once (on
    /// the waiting thread).
    /// </summary>
    public IdleRehearsal(Action rehearse, TimeSpan every, Action<Exception>? onFailure = null, Func<bool>? urgent = null)
    {
        ArgumentNullException.ThrowIfNull(rehearse);
        ArgumentOutOfRangeException.ThrowIfLessThan(every, TimeSpan.Zero);
        _rehearse = rehearse;
        _onFailure = onFailure;
        _urgent = urgent;
        Every = every;
        _everyNs = (long)(every.TotalMicroseconds * 1_000);
    }

    /// <summary>The shortest time between two rehearsals.</summary>
    public TimeSpan Every { get; }

    /// <summary>Rehearsals run to the end so far (any thread may read it).</summary>
    public long Runs => Volatile.Read(ref _runs);

    /// <summary>Rehearsals that threw (at most one: the first turns rehearsing off).</summary>
    public long Failures => Volatile.Read(ref _failures);

    /// <summary>How long a blocked waiter parks before it rehearses again (whole ms, at least 1).</summary>
    internal int ParkMs => (int)Math.Clamp(Math.Ceiling(Every.TotalMilliseconds), 1, 1_000);

    /// <summary>Rehearses if <see cref="Every"/> has passed since the last time. The waiting thread only.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void RunIfDue()
    {
        var now = LatencyClock.NowNs();
        if ((now - _lastNs < _everyNs && !(_urgent?.Invoke() ?? false)) || _failures > 0)
        {
            return;
        }

        _lastNs = now;
        try
        {
            _rehearse();
            Volatile.Write(ref _runs, _runs + 1);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Inside a wait: an exception here would reach the processor as a handler fault at a sequence not yet
            // published, and an event would be skipped. An optimisation that fails is dropped instead, and said so.
            Volatile.Write(ref _failures, 1);
            try
            {
                _onFailure?.Invoke(ex);
            }
            catch (Exception reportFailed) when (reportFailed is not OutOfMemoryException)
            {
                // Reporting is best effort: nothing may leave the wait.
            }
        }
    }
}
