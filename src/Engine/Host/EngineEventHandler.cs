using UpbitHft.Engine.Ring;
using UpbitHft.Feed.Events;

namespace UpbitHft.Engine.Host;

/// <summary>The ring consumer on the engine thread: a struct, so the processor's call is devirtualized.</summary>
public readonly struct EngineEventHandler(TradingEngine engine) : IEventHandler<MarketEvent>
{
    public void OnEvent(ref MarketEvent ev, long sequence, bool endOfBatch) => engine.Handle(ref ev);

    public void OnStart() => engine.OnStart();

    public void OnShutdown() => engine.OnShutdown();
}
