using System.Runtime.CompilerServices;
using System.Text;

namespace UpbitHft.Feed.Parsing;

/// <summary>
/// UTF-8 key → <see cref="FieldId"/> for one object shape. A key is hashed from its length and its first and last
/// eight bytes (two unaligned loads, no loop), then verified byte for byte, so unknown keys never match by accident.
/// Built once at start-up; lookups allocate nothing.
/// </summary>
internal sealed class KeyTable
{
    private readonly byte[][] _keys;
    private readonly FieldId[] _ids;
    private readonly bool[] _simple;
    private readonly short[] _slots; // index + 1, 0 = empty
    private readonly int _mask;

    public KeyTable(params (string Key, FieldId Id, bool Simple)[] entries)
    {
        _keys = new byte[entries.Length][];
        _ids = new FieldId[entries.Length];
        _simple = new bool[entries.Length];
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
            var slot = (int)Hash(_keys[i]) & _mask;
            while (_slots[slot] != 0)
            {
                slot = (slot + 1) & _mask;
            }

            _slots[slot] = (short)(i + 1);
        }
    }

    /// <summary>Finds a key; <paramref name="simple"/> says whether it is a SIMPLE-format abbreviation.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public FieldId Find(ReadOnlySpan<byte> key, out bool simple)
    {
        var slot = (int)Hash(key) & _mask;
        while (true)
        {
            var entry = _slots[slot];
            if (entry == 0)
            {
                simple = false;
                return FieldId.Unknown;
            }

            if (_keys[entry - 1].AsSpan().SequenceEqual(key))
            {
                simple = _simple[entry - 1];
                return _ids[entry - 1];
            }

            slot = (slot + 1) & _mask;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Hash(ReadOnlySpan<byte> key)
    {
        ulong head, tail;
        var n = key.Length;
        ref var b = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(key);
        if (n >= 8)
        {
            head = Unsafe.ReadUnaligned<ulong>(ref b);
            tail = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref b, n - 8));
        }
        else if (n >= 4)
        {
            head = Unsafe.ReadUnaligned<uint>(ref b);
            tail = Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref b, n - 4));
        }
        else
        {
            head = n > 0 ? b : 0u;
            tail = n > 1 ? ((ulong)Unsafe.Add(ref b, 1) << 8) | Unsafe.Add(ref b, n - 1) : 0u;
        }

        var h = ((head * 0x9E3779B97F4A7C15UL) ^ (tail * 0xC2B2AE3D27D4EB4FUL)) + (ulong)n;
        return (uint)(h >> 32) ^ (uint)h;
    }
}
