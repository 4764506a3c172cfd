using System.Runtime.CompilerServices;
using System.Text;

namespace UpbitHft.Feed.Parsing;

/// <summary>
/// UTF-8 key → <see cref="FieldId"/> for one object shape. A key is hashed from its length and its first and last
/// eight bytes (two unaligned loads, no loop), then verified byte for byte, so unknown keys never match by accident.
/// Built once at start-up; lookups allocate nothing. Each key also has an entry number and its literal <c>"key":</c>
/// bytes, so a parser that predicts the next key (Upbit sends them in a fixed order) can confirm it with one compare.
/// </summary>
internal sealed class KeyTable
{
    private readonly byte[][] _keys;
    private readonly ulong[] _heads;
    private readonly ulong[] _tails;
    private readonly FieldId[] _ids;
    private readonly bool[] _simple;
    private readonly byte[][] _literals; // "key":
    private readonly LiteralWords[] _words;
    private readonly short[] _slots; // index + 1, 0 = empty
    private readonly int _mask;

    public KeyTable(params (string Key, FieldId Id, bool Simple)[] entries)
    {
        _keys = new byte[entries.Length][];
        _heads = new ulong[entries.Length];
        _tails = new ulong[entries.Length];
        _ids = new FieldId[entries.Length];
        _simple = new bool[entries.Length];
        _literals = new byte[entries.Length][];
        _words = new LiteralWords[entries.Length];
        _slots = new short[256];
        while (_slots.Length < entries.Length * 4)
        {
            _slots = new short[_slots.Length * 2];
        }

        _mask = _slots.Length - 1;
        for (var i = 0; i < entries.Length; i++)
        {
            _keys[i] = Encoding.ASCII.GetBytes(entries[i].Key);
            _ids[i] = entries[i].Id;
            _simple[i] = entries[i].Simple;
            _literals[i] = Encoding.ASCII.GetBytes($"\"{entries[i].Key}\":");
            _words[i] = new LiteralWords(_literals[i], entries[i].Id, entries[i].Simple);
            if (FindEntry(_keys[i], 0) >= 0)
            {
                throw new ArgumentException($"key {entries[i].Key} is listed twice", nameof(entries));
            }

            Load(_keys[i], out _heads[i], out _tails[i]);
            var slot = (int)Hash(_keys[i]) & _mask;
            while (_slots[slot] != 0)
            {
                slot = (slot + 1) & _mask;
            }

            _slots[slot] = (short)(i + 1);
        }
    }

    /// <summary>How many keys the table holds; entry numbers run from 0 to <c>Count - 1</c>.</summary>
    public int Count => _ids.Length;

    /// <summary>Finds a key; <paramref name="simple"/> says whether it is a SIMPLE-format abbreviation.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public FieldId Find(ReadOnlySpan<byte> key, out bool simple) => Find(key, 0, out simple);

    /// <summary>
    /// Finds a key whose first bytes the caller already holds as a word (<paramref name="knownHead"/>, from
    /// <see cref="JsonScanner.ReadString(out ReadOnlySpan{byte}, out bool, out ulong)"/>; 0 when it does not).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public FieldId Find(ReadOnlySpan<byte> key, ulong knownHead, out bool simple)
    {
        var entry = FindEntry(key, knownHead);
        if (entry < 0)
        {
            simple = false;
            return FieldId.Unknown;
        }

        simple = _simple[entry];
        return _ids[entry];
    }

    /// <summary>The entry number of a key (see <see cref="Find(ReadOnlySpan{byte}, ulong, out bool)"/>), or -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int FindEntry(ReadOnlySpan<byte> key, ulong knownHead)
    {
        ulong head, tail;
        if (knownHead != 0)
        {
            head = knownHead; // a key under 8 bytes: no tail word
            tail = 0;
        }
        else
        {
            Load(key, out head, out tail);
        }

        var slot = (int)Mix(head, tail, key.Length) & _mask;
        while (true)
        {
            var entry = _slots[slot] - 1;
            if (entry < 0)
            {
                return -1;
            }

            // Head and tail words cover every byte of a key up to 16 bytes; longer keys also compare the middle.
            if (_heads[entry] == head && _tails[entry] == tail && _keys[entry].Length == key.Length
                && (key.Length <= 16 || _keys[entry].AsSpan(8, key.Length - 16).SequenceEqual(key.Slice(8, key.Length - 16))))
            {
                return entry;
            }

            slot = (slot + 1) & _mask;
        }
    }

    /// <summary>What entry <paramref name="entry"/> means.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public FieldId IdOf(int entry) => _words[entry].Id;

    /// <summary>Whether entry <paramref name="entry"/> is a SIMPLE-format abbreviation.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsSimple(int entry) => _words[entry].Simple;

    /// <summary>Entry <paramref name="entry"/> as it appears in a frame: <c>"key":</c>.</summary>
    public ReadOnlySpan<byte> LiteralOf(int entry) => _literals[entry];

    /// <summary>
    /// The length of entry <paramref name="entry"/>'s <c>"key":</c> when <paramref name="rest"/> starts with it, else 0.
    /// Up to 24 bytes it is one to three word compares (a literal is at least 4 bytes); near the end of a frame or for
    /// a longer key, a span compare.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int MatchLiteral(int entry, ReadOnlySpan<byte> rest)
    {
        ref readonly var w = ref _words[entry];
        if (BitConverter.IsLittleEndian && rest.Length >= 24 && w.Length <= 24)
        {
            ref var r = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(rest);
            if ((Unsafe.ReadUnaligned<ulong>(ref r) & w.HeadMask) != w.Head)
            {
                return 0;
            }

            if (w.Length > 8 && (Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref r, w.Length - 8)) != w.Tail
                || (w.Length > 16 && Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref r, 8)) != w.Middle)))
            {
                return 0;
            }

            return w.Length;
        }

        return rest.StartsWith(_literals[entry]) ? w.Length : 0;
    }

    private static uint Hash(ReadOnlySpan<byte> key)
    {
        Load(key, out var head, out var tail);
        return Mix(head, tail, key.Length);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Mix(ulong head, ulong tail, int length)
    {
        var h = ((head * 0x9E3779B97F4A7C15UL) ^ (tail * 0xC2B2AE3D27D4EB4FUL)) + (ulong)length;
        return (uint)(h >> 32) ^ (uint)h;
    }

    /// <summary>The first and last eight bytes of a key (overlapping for 8–15 bytes; zero-extended below 8).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Load(ReadOnlySpan<byte> key, out ulong head, out ulong tail)
    {
        var n = key.Length;
        ref var b = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(key);
        if (n >= 8)
        {
            head = Unsafe.ReadUnaligned<ulong>(ref b);
            tail = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref b, n - 8));
            return;
        }

        ulong word = 0;
        for (var i = 0; i < n; i++)
        {
            word |= (ulong)Unsafe.Add(ref b, i) << (8 * i);
        }

        head = word;
        tail = 0;
    }

    /// <summary>
    /// A literal as words (its first eight bytes, masked below eight; bytes 8–15; its last eight bytes), with what the
    /// key means, so that a predicted key costs one cache line.
    /// </summary>
    private readonly struct LiteralWords
    {
        public readonly FieldId Id;
        public readonly bool Simple;
        public readonly ulong Head;
        public readonly ulong HeadMask;
        public readonly ulong Middle;
        public readonly ulong Tail;
        public readonly int Length;

        public LiteralWords(byte[] literal, FieldId id, bool simple)
        {
            Id = id;
            Simple = simple;
            Length = literal.Length;
            var padded = new byte[Math.Max(24, literal.Length)];
            literal.CopyTo(padded, 0);
            Head = BitConverter.ToUInt64(padded, 0);
            HeadMask = literal.Length >= 8 ? ulong.MaxValue : (1UL << (8 * literal.Length)) - 1;
            Middle = BitConverter.ToUInt64(padded, 8);
            Tail = literal.Length >= 8 ? BitConverter.ToUInt64(literal, literal.Length - 8) : 0;
        }
    }
}
