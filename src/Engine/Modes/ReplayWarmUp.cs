using UpbitHft.Engine.Ring;
using UpbitHft.Engine.Runtime;
using UpbitHft.Feed.Markets;
using UpbitHft.Feed.Parsing;
using UpbitHft.Feed.Replay;

namespace UpbitHft.Engine.Modes;

/// <summary>
/// What a replay compiles before its clock starts. The engine runs with tiered compilation off, so each method is
/// compiled, fully optimised, on its first call; without this, a replay of the 520,000-frame session spent about a
/// sixth of its measured time in the JIT: the replay thread compiling the reading and parsing code for its first
/// batches while the engine thread waited, and the engine thread compiling the decision and paper-order code at its
/// first events and its first order while the ring filled (a profile, <c>perf-reports/throughput.md</c>, fifth pass).
/// So the replay thread reads and parses the input's first frames with scratch parsers, the code the run will use on
/// the frames it will see, while another thread compiles the engine thread's code (<see cref="JitWarmUp"/>, the
/// decision core rehearsed through two trades), then collects the warm-up's garbage. Nothing of it reaches the run:
/// its own parsers, market table, engine and journal are untouched.
/// </summary>
public static class ReplayWarmUp
{
    /// <summary>Frames read and parsed from the start of the input.</summary>
    public const int Frames = 4096;

    /// <summary>The engine thread's code in a paper run, compiled ahead.</summary>
    public static readonly string[] EnginePath =
    [
        "UpbitHft.Engine.Decisions", "UpbitHft.Engine.Execution", "UpbitHft.Engine.Indicators", "UpbitHft.Engine.Risk",
        "UpbitHft.Engine.Markets", "UpbitHft.Engine.Scanning", "UpbitHft.Gateway.Paper",
    ];

    /// <summary>
    /// The pipeline's own code on both threads, type by type (its namespaces whole would compile far more for nothing
    /// more; the journal writer's type alone added 400 methods and no speed): publishing and the split, the ring and its
    /// engine-side loop as the replay instantiates them, the replay's pump and finish, what the engine thread tells the
    /// metrics.
    /// </summary>
    public static readonly Type[] PipelineTypes =
    [
        typeof(EnginePipeline), typeof(SplitParse), typeof(EngineEventHandler), typeof(ReplayRunner),
        typeof(RingBuffer<EngineEvent>), typeof(SingleProducerSequencer), typeof(SequenceBarrier), typeof(Sequence),
        typeof(BatchEventProcessor<EngineEvent, EngineEventHandler>), typeof(YieldingWaitStrategy),
        typeof(Metrics.EngineTelemetry), typeof(Metrics.LatencySamples), typeof(Metrics.OrderOutcomes), // the engine thread's once-a-second capture was 2 ms of JIT on its first event
    ];

    /// <summary>Runs the warm-up on this thread and one more; returns the frames parsed, methods compiled and the time taken.</summary>
    public static (int Frames, int Compiled, TimeSpan Elapsed) Run(EngineSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var started = settings.Time.GetTimestamp();
        var engineCode = Task.Run(() => JitWarmUp.Prepare(EnginePath, settings.Time, settings.Strategy).Compiled + JitWarmUp.PrepareTypes(PipelineTypes).Compiled);
        var frames = ReadAndParse(settings.InputPath, Frames);
        var compiled = engineCode.GetAwaiter().GetResult();

        // The warm-up's garbage (scratch parsers, reflection) is collected now: left in gen0, it brought the run's
        // first collection forward into the measured time (a gen0 collection in 2 of 6 runs of the 520k session).
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return (frames, compiled, settings.Time.GetElapsedTime(started));
    }

    /// <summary>
    /// Reads up to <paramref name="maxFrames"/> frames of <paramref name="path"/> as a replay reads them, and parses each
    /// both ways a full-speed replay does (markets resolved at once, and deferred then resolved); returns the frames read.
    /// </summary>
    public static int ReadAndParse(string path, int maxFrames)
    {
        using var source = RecordingFrameSource.Open(path);
        var markets = new MarketTable(EnginePipeline.MarketCapacity);
        var direct = new UpbitMessageParser(markets, new UpbitParserOptions { AddUnknownMarkets = true });
        var deferred = new UpbitMessageParser(markets, new UpbitParserOptions { AddUnknownMarkets = true, DeferMarketResolution = true });
        var slot = new EngineEvent[2]; // a ring slot's worth and a parse buffer, on the heap
        var n = 0;
        while (n < maxFrames && source.TryReadNext(out var frame, out _))
        {
            direct.Parse(frame, 0, ref slot[1].Market);
            UpbitHft.Feed.Events.MarketEvent.CopyParsed(ref slot[1].Market, ref slot[0].Market); // as the replay thread does
            deferred.Parse(frame, 0, ref slot[0].Market);
            deferred.ResolveDeferredMarket(ref slot[0].Market);
            n++;
        }

        return n;
    }
}
