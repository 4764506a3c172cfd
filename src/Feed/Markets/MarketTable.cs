using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace UpbitHft.Feed.Markets;

/// <summary>
/// Maps an Upbit market code (<c>KRW-BTC</c>, as UTF-8) to a small dense id (0..Capacity-1) and back.
/// Lookups allocate nothing; adding allocates the stored copy once.
/// </summary>
/// <remarks>
/// Threading: one writer (the parser on the feed thread, or start-up code before the feed starts) and any number of
/// readers. An entry is fully written before <see cref="Count"/> is published with a release store, and the hash
/// slot is written last with a release store, so a reader that sees a slot or the count sees the whole entry.
/// </remarks>
public sealed class MarketTable
{
    /// <summary>Longest market code accepted (real ones are under 16 bytes).</summary>
    public const int MaxCodeBytes = 24;

    // Every code in one array, a fixed stride apart, with its length: a lookup compares against memory beside the
    // other codes, not an array of its own somewhere on the heap.
    private readonly byte[] _codes;
    private readonly byte[] _lengths;
    private readonly string[] _names;
    private readonly int[] _slots; // open addressing: id + 1, 0 = empty
    private readonly int _mask;
    private int _count;

    /// <summary>Creates a table holding at most <paramref name="capacity"/> markets.</summary>
    public MarketTable(int capacity = 512)
    {
        if (capacity is < 1 or > 65_536)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "Market table capacity must be 1..65536.");
        }

        Capacity = capacity;
        _codes = new byte[capacity * MaxCodeBytes];
        _lengths = new byte[capacity];
        _names = new string[capacity];
        _slots = new int[(int)BitOperations.RoundUpToPowerOf2((uint)capacity * 2)];
        _mask = _slots.Length - 1;
    }

    /// <summary>Most markets the table holds.</summary>
    public int Capacity { get; }

    /// <summary>Markets registered so far (ids 0..Count-1 are valid).</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Codes refused because the table was full.</summary>
    public long RejectedFull { get; private set; }

    /// <summary>Codes refused because they were empty, too long or not <c>[A-Z0-9-]</c>.</summary>
    public long RejectedInvalid { get; private set; }

    /// <summary>Looks a code up without adding it.</summary>
    public bool TryGetId(ReadOnlySpan<byte> utf8Code, out int id)
    {
        var slot = (int)Hash(utf8Code) & _mask;
        while (true)
        {
            var entry = Volatile.Read(ref _slots[slot]);
            if (entry == 0)
            {
                id = -1;
                return false;
            }

            if (_lengths[entry - 1] == utf8Code.Length && _codes.AsSpan((entry - 1) * MaxCodeBytes, utf8Code.Length).SequenceEqual(utf8Code))
            {
                id = entry - 1;
                return true;
            }

            slot = (slot + 1) & _mask;
        }
    }

    /// <summary>Looks a code up and adds it when absent. False (counted) when the table is full or the code invalid.</summary>
    /// <remarks>Single writer only (see the type remarks).</remarks>
    public bool TryGetOrAdd(ReadOnlySpan<byte> utf8Code, out int id)
    {
        if (TryGetId(utf8Code, out id))
        {
            return true;
        }

        return TryAddSlow(utf8Code, out id);
    }

    /// <summary>Registers a code at start-up (from the market list) and returns its id.</summary>
    /// <exception cref="InvalidOperationException">The table is full or the code is not a valid market code.</exception>
    public int GetOrAdd(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        Span<byte> utf8 = stackalloc byte[MaxCodeBytes + 1];
        if (!Encoding.UTF8.TryGetBytes(code, utf8, out var written) || !TryGetOrAdd(utf8[..written], out var id))
        {
            throw new InvalidOperationException($"Market code '{code}' cannot be registered (invalid, or the table of {Capacity} is full).");
        }

        return id;
    }

    /// <summary>The code of a registered id.</summary>
    public string GetCode(int id)
    {
        if ((uint)id >= (uint)Count)
        {
            throw new ArgumentOutOfRangeException(nameof(id), id, "No market has this id.");
        }

        return _names[id];
    }

    /// <summary>The UTF-8 code of a registered id.</summary>
    public ReadOnlySpan<byte> GetUtf8Code(int id) => (uint)id < (uint)Count ? _codes.AsSpan(id * MaxCodeBytes, _lengths[id]) : default;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool TryAddSlow(ReadOnlySpan<byte> utf8Code, out int id)
    {
        id = -1;
        if (!IsValidCode(utf8Code))
        {
            RejectedInvalid++;
            return false;
        }

        var count = _count;
        if (count >= Capacity)
        {
            RejectedFull++;
            return false;
        }

        utf8Code.CopyTo(_codes.AsSpan(count * MaxCodeBytes));
        _lengths[count] = (byte)utf8Code.Length;
        _names[count] = Encoding.ASCII.GetString(utf8Code);
        Volatile.Write(ref _count, count + 1);

        var slot = (int)Hash(utf8Code) & _mask;
        while (_slots[slot] != 0)
        {
            slot = (slot + 1) & _mask;
        }

        Volatile.Write(ref _slots[slot], count + 1);
        id = count;
        return true;
    }

    /// <summary>True for a plausible market code: 1..24 bytes of <c>[A-Z0-9-]</c>.</summary>
    public static bool IsValidCode(ReadOnlySpan<byte> code)
    {
        if (code.IsEmpty || code.Length > MaxCodeBytes)
        {
            return false;
        }

        foreach (var b in code)
        {
            if (!((b >= (byte)'A' && b <= (byte)'Z') || (b >= (byte)'0' && b <= (byte)'9') || b == (byte)'-'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The slot hash. Codes of 4–16 bytes (every real one) are read as two overlapping words — the first and the last 4
    /// or 8 bytes — and mixed by multiplication; others go byte by byte (FNV-1a). Was FNV-1a for all: with the lookup's
    /// compare, resolving markets was 5 % of the engine thread's samples in a full-speed replay.
    /// </summary>
    private static uint Hash(ReadOnlySpan<byte> data)
    {
        var n = data.Length;
        ref var b = ref MemoryMarshal.GetReference(data);
        ulong h;
        if (n is >= 8 and <= 16)
        {
            var first = Unsafe.ReadUnaligned<ulong>(ref b);
            var last = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref b, n - 8));
            h = (first * 0x9E3779B97F4A7C15UL) ^ BitOperations.RotateLeft(last * 0xC2B2AE3D27D4EB4FUL, 29) ^ (ulong)n;
        }
        else if (n is >= 4 and < 8)
        {
            var first = Unsafe.ReadUnaligned<uint>(ref b);
            var last = Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref b, n - 4));
            h = ((((ulong)first << 32) | last) * 0x9E3779B97F4A7C15UL) ^ (ulong)n;
        }
        else
        {
            var f = 2166136261u;
            foreach (var c in data)
            {
                f = (f ^ c) * 16777619u;
            }

            return f;
        }

        return (uint)((h * 0xFF51AFD7ED558CCDUL) >> 32);
    }
}
