using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace UpbitHft.Feed.Events;

/// <summary>30 doubles stored inline in the event (no per-event array).</summary>
[InlineArray(MarketEvent.MaxLevels)]
public struct LevelBuffer
{
    private double _element0;
}

/// <summary>64 bytes of an Upbit order identifier, inline.</summary>
[InlineArray(MarketEvent.MaxIdentifierBytes)]
public struct IdentifierBuffer
{
    private byte _element0;
}

/// <summary>A market code's bytes, inline (kept when the market is resolved later, on another thread).</summary>
[InlineArray(Markets.MarketTable.MaxCodeBytes)]
public struct MarketCodeBuffer
{
    private byte _element0;
}

/// <summary>Error message bytes, inline.</summary>
[InlineArray(MarketEvent.MaxErrorMessageBytes)]
public struct ErrorMessageBuffer
{
    private byte _element0;
}

/// <summary>
/// One myAsset entry: currency code (ASCII, ≤ 15 bytes), free balance and locked amount, exact: Upbit's balances can
/// carry more significant digits than a double keeps (digits beyond decimal's 28–29 are truncated, never rounded up).
/// </summary>
public struct AssetEntry
{
    public CurrencyCode Currency;
    public byte CurrencyLength;
    public decimal Balance;
    public decimal Locked;
}

/// <summary>
/// A myOrder's amounts, parsed to <see cref="decimal"/> from the wire text (values like <c>30925891.29839369</c> have
/// more significant digits than a double keeps). Cumulative for the order, except <see cref="Price"/>/<see cref="Volume"/>,
/// which on a <c>trade</c> event are the fill's own price and volume.
/// </summary>
public struct OrderAmounts
{
    public decimal Price;
    public decimal Volume;
    public decimal AvgPrice;
    public decimal RemainingVolume;
    public decimal ExecutedVolume;
    public decimal ExecutedFunds;
    public decimal PaidFee;
    public decimal TradeFee;
    public decimal Locked;
}

/// <summary>A short currency code stored inline.</summary>
[InlineArray(15)]
public struct CurrencyCode
{
    private byte _element0;
}

/// <summary>Up to <see cref="MarketEvent.MaxAssets"/> assets inline.</summary>
[InlineArray(MarketEvent.MaxAssets)]
public struct AssetBuffer
{
    private AssetEntry _element0;
}

/// <summary>An orderbook's levels: four columns of <see cref="MarketEvent.MaxLevels"/> doubles.</summary>
public struct BookLevels
{
    public LevelBuffer AskPrices;
    public LevelBuffer AskSizes;
    public LevelBuffer BidPrices;
    public LevelBuffer BidSizes;
}

/// <summary>A myOrder's identifier bytes and exact amounts.</summary>
public struct MyOrderTail
{
    public IdentifierBuffer IdentifierBytes;
    public OrderAmounts Amounts;
}

/// <summary>
/// The kind-specific part of a <see cref="MarketEvent"/>: one message is one kind, so the book, the order, the
/// assets and the error share the same bytes. This keeps a ring slot about a third smaller than laying them end to
/// end (perf-reports/ring.md, slot layout). The parser refuses a frame that carries keys of two of these parts.
/// </summary>
[StructLayout(LayoutKind.Explicit)]
internal struct MarketEventTail
{
    [FieldOffset(0)]
    public BookLevels Book;

    [FieldOffset(0)]
    public MyOrderTail MyOrder;

    [FieldOffset(0)]
    public AssetBuffer Assets;

    [FieldOffset(0)]
    public ErrorMessageBuffer ErrorMessage;
}
