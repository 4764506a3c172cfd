using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using UpbitHft.Engine.Ring;
using UpbitHft.Feed.Markets;
using UpbitHft.Feed.Parsing;

namespace UpbitHft.Engine.Runtime;

/// <summary>
/// A full-speed replay's parsing on both cores. Reading and parsing a frame costs the replay thread several times what
/// the engine thread spends deciding on it, so the replay thread hands whole batches over unparsed while few handed-over
/// frames wait to be parsed, and parses the batches itself otherwise; the engine thread parses what it was handed
/// before it handles it. The share settles where neither thread waits for the other, whatever the input costs to read
/// and to parse. What the replay thread watches is the engine's parsing still to do, not the ring's backlog: frames it
/// parsed itself cost the engine little, and a backlog of them left the engine idle while the replay thread parsed the
/// next batch (alternating runs of the 520,000-frame session, two series: +4 % and +10 % msg/s, ahead in 10 of 14
/// pairs).
/// </summary>
/// <remarks>
/// <para>
/// A handed-over frame lies in a slot of an arena beside the ring, used in turn: the replay copies it there, in whole
/// aligned lines of non-temporal stores (<see cref="NonTemporalCopy"/>; a caller
/// may also decode a frame straight into <see cref="NextSlot"/>, which the replay no longer does: a decoder's scattered
/// stores into lines the engine thread read last cost more than one copy). The reader hands over only while fewer than
/// <see cref="MaxPending"/> handed-over frames wait to be parsed, and a batch adds at most
/// <see cref="EnginePipeline.FullSpeedBatch"/>, so fewer than <see cref="ArenaSlots"/> arena frames are ever waiting:
/// a slot is never reused early.
/// </para>
/// <para>
/// Both parsers leave market codes unresolved (<see cref="UpbitParserOptions.DeferMarketResolution"/>); the engine
/// thread resolves every frame's market in ring order, so the market table keeps one writer and ids come out exactly
/// as a one-thread parse gives them — the run is the same run, only faster. The frames stamped for the service-time
/// figures are always parsed by the replay thread.
/// </para>
/// </remarks>
public sealed class SplitParse
{
    /// <summary>Bytes of one arena slot: a longer frame is parsed by the replay thread.</summary>
    public const int Stride = 2048;

    /// <summary>Arena slots, used in turn.</summary>
    public const int ArenaSlots = 1024;

    /// <summary>The replay thread hands frames over only while fewer than this many handed-over frames wait to be parsed (so no arena slot is reused early).</summary>
    public const int MaxPending = ArenaSlots / 2;

    /// <summary>
    /// How many slots ahead of the frame it parses the engine thread asks for the lines of the next ones, and how many
    /// lines of a slot (1 KiB: most of a 15-level book). The replay thread wrote those lines from the other core, so
    /// read on demand each one was a transfer the parse waited for — the engine thread's parse of a frame cost twice
    /// the replay thread's parse of a like frame (profile of the 520,000-frame session). Asked for a parse or two
    /// ahead, the transfers overlap with the parse. Alternating runs of that session's recording: 1.49 → 1.64 M msg/s
    /// median over 8 runs each, and 1.34 → 1.39 M in a slower phase of the host (ahead in 4 of 4 pairs); 1 slot ahead
    /// gained less, 4 the same as 2, 20 lines no more than 16.
    /// </summary>
    private const int PrefetchDistance = 2;

    private const int PrefetchLines = 16;

    // One line's worth more than the slots, so the first slot can start on a cache line (_base): a copied frame is then
    // stored in whole aligned lines.
    private readonly byte[] _arena = GC.AllocateUninitializedArray<byte>((Stride * ArenaSlots) + 64, pinned: true);
    private readonly int _base;
    private readonly UpbitMessageParser _engineParser;

    // Each thread's counter on a cache line of its own: the replay thread counts the frames it hands over (the next
    // arena slot is that count's turn), the engine thread the frames it parses, and side by side in one line, or beside
    // the references the engine reads per frame, they would take that line from each other on every frame
    // (alternating runs of the 520,000-frame session, two series: +14 % and +6 % msg/s, ahead in 13 of 14 pairs).
    private PaddedLong _handedOver;
    private PaddedLong _engineParsed;

    public SplitParse(MarketTable markets, bool addUnknownMarkets)
    {
        var options = new UpbitParserOptions { AddUnknownMarkets = addUnknownMarkets, DeferMarketResolution = true };
        ReaderParser = new UpbitMessageParser(markets, options);
        _engineParser = new UpbitMessageParser(markets, options);
        _base = CacheLines.AlignmentOffset(_arena);
    }

    /// <summary>The replay thread's parser while splitting.</summary>
    public UpbitMessageParser ReaderParser { get; }

    /// <summary>Frames the engine thread parsed (engine thread; read after it stopped).</summary>
    public long EngineParsed => _engineParsed.Value;

    /// <summary>Frames rejected by either parser or by market resolution.</summary>
    public long Rejected => ReaderParser.Rejected + _engineParser.Rejected;

    /// <summary>Replay thread: frames handed over that the engine thread has not parsed yet (one read of the engine's line a batch).</summary>
    public long Pending => _handedOver.Value - Volatile.Read(ref _engineParsed.Value);

    /// <summary>Replay thread: the arena slot the next frame copied or decoded for the engine goes to.</summary>
    public Span<byte> NextSlot() => _arena.AsSpan(_base + ((int)(_handedOver.Value & (ArenaSlots - 1)) * Stride), Stride);

    /// <summary>
    /// Replay thread: hands <paramref name="frame"/> to the engine thread unparsed, where it lies when it was decoded
    /// into <see cref="NextSlot"/>, copied into that slot otherwise. False (nothing done) for an empty frame or one
    /// longer than a slot.
    /// </summary>
    public bool TryHandOver(ReadOnlySpan<byte> frame, ref EngineEvent ev)
    {
        if (frame.IsEmpty || frame.Length > Stride)
        {
            return false;
        }

        var slot = NextSlot();
        if (!Unsafe.AreSame(ref MemoryMarshal.GetReference(frame), ref MemoryMarshal.GetReference(slot)))
        {
            NonTemporalCopy.ToAlignedSlot(frame, slot);
        }

        ev.HandedOverSlot = (int)(_handedOver.Value & (ArenaSlots - 1));
        ev.HandedOverLength = frame.Length;
        _handedOver.Value++;
        return true;
    }

    /// <summary>Asks for the first <see cref="PrefetchLines"/> lines of arena slot <paramref name="slot"/> (the arena is pinned).</summary>
    private void PrefetchSlot(int slot) => CacheLines.Prefetch(ref _arena[_base + (slot * Stride)], PrefetchLines);

    /// <summary>
    /// Replay thread, before it publishes frames it handed over: the copies into the arena are non-temporal stores,
    /// which a later ordinary store (the publish) does not wait for, so they are fenced first.
    /// </summary>
    public static void BeforePublish()
    {
        if (Sse.IsSupported)
        {
            Sse.StoreFence();
        }
    }

    /// <summary>Engine thread, before the engine handles a market event: parses a handed-over frame, then resolves the market.</summary>
    public void Complete(ref EngineEvent ev)
    {
        if (ev.HandedOverLength > 0)
        {
            PrefetchSlot((ev.HandedOverSlot + PrefetchDistance) & (ArenaSlots - 1));

            _engineParser.Parse(_arena.AsSpan(_base + (ev.HandedOverSlot * Stride), ev.HandedOverLength), 0, ref ev.Market);
            ev.HandedOverLength = 0;
            Volatile.Write(ref _engineParsed.Value, _engineParsed.Value + 1);
        }

        _engineParser.ResolveDeferredMarket(ref ev.Market);
    }
}
