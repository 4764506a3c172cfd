namespace UpbitHft.Engine.Ring;

/// <summary>Options of a ring and its processors.</summary>
public sealed record RingOptions
{
    /// <summary>Slots (a power of two). 65,536 absorbs a multi-second burst of the whole KRW market.</summary>
    public int Size { get; init; } = 65_536;

    /// <summary>How consumers wait. See <see cref="WaitStrategyKind"/> and the README for when to choose busy-spin.</summary>
    public WaitStrategyKind WaitStrategy { get; init; } = WaitStrategies.Default;

    /// <summary>Work the consumer repeats while it waits (the gateway thread's signing rehearsal); null = none.</summary>
    public IdleRehearsal? Rehearsal { get; init; }

    /// <summary>Several publishing threads (CAS claims) instead of one.</summary>
    public bool MultiProducer { get; init; } = true;

    /// <summary>What a processor does when its handler throws.</summary>
    public HandlerExceptionPolicy OnHandlerException { get; init; } = HandlerExceptionPolicy.RecordAndContinue;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> with a clear message for an invalid value.</summary>
    public void Validate()
    {
        Sequencer.ValidateBufferSize(Size);
        if (!Enum.IsDefined(WaitStrategy))
        {
            throw new ArgumentOutOfRangeException(nameof(WaitStrategy), WaitStrategy, "Wait strategy must be Blocking, Sleeping, Yielding, BusySpin or SpinThenBlock.");
        }

        if (!Enum.IsDefined(OnHandlerException))
        {
            throw new ArgumentOutOfRangeException(nameof(OnHandlerException), OnHandlerException, "Unknown handler exception policy.");
        }
    }
}
