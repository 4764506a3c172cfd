using System.Runtime.CompilerServices;

namespace UpbitHft.Engine.Ring;

/// <summary>
/// Runs one handler on its own dedicated thread: waits on its barrier, hands every available event to the handler
/// in sequence order (a batch), and publishes its progress once per batch with a release store. Generic over the
/// handler struct so <c>OnEvent</c> is a direct, inlinable call.
/// </summary>
/// <remarks>
/// Exceptions: a handler exception is recorded in <see cref="HandlerFaults"/> with its sequence (never silent); then,
/// per <see cref="HandlerExceptionPolicy"/>, the processor skips that event and goes on, or halts. The event is not
/// lost without a trace either way.
/// </remarks>
public sealed class BatchEventProcessor<T, THandler>
    where T : struct
    where THandler : struct, IEventHandler<T>
{
    private const int Idle = 0;
    private const int Running = 1;
    private const int Halted = 2;

    private readonly RingBuffer<T> _ring;
    private readonly SequenceBarrier _barrier;
    private readonly HandlerExceptionPolicy _policy;
    private readonly HandlerFaults _faults;
    private readonly string _name;
    private THandler _handler; // mutable on purpose: the handler's state lives here and is updated in place
    private Thread? _thread;
    private int _state;

    /// <summary>Creates a processor; add its <see cref="Sequence"/> as a gating sequence (or a dependency of the next stage).</summary>
    public BatchEventProcessor(RingBuffer<T> ring, SequenceBarrier barrier, THandler handler, string name,
        HandlerExceptionPolicy policy = HandlerExceptionPolicy.RecordAndContinue, HandlerFaults? faults = null)
    {
        ArgumentNullException.ThrowIfNull(ring);
        ArgumentNullException.ThrowIfNull(barrier);
        _ring = ring;
        _barrier = barrier;
        _handler = handler;
        _name = name;
        _policy = policy;
        _faults = faults ?? new HandlerFaults();
    }

    /// <summary>The last sequence this processor has fully handled.</summary>
    public Sequence Sequence { get; } = new();

    /// <summary>Handler exceptions recorded so far.</summary>
    public HandlerFaults Faults => _faults;

    /// <summary>Whether the processor thread is running.</summary>
    public bool IsRunning => Volatile.Read(ref _state) == Running;

    /// <summary>The handler's current state (a copy; read it only after <see cref="Halt"/>).</summary>
    public THandler Handler => _handler;

    /// <summary>Starts the dedicated thread.</summary>
    public void Start()
    {
        if (Interlocked.CompareExchange(ref _state, Running, Idle) != Idle)
        {
            throw new InvalidOperationException($"Processor '{_name}' was already started.");
        }

        _barrier.ClearAlert();
        _thread = new Thread(Run) { IsBackground = true, Name = _name };
        _thread.Start();
    }

    /// <summary>Stops after the batch in hand; events published later are not handled. Waits for the thread.</summary>
    public void Halt(TimeSpan? timeout = null)
    {
        Volatile.Write(ref _state, Halted);
        _barrier.Alert();
        if (_thread is not null && Thread.CurrentThread != _thread && !_thread.Join(timeout ?? TimeSpan.FromSeconds(10)))
        {
            throw new TimeoutException($"Processor '{_name}' did not stop within the timeout.");
        }
    }

    /// <summary>Waits until everything published so far (and available to this stage) is handled, then halts.</summary>
    /// <returns>False if the timeout passed before the processor caught up (it is halted anyway).</returns>
    public bool DrainAndHalt(TimeSpan timeout, TimeProvider? time = null)
    {
        var clock = time ?? TimeProvider.System;
        var target = _ring.Cursor;
        var started = clock.GetTimestamp();
        var spinner = default(SpinWait);
        while (Sequence.Value < target && IsRunning && clock.GetElapsedTime(started) < timeout)
        {
            // For a multi-producer ring the cursor counts claims; stop waiting at the highest published slot.
            target = _ring.Sequencer.GetHighestPublishedSequence(Sequence.Value + 1, target);
            spinner.SpinOnce(sleep1Threshold: 20);
        }

        var drained = Sequence.Value >= target;
        Halt();
        return drained;
    }

    private void Run()
    {
        _handler.OnStart();
        var next = Sequence.Value + 1;
        while (Volatile.Read(ref _state) == Running)
        {
            try
            {
                ProcessUntilHalted(ref next);
            }
            catch (Exception ex)
            {
                _faults.Record(_name, next, ex);
                if (_policy == HandlerExceptionPolicy.RecordAndHalt)
                {
                    Volatile.Write(ref _state, Halted);
                    break;
                }

                // Skip the event that failed: it is recorded above, and the next one must not wait behind it.
                Sequence.SetValue(next);
                next++;
            }
        }

        _handler.OnShutdown();
    }

    /// <summary>
    /// How many slots ahead of the one it hands to the handler the processor asks for the next slot's lines, when that
    /// slot is already published. The publisher wrote it from another core, so each line read on demand was a
    /// transfer the handler waited for (alternating runs of the 520,000-frame replay: 1.63 → 1.69 M msg/s median,
    /// ahead in 6 of 6 pairs, asking for 12 lines two slots ahead; 4 lines or 4 slots ahead measured the same).
    /// </summary>
    private const int PrefetchDistance = 2;

    /// <summary>At most this many lines of a slot (768 bytes: an event's head and a 15-level book's first levels).</summary>
    private const int PrefetchLines = 12;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Prefetch(ref T slot) =>
        CacheLines.Prefetch(ref Unsafe.As<T, byte>(ref slot), Math.Min(PrefetchLines, (Unsafe.SizeOf<T>() + CacheLines.Size - 1) / CacheLines.Size));

    // The hot loop, with no try region inside it (the catch sits one frame up). `next` is by ref so that, when the
    // handler throws, the caller knows exactly which sequence failed.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ProcessUntilHalted(ref long next)
    {
        while (true)
        {
            var available = _barrier.WaitFor(next);
            if (available == SequenceBarrier.Alerted)
            {
                if (Volatile.Read(ref _state) != Running)
                {
                    return;
                }

                _barrier.ClearAlert();
                continue;
            }

            while (next <= available)
            {
                if (next + PrefetchDistance <= available)
                {
                    Prefetch(ref _ring[next + PrefetchDistance]);
                }

                _handler.OnEvent(ref _ring[next], next, next == available);
                next++;
            }

            Sequence.SetValue(available);
        }
    }
}
