using UpbitHft.Engine.Ring;
using UpbitHft.Engine.Execution;

namespace UpbitHft.Engine.Runtime;

/// <summary>The ring consumer on the engine thread: a struct, so the processor's call is devirtualized.</summary>
public readonly struct EngineEventHandler(TradingEngine engine) : IEventHandler<EngineEvent>
{
    public void OnEvent(ref EngineEvent ev, long sequence, bool endOfBatch) => engine.Handle(ref ev);

    public void OnStart() => engine.OnStart();

    public void OnShutdown() => engine.OnShutdown();
}
