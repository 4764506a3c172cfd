using System.Runtime.CompilerServices;

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

/// <summary>Error message bytes, inline.</summary>
[InlineArray(MarketEvent.MaxErrorMessageBytes)]
public struct ErrorMessageBuffer
{
    private byte _element0;
}

/// <summary>One myAsset entry: currency code (ASCII, ≤ 15 bytes), free balance and locked amount.</summary>
public struct AssetEntry
{
    public CurrencyCode Currency;
    public byte CurrencyLength;
    public double Balance;
    public double Locked;
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
