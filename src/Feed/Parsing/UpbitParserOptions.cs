namespace UpbitHft.Feed.Parsing;

/// <summary>Options of <see cref="UpbitMessageParser"/>.</summary>
public sealed record UpbitParserOptions
{
    /// <summary>
    /// Whether a market code not yet in the table is added (bounded by its capacity) or rejected with
    /// <see cref="ParseStatus.UnknownMarket"/>. Live trading registers the market list first and rejects strangers;
    /// replay of a file without a market list adds them.
    /// </summary>
    public bool AddUnknownMarkets { get; init; } = true;

    /// <summary>
    /// Leave the market code in the event (<see cref="Events.MarketEvent.MarketCode"/>, <c>MarketId</c> -1) instead of
    /// looking it up: the parser then never touches the market table, so parsers on several threads can share one
    /// table whose single writer resolves the codes in frame order with
    /// <see cref="UpbitMessageParser.ResolveDeferredMarket"/> (a full-speed replay parsing on both cores). An invalid
    /// or escaped code is still rejected here.
    /// </summary>
    public bool DeferMarketResolution { get; init; }

    /// <summary>Largest frame accepted; also the size of the scratch buffer for frames that straddle segments.</summary>
    public int MaxFrameBytes { get; init; } = 256 * 1024;

    /// <summary>Largest price or size accepted; a bigger number is treated as corrupt (the largest real totals are ~1e11).</summary>
    public double MaxMagnitude { get; init; } = 1e15;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for values that make no sense.</summary>
    public void Validate()
    {
        if (MaxFrameBytes is < 1024 or > 64 * 1024 * 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxFrameBytes), MaxFrameBytes, "MaxFrameBytes must be 1 KiB..64 MiB.");
        }

        if (!(MaxMagnitude > 0) || double.IsInfinity(MaxMagnitude))
        {
            throw new ArgumentOutOfRangeException(nameof(MaxMagnitude), MaxMagnitude, "MaxMagnitude must be a positive finite number.");
        }
    }
}
