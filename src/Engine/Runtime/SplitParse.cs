using UpbitHft.Engine.Ring;
using UpbitHft.Feed.Markets;
using UpbitHft.Feed.Parsing;

namespace UpbitHft.Engine.Runtime;

/// <summary>
/// A full-speed replay's parsing on both cores. Reading and parsing a frame costs the replay thread several times what
/// the engine thread spends deciding on it, so the replay thread hands whole batches over unparsed — copied into
/// arena slots beside the ring — while the engine keeps up (a short backlog), and parses the batches itself while the
/// engine is behind; the engine thread parses what it was handed before it handles it. The share settles where
/// neither thread waits for the other, whatever the input costs to read and to parse.
/// </summary>
/// <remarks>
/// Both parsers leave market codes unresolved (<see cref="UpbitParserOptions.DeferMarketResolution"/>); the engine
/// thread resolves every frame's market in ring order, so the market table keeps one writer and ids come out exactly
/// as a one-thread parse gives them — the run is the same run, only faster. The frames stamped for the service-time
/// figures are always parsed by the replay thread.
/// </remarks>
public sealed class SplitParse
{
    /// <summary>Bytes of one arena slot: a longer frame is parsed by the replay thread.</summary>
    public const int Stride = 2048;

    /// <summary>Arena slots; a frame goes to slot <c>sequence % ArenaSlots</c>.</summary>
    public const int ArenaSlots = 1024;

    /// <summary>The replay thread hands frames over only while fewer than this many wait in the ring (so no arena slot is reused early).</summary>
    public const int MaxBacklog = ArenaSlots / 2;

    private readonly byte[] _arena = GC.AllocateUninitializedArray<byte>(Stride * ArenaSlots, pinned: true);
    private readonly UpbitMessageParser _engineParser;

    public SplitParse(MarketTable markets, bool addUnknownMarkets)
    {
        var options = new UpbitParserOptions { AddUnknownMarkets = addUnknownMarkets, DeferMarketResolution = true };
        ReaderParser = new UpbitMessageParser(markets, options);
        _engineParser = new UpbitMessageParser(markets, options);
    }

    /// <summary>The replay thread's parser while splitting.</summary>
    public UpbitMessageParser ReaderParser { get; }

    /// <summary>Frames the engine thread parsed (engine thread; read after it stopped).</summary>
    public long EngineParsed { get; private set; }

    /// <summary>Frames rejected by either parser or by market resolution.</summary>
    public long Rejected => ReaderParser.Rejected + _engineParser.Rejected;

    /// <summary>Replay thread: copies a frame into its arena slot for the engine to parse; false (nothing done) when it does not fit.</summary>
    public bool TryHandOver(ReadOnlySpan<byte> frame, long sequence, ref EngineEvent ev)
    {
        if (frame.Length is 0 or > Stride)
        {
            return false;
        }

        frame.CopyTo(_arena.AsSpan((int)(sequence & (ArenaSlots - 1)) * Stride, Stride));
        ev.HandedOverLength = frame.Length;
        return true;
    }

    /// <summary>Engine thread, before the engine handles a market event: parses a handed-over frame, then resolves the market.</summary>
    public void Complete(ref EngineEvent ev, long sequence)
    {
        if (ev.HandedOverLength > 0)
        {
            _engineParser.Parse(_arena.AsSpan((int)(sequence & (ArenaSlots - 1)) * Stride, ev.HandedOverLength), 0, ref ev.Market);
            ev.HandedOverLength = 0;
            EngineParsed++;
        }

        _engineParser.ResolveDeferredMarket(ref ev.Market);
    }
}
