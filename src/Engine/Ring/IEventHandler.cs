namespace UpbitHft.Engine.Ring;

/// <summary>
/// A consumer of ring events. Implement it on a struct and pass the struct type to
/// <see cref="BatchEventProcessor{T, THandler}"/>: the call is then devirtualized and can be inlined.
/// </summary>
public interface IEventHandler<T>
    where T : struct
{
    /// <summary>Handles one event on the processor's thread. <paramref name="endOfBatch"/> is true for the last event of the batch available now (flush point).</summary>
    void OnEvent(ref T ev, long sequence, bool endOfBatch);

    /// <summary>Called once on the processor's thread before the first event.</summary>
    void OnStart();

    /// <summary>Called once on the processor's thread after the last event.</summary>
    void OnShutdown();
}
