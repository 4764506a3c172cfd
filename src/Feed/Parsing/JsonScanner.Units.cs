using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace UpbitHft.Feed.Parsing;

/// <summary>
/// The order-book unit as Upbit writes it, read in one go: <c>{"ap":N,"bp":N,"as":N,"bs":N}</c> (SIMPLE) or the same
/// with <c>ask_price</c>, <c>bid_price</c>, <c>ask_size</c>, <c>bid_size</c> (DEFAULT), no whitespace, plain JSON
/// numbers. Each key and its punctuation is two word loads and a masked compare (<see cref="KeyWords"/>) instead of a
/// string scan, a key lookup and two punctuation checks, and each number of the usual spelling goes straight to its
/// double (<see cref="NumberToken.TryShortDouble"/> up to 15 characters, <see cref="NumberToken.TryWideDouble"/>
/// beyond; any other spelling through a <see cref="NumberToken"/>). Anything else — another order, whitespace, a
/// quoted or null value, an extra key — leaves the cursor where it was, and the general reader takes the unit.
/// </summary>
internal ref partial struct JsonScanner
{
    /// <summary>The four key prefixes of one format, each with what precedes it (<c>{"</c> or <c>,"</c>) and the <c>":</c> after it.</summary>
    internal sealed class UnitKeys(string askPrice, string bidPrice, string askSize, string bidSize)
    {
        public readonly KeyWords AskPrice = new("{\"" + askPrice + "\":");
        public readonly KeyWords BidPrice = new(",\"" + bidPrice + "\":");
        public readonly KeyWords AskSize = new(",\"" + askSize + "\":");
        public readonly KeyWords BidSize = new(",\"" + bidSize + "\":");

        /// <summary>
        /// Whether a unit of these keys can be read in one register (<see cref="ReadCompactUnits"/>): each key's
        /// prefix is <see cref="CompactKey"/> bytes, without a digit or a point.
        /// </summary>
        public readonly bool Compact = Fits(askPrice) && Fits(bidPrice) && Fits(askSize) && Fits(bidSize);

        private static bool Fits(string key) => key.Length + 4 == CompactKey && !key.Any(c => char.IsAsciiDigit(c) || c == '.');
    }

    /// <summary>
    /// A key prefix of at most 16 bytes as two little-endian words and their masks: where 16 bytes can be loaded, a
    /// match is two loads, two XORs and a test, not a call to compare spans.
    /// </summary>
    internal sealed class KeyWords
    {
        public readonly byte[] Bytes;
        public readonly ulong Low;
        public readonly ulong LowMask;
        public readonly ulong High;
        public readonly ulong HighMask;

        public KeyWords(string prefix)
        {
            Bytes = System.Text.Encoding.ASCII.GetBytes(prefix);
            if (Bytes.Length > 16)
            {
                throw new ArgumentException("A unit key prefix is at most 16 bytes.", nameof(prefix));
            }

            Span<byte> padded = stackalloc byte[16];
            Span<byte> mask = stackalloc byte[16];
            padded.Clear();
            mask.Clear();
            Bytes.CopyTo(padded);
            mask[..Bytes.Length].Fill(0xFF);
            Low = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(padded);
            High = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(padded[8..]);
            LowMask = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(mask);
            HighMask = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(mask[8..]);
        }
    }

    internal static readonly UnitKeys SimpleUnit = new("ap", "bp", "as", "bs");
    internal static readonly UnitKeys DefaultUnit = new("ask_price", "bid_price", "ask_size", "bid_size");

    /// <summary>
    /// Reads one unit written exactly in <paramref name="keys"/>' form (the cursor on its <c>{</c>, nothing skipped);
    /// false, with the cursor unchanged, for any other spelling. Inlined into the units loop: the values go straight
    /// to the event's slots, with no call per unit (8 % of a frame's parse on the 520k session, in-process A/B).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
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
    private readonly bool Member(KeyWords prefix, ref int pos, out double value)
    {
        value = 0;
        if (BitConverter.IsLittleEndian && pos <= _buf.Length - 16)
        {
            ref var at0 = ref Unsafe.Add(ref MemoryMarshal.GetReference(_buf), pos);
            var low = Unsafe.ReadUnaligned<ulong>(ref at0);
            var high = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref at0, 8));
            if ((((low ^ prefix.Low) & prefix.LowMask) | ((high ^ prefix.High) & prefix.HighMask)) != 0)
            {
                return false;
            }
        }
        else if (!_buf[pos..].StartsWith(prefix.Bytes))
        {
            return false;
        }

        var at = pos + prefix.Bytes.Length;
        if (NumberToken.TryShortDouble(_buf, at, out value, out var end) || NumberToken.TryWideDouble(_buf, at, out value, out end))
        {
            pos = end;
            return true;
        }

        if (NumberToken.ScanWide(_buf, at, out var token) != ParseStatus.Ok || !NumberText.ToDouble(_buf, in token, out value))
        {
            return false;
        }

        pos = token.End;
        return true;
    }
}
