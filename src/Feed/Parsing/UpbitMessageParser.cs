using System.Buffers;
using System.Runtime.CompilerServices;
using UpbitHft.Feed.Events;
using UpbitHft.Feed.Markets;

namespace UpbitHft.Feed.Parsing;

/// <summary>
/// Parses one Upbit WebSocket frame (DEFAULT or SIMPLE format; trade, ticker, orderbook, candle.*, myOrder, myAsset,
/// the status keep-alive, error frames) straight from UTF-8 into a ring slot, without allocating.
/// </summary>
/// <remarks>
/// Owned by one thread (the feed thread that writes the ring); the counters are plain fields for that reason.
/// Keys may come in any order; unknown keys are skipped (validated); a null is treated as an absent field.
/// Any failure leaves <see cref="MarketEvent.Kind"/> at <see cref="MarketEventKind.None"/> — a half-filled event is
/// never reported valid. The method never throws on any input.
/// </remarks>
public sealed partial class UpbitMessageParser
{
    private readonly MarketTable _markets;
    private readonly UpbitParserOptions _options;
    private readonly byte[] _scratch;
    private readonly long[] _counts;

    // Key prediction (ParseRoot): for each kind and each top-level key entry (plus "start" and "after an unknown
    // key"), the entry that followed it last time, plus one (0 = none yet). Learned per parser, so per thread.
    private readonly int _nextKeyStride = UpbitKeys.TopLevel.Count + 2;
    private readonly short[] _nextKey;
    private long _keysPredicted;

    /// <summary>Creates a parser writing market ids from <paramref name="markets"/>.</summary>
    public UpbitMessageParser(MarketTable markets, UpbitParserOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(markets);
        _markets = markets;
        _options = options ?? new UpbitParserOptions();
        _options.Validate();
        _scratch = new byte[_options.MaxFrameBytes];
        _counts = new long[Enum.GetValues<ParseStatus>().Length];
        _nextKey = new short[(Enum.GetValues<MarketEventKind>().Length + 1) * _nextKeyStride];
    }

    /// <summary>The market table this parser resolves codes with.</summary>
    public MarketTable Markets => _markets;

    /// <summary>How many frames ended with <paramref name="status"/> (owner thread; a racy read elsewhere is fine for metrics).</summary>
    public long Count(ParseStatus status) => _counts[(int)status];

    /// <summary>Top-level keys read by prediction (the key this kind had after the previous one last time) rather than scanned and hashed.</summary>
    internal long KeysPredicted => _keysPredicted;

    /// <summary>Frames that did not parse, all reasons together.</summary>
    public long Rejected
    {
        get
        {
            long total = 0;
            for (var i = 1; i < _counts.Length; i++)
            {
                total += _counts[i];
            }

            return total;
        }
    }

    /// <summary>Parses a frame held in one contiguous span.</summary>
    public ParseStatus Parse(ReadOnlySpan<byte> frame, long receiveTimestampNs, ref MarketEvent ev)
    {
        ev.ClearHead();
        ev.MarketId = -1;
        ev.ReceiveTimestampNs = receiveTimestampNs;
        var status = frame.Length > _options.MaxFrameBytes ? ParseStatus.TooLarge : ParseRoot(frame, ref ev);
        if (status != ParseStatus.Ok)
        {
            ev.Kind = MarketEventKind.None;
        }

        _counts[(int)status]++;
        return status;
    }

    /// <summary>Parses a frame that may straddle pipe segments: the single-segment case goes straight to the span path.</summary>
    public ParseStatus Parse(in ReadOnlySequence<byte> frame, long receiveTimestampNs, ref MarketEvent ev)
    {
        if (frame.IsSingleSegment)
        {
            return Parse(frame.FirstSpan, receiveTimestampNs, ref ev);
        }

        return ParseMultiSegment(frame, receiveTimestampNs, ref ev);
    }

    /// <summary>
    /// Frames split across segments are copied once into a preallocated scratch buffer: Upbit frames are a few KB,
    /// so one copy is cheaper than a segment-aware tokenizer on every byte, and it keeps one validated scanner.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private ParseStatus ParseMultiSegment(in ReadOnlySequence<byte> frame, long receiveTimestampNs, ref MarketEvent ev)
    {
        if (frame.Length > _scratch.Length)
        {
            ev.ClearHead();
            ev.MarketId = -1;
            ev.ReceiveTimestampNs = receiveTimestampNs;
            _counts[(int)ParseStatus.TooLarge]++;
            return ParseStatus.TooLarge;
        }

        var length = (int)frame.Length;
        frame.CopyTo(_scratch);
        return Parse(_scratch.AsSpan(0, length), receiveTimestampNs, ref ev);
    }

    private ParseStatus ResolveMarket(ReadOnlySpan<byte> code, bool escaped, ref MarketEvent ev)
    {
        if (_markets.TryGetId(code, out var id))
        {
            ev.MarketId = id;
            return ParseStatus.Ok;
        }

        if (escaped || !MarketTable.IsValidCode(code))
        {
            return ParseStatus.InvalidMarketCode;
        }

        if (!_options.AddUnknownMarkets)
        {
            return ParseStatus.UnknownMarket;
        }

        if (!_markets.TryGetOrAdd(code, out id))
        {
            return ParseStatus.MarketTableFull;
        }

        ev.MarketId = id;
        return ParseStatus.Ok;
    }

    /// <summary>
    /// Resolves the market of an event parsed by a parser with <see cref="UpbitParserOptions.DeferMarketResolution"/>
    /// (any instance, any thread): looks its kept code up, or adds it as this parser's options say. A code that cannot
    /// be resolved makes the event <see cref="MarketEventKind.None"/> and is counted here as a rejection. Call it on the
    /// market table's single writer thread, in frame order, so that ids come out as a one-thread parse gives them.
    /// </summary>
    public ParseStatus ResolveDeferredMarket(ref MarketEvent ev)
    {
        if (ev.MarketCodeLength == 0 || ev.Kind == MarketEventKind.None)
        {
            return ParseStatus.Ok;
        }

        var status = ResolveMarket(ev.MarketCode, escaped: false, ref ev);
        ev.MarketCodeLength = 0;
        if (status != ParseStatus.Ok)
        {
            ev.Kind = MarketEventKind.None;
            _counts[(int)status]++;
        }

        return status;
    }

    /// <summary>Deferred resolution: checks the code as <see cref="ResolveMarket"/> would before adding, and keeps it in the event.</summary>
    private static ParseStatus KeepCode(ReadOnlySpan<byte> code, bool escaped, ref MarketEvent ev)
    {
        // A registered code is always valid, so rejecting an invalid or escaped one first gives ResolveMarket's answer.
        if (escaped || !MarketTable.IsValidCode(code))
        {
            return ParseStatus.InvalidMarketCode;
        }

        code.CopyTo(ev.MarketCodeBytes);
        ev.MarketCodeLength = code.Length;
        return ParseStatus.Ok;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Bit(FieldId id) => 1UL << (int)id;
}
