namespace UpbitHft.Feed.Parsing;

/// <summary>Result of parsing one frame. Anything but <see cref="Ok"/> leaves the event's kind at None.</summary>
public enum ParseStatus : byte
{
    Ok = 0,
    /// <summary>Zero bytes, or only whitespace.</summary>
    Empty,
    /// <summary>Longer than <see cref="UpbitParserOptions.MaxFrameBytes"/>.</summary>
    TooLarge,
    /// <summary>Not JSON, or JSON with bytes after the root object.</summary>
    Malformed,
    /// <summary>The frame ends inside a value.</summary>
    Truncated,
    /// <summary>A list format (<c>JSON_LIST</c>/<c>SIMPLE_LIST</c>) or another root that is not an object.</summary>
    UnsupportedFormat,
    /// <summary>No <c>type</c>, <c>status</c>, <c>error</c> or <c>method</c> key.</summary>
    MissingType,
    /// <summary>A <c>type</c> the engine does not handle.</summary>
    UnknownType,
    /// <summary>A field the kind requires is absent (or null).</summary>
    MissingField,
    /// <summary>A field has the wrong JSON type (a string where an object belongs, an unknown enum text, …).</summary>
    WrongFieldType,
    /// <summary>A number that does not parse.</summary>
    BadNumber,
    /// <summary>NaN, infinite, negative, or absurdly large where that cannot be.</summary>
    OutOfRange,
    /// <summary>An orderbook with more than 30 levels.</summary>
    TooManyLevels,
    /// <summary>Nesting deeper than Upbit ever sends.</summary>
    TooDeep,
    /// <summary>The market code is not in the table and the table does not take new ones.</summary>
    UnknownMarket,
    /// <summary>The market code is new and the table is full.</summary>
    MarketTableFull,
    /// <summary>The market code is not <c>[A-Z0-9-]</c> or too long.</summary>
    InvalidMarketCode,

    /// <summary>
    /// Keys of two kinds' buffers in one message (orderbook units beside order amounts, assets or an error): Upbit
    /// never sends this, and those buffers share bytes in the event (<c>MarketEventTail</c>).
    /// </summary>
    MixedKinds,
}
