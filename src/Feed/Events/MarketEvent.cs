using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace UpbitHft.Feed.Events;

/// <summary>
/// One parsed Upbit WebSocket message in the single preallocated shape the engine ring carries.
/// A mutable struct on purpose: ring slots are reused by <c>ref</c> and overwritten in place, never copied.
/// Fields that do not apply to a <see cref="Kind"/> are 0. The struct is unmanaged (no references), so a slot
/// never keeps garbage alive and can be reset with a block clear.
/// </summary>
/// <remarks>
/// Layout: every scalar lives in the head, which the parser clears before each parse; the inline buffers
/// (book levels, identifiers, assets, error text) sit in the tail and are only meaningful up to their count/length
/// fields, which live in the head. That keeps the per-parse clear small (see <see cref="ClearHead"/>).
/// </remarks>
[StructLayout(LayoutKind.Sequential)]
public struct MarketEvent
{
    /// <summary>Most levels an orderbook event carries (Upbit's maximum depth).</summary>
    public const int MaxLevels = 30;

    /// <summary>Most assets a myAsset event carries inline; more are counted in <see cref="AssetsDropped"/>.</summary>
    public const int MaxAssets = 8;

    /// <summary>Longest Upbit <c>identifier</c> (docs/upbit.md#identifiers).</summary>
    public const int MaxIdentifierBytes = 64;

    /// <summary>Bytes of an error message kept (UTF-8, raw JSON string content, truncated).</summary>
    public const int MaxErrorMessageBytes = 120;

    // ---- head: cleared on every parse -------------------------------------------------------------------------
    public MarketEventKind Kind;
    public MessageFormat Format;
    public StreamType StreamType;
    public TradeSide Side;

    /// <summary>Small integer id from the <c>MarketTable</c>; -1 when the message has no market (myAsset, status, error).</summary>
    public int MarketId;

    /// <summary>Monotonic receive stamp in nanoseconds (<c>Stopwatch</c> based), set by whoever received the frame.</summary>
    public long ReceiveTimestampNs;

    /// <summary>Exchange <c>timestamp</c> (Unix ms). A 16-digit microsecond value (seen in real captures) is scaled to ms.</summary>
    public long TimestampMs;

    /// <summary><c>trade_timestamp</c> (Unix ms) of trades, tickers and myOrder fills.</summary>
    public long TradeTimestampMs;

    /// <summary>Trade <c>sequential_id</c>: unique, not ordered, above 2^53 — always a long, never via double.</summary>
    public long SequentialId;

    /// <summary>Trade price (trade/ticker), close (candle), or the myOrder <c>price</c> (fill price on <c>trade</c>).</summary>
    public double Price;

    /// <summary>Trade volume (trade/ticker), or the myOrder <c>volume</c> (fill volume on <c>trade</c>).</summary>
    public double Volume;

    public double Open;
    public double High;
    public double Low;
    public double PrevClose;

    /// <summary>Ticker <c>acc_trade_price</c> (UTC day) or candle <c>candle_acc_trade_price</c>.</summary>
    public double AccTradePrice;

    /// <summary>Ticker <c>acc_trade_volume</c> or candle <c>candle_acc_trade_volume</c>.</summary>
    public double AccTradeVolume;

    public double AccTradePrice24h;
    public double SignedChangeRate;

    public double BestAskPrice;
    public double BestAskSize;
    public double BestBidPrice;
    public double BestBidSize;

    public double TotalAskSize;
    public double TotalBidSize;

    /// <summary>Orderbook grouping <c>level</c> (0 = none).</summary>
    public double Level;

    /// <summary>Number of valid entries in the level buffers.</summary>
    public int LevelCount;

    /// <summary>Candle interval in seconds (60 for <c>candle.1m</c>).</summary>
    public int CandleUnitSeconds;

    /// <summary>Candle start, <c>candle_date_time_utc</c>, as Unix ms.</summary>
    public long CandleStartMs;

    /// <summary>Ticker <c>market_state</c>.</summary>
    public MarketState MarketState;

    public OrderState OrderState;
    public OrderType OrderType;
    public bool IsMaker;
    public int TradesCount;
    public Guid OrderUuid;
    public Guid TradeUuid;
    public long OrderTimestampMs;
    public int IdentifierLength;

    public int AssetCount;
    public int AssetsDropped;
    public long AssetTimestampMs;

    public StatusCode Status;
    public UpbitErrorName ErrorName;

    /// <summary>
    /// Length of <see cref="MarketCode"/> when the parser left the market to be resolved later
    /// (<see cref="Parsing.UpbitParserOptions.DeferMarketResolution"/>; <see cref="MarketId"/> is then -1), else 0.
    /// </summary>
    public int MarketCodeLength;

    /// <summary>Numeric <c>error.name</c> (quotation endpoints use integers), else 0.</summary>
    public int ErrorNumber;
    public int ErrorMessageLength;

    /// <summary>
    /// Which keys the message carried (one bit per parser field). A myOrder's money fields live in the tail and are
    /// valid only when present: read them through <see cref="HasExecutedFunds"/> and its siblings.
    /// </summary>
    public ulong FieldsSeen;

    // ---- tail: valid only up to the counts above ----------------------------------------------------------------
    public MarketCodeBuffer MarketCodeBytes;

    /// <summary>The kind-specific buffers, overlapping: a message is one kind, so its book, order, assets and error never coexist.</summary>
    private MarketEventTail _tail;

    /// <summary>Orderbook: ask prices per level (valid up to <see cref="LevelCount"/>).</summary>
    [UnscopedRef]
    public ref LevelBuffer AskPrices => ref _tail.Book.AskPrices;

    /// <summary>Orderbook: ask sizes per level.</summary>
    [UnscopedRef]
    public ref LevelBuffer AskSizes => ref _tail.Book.AskSizes;

    /// <summary>Orderbook: bid prices per level.</summary>
    [UnscopedRef]
    public ref LevelBuffer BidPrices => ref _tail.Book.BidPrices;

    /// <summary>Orderbook: bid sizes per level.</summary>
    [UnscopedRef]
    public ref LevelBuffer BidSizes => ref _tail.Book.BidSizes;

    /// <summary>myOrder: the identifier's bytes (valid up to <see cref="IdentifierLength"/>).</summary>
    [UnscopedRef]
    public ref IdentifierBuffer IdentifierBytes => ref _tail.MyOrder.IdentifierBytes;

    /// <summary>A myOrder's amounts as exact decimals (valid per <see cref="FieldsSeen"/>; not cleared between parses).</summary>
    [UnscopedRef]
    public ref OrderAmounts Order => ref _tail.MyOrder.Amounts;

    /// <summary>myAsset: the assets (valid up to <see cref="AssetCount"/>).</summary>
    [UnscopedRef]
    public ref AssetBuffer Assets => ref _tail.Assets;

    /// <summary>Error: the message's bytes (valid up to <see cref="ErrorMessageLength"/>).</summary>
    [UnscopedRef]
    public ref ErrorMessageBuffer ErrorMessageBytes => ref _tail.ErrorMessage;

    /// <summary>The myOrder <c>identifier</c> as UTF-8 (empty when absent).</summary>
    [UnscopedRef]
    public ReadOnlySpan<byte> Identifier => ((ReadOnlySpan<byte>)IdentifierBytes)[..IdentifierLength];

    /// <summary>The market code of an event whose market is to be resolved later (empty otherwise).</summary>
    [UnscopedRef]
    public ReadOnlySpan<byte> MarketCode => ((ReadOnlySpan<byte>)MarketCodeBytes)[..MarketCodeLength];

    /// <summary>The error frame's message, raw JSON string content (escapes not decoded), truncated.</summary>
    [UnscopedRef]
    public ReadOnlySpan<byte> ErrorMessage => ((ReadOnlySpan<byte>)ErrorMessageBytes)[..ErrorMessageLength];

    /// <summary>The myOrder carried <c>executed_funds</c> (<see cref="OrderAmounts.ExecutedFunds"/> is valid).</summary>
    public readonly bool HasExecutedFunds => Seen(Parsing.FieldId.ExecutedFunds);

    /// <summary>The myOrder carried <c>avg_price</c>.</summary>
    public readonly bool HasAvgPrice => Seen(Parsing.FieldId.AvgPrice);

    /// <summary>The myOrder carried <c>executed_volume</c>.</summary>
    public readonly bool HasExecutedVolume => Seen(Parsing.FieldId.ExecutedVolume);

    /// <summary>The myOrder carried <c>paid_fee</c>.</summary>
    public readonly bool HasPaidFee => Seen(Parsing.FieldId.PaidFee);

    /// <summary>The myOrder carried <c>price</c> and <c>volume</c> (on a <c>trade</c> event: the fill's price and volume).</summary>
    public readonly bool HasPriceAndVolume => Seen(Parsing.FieldId.TradePrice) && Seen(Parsing.FieldId.TradeVolume);

    private readonly bool Seen(Parsing.FieldId id) => (FieldsSeen & (1UL << (int)id)) != 0;

    /// <summary>Clears every head field (kinds, counts, scalars); the tail buffers are left as they are.</summary>
    public void ClearHead()
    {
        ref var start = ref Unsafe.As<MarketEvent, byte>(ref this);
        Unsafe.InitBlockUnaligned(ref start, 0, (uint)HeadBytes);
    }

    /// <summary>
    /// Copies what a parse wrote into <paramref name="source"/> — the head, the market code left to resolve, and the
    /// kind's tail up to its counts (an order book's levels; trades, tickers and candles have none; any other kind's
    /// whole tail) — to <paramref name="destination"/>, which then reads as the same event. A thread that parses into a
    /// buffer of its own and copies the result to a ring slot writes the slot's lines in one pass instead of in scattered
    /// stores between the parse's loads; the slot's lines were last read by the consuming thread (perf-reports/throughput.md).
    /// </summary>
    public static void CopyParsed(ref MarketEvent source, ref MarketEvent destination)
    {
        Unsafe.CopyBlockUnaligned(ref Unsafe.As<MarketEvent, byte>(ref destination), ref Unsafe.As<MarketEvent, byte>(ref source), (uint)HeadBytes);
        if (source.MarketCodeLength > 0)
        {
            source.MarketCode.CopyTo(destination.MarketCodeBytes);
        }

        switch (source.Kind)
        {
            case MarketEventKind.Orderbook:
                var n = Math.Clamp(source.LevelCount, 0, MaxLevels);
                ((ReadOnlySpan<double>)source.AskPrices)[..n].CopyTo(destination.AskPrices);
                ((ReadOnlySpan<double>)source.AskSizes)[..n].CopyTo(destination.AskSizes);
                ((ReadOnlySpan<double>)source.BidPrices)[..n].CopyTo(destination.BidPrices);
                ((ReadOnlySpan<double>)source.BidSizes)[..n].CopyTo(destination.BidSizes);
                break;
            case MarketEventKind.None or MarketEventKind.Trade or MarketEventKind.Ticker or MarketEventKind.Candle or MarketEventKind.Status:
                break;
            default:
                destination._tail = source._tail;
                break;
        }
    }

    /// <summary>Size of the head: the byte offset of the first tail buffer.</summary>
    internal static readonly int HeadBytes = ComputeHeadBytes();

    private static int ComputeHeadBytes()
    {
        var probe = default(MarketEvent);
        return (int)Unsafe.ByteOffset(ref Unsafe.As<MarketEvent, byte>(ref probe), ref Unsafe.As<MarketCodeBuffer, byte>(ref probe.MarketCodeBytes));
    }
}
