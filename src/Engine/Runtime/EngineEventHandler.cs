using UpbitHft.Engine.Ring;
using UpbitHft.Engine.Execution;

namespace UpbitHft.Engine.Runtime;

/// <summary>
/// The ring consumer on the engine thread: a struct, so the processor's call is devirtualized. With
/// <paramref name="split"/> enabled (full-speed replay), a market event is completed first (parsed if it was handed
/// over unparsed, its market resolved).
/// </summary>
public readonly struct EngineEventHandler(TradingEngine engine, SplitParse? split = null) : IEventHandler<EngineEvent>
{
    public void OnEvent(ref EngineEvent ev, long sequence, bool endOfBatch)
    {
        if (split is not null && ev.Kind == EngineEventKind.Market)
        {
            split.Complete(ref ev);
        }

        engine.Handle(ref ev);
    }

    public void OnStart() => engine.OnStart();

    public void OnShutdown() => engine.OnShutdown();
}
