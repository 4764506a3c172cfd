using System.Runtime.CompilerServices;

namespace UpbitHft.Feed.Parsing;

/// <summary>
/// The order-book unit as Upbit writes it, read in one go: <c>{"ap":N,"bp":N,"as":N,"bs":N}</c> (SIMPLE) or the same
/// with <c>ask_price</c>, <c>bid_price</c>, <c>ask_size</c>, <c>bid_size</c> (DEFAULT), no whitespace, plain JSON
/// numbers. Each key and its punctuation is one word compare instead of a string scan, a key lookup and two
/// punctuation checks. Anything else — another order, whitespace, a quoted or null value, an extra key — leaves the
/// cursor where it was, and the general reader takes the unit.
/// </summary>
internal ref partial struct JsonScanner
{
    /// <summary>The four key prefixes of one format, each with what precedes it (<c>{"</c> or <c>,"</c>) and the <c>":</c> after it.</summary>
    internal sealed class UnitKeys(string askPrice, string bidPrice, string askSize, string bidSize)
    {
        public readonly byte[] AskPrice = System.Text.Encoding.ASCII.GetBytes("{\"" + askPrice + "\":");
        public readonly byte[] BidPrice = System.Text.Encoding.ASCII.GetBytes(",\"" + bidPrice + "\":");
        public readonly byte[] AskSize = System.Text.Encoding.ASCII.GetBytes(",\"" + askSize + "\":");
        public readonly byte[] BidSize = System.Text.Encoding.ASCII.GetBytes(",\"" + bidSize + "\":");
    }

    internal static readonly UnitKeys SimpleUnit = new("ap", "bp", "as", "bs");
    internal static readonly UnitKeys DefaultUnit = new("ask_price", "bid_price", "ask_size", "bid_size");

    /// <summary>
    /// Reads one unit written exactly in <paramref name="keys"/>' form (the cursor on its <c>{</c>, nothing skipped);
    /// false, with the cursor unchanged, for any other spelling.
    /// </summary>
    public bool TryReadUnit(UnitKeys keys, out double askPrice, out double bidPrice, out double askSize, out double bidSize)
    {
        var pos = _pos;
        bidPrice = askSize = bidSize = 0;
        if (!Member(keys.AskPrice, ref pos, out askPrice)
            || !Member(keys.BidPrice, ref pos, out bidPrice)
            || !Member(keys.AskSize, ref pos, out askSize)
            || !Member(keys.BidSize, ref pos, out bidSize)
            || (uint)pos >= (uint)_buf.Length || _buf[pos] != (byte)'}')
        {
            return false;
        }

        _pos = pos + 1;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly bool Member(byte[] prefix, ref int pos, out double value)
    {
        value = 0;
        if (!_buf[pos..].StartsWith(prefix))
        {
            return false;
        }

        var at = pos + prefix.Length;
        if (NumberToken.ScanWide(_buf, at, out var token) != ParseStatus.Ok || !NumberText.ToDouble(_buf, in token, out value))
        {
            return false;
        }

        pos = token.End;
        return true;
    }
}
