using System.Security.Cryptography;

namespace UpbitHft.Gateway.Signing;

/// <summary>
/// Random UUIDs for JWT nonces, made in batches: one call to the OS random source fills many, so an order does not
/// pay a system call for its nonce. Each is a version-4 UUID from cryptographic randomness, used once. Not
/// thread-safe: one pool per signing thread.
/// </summary>
public sealed class NoncePool
{
    private readonly byte[] _random;
    private int _next;

    /// <summary>Creates a pool refilled <paramref name="batch"/> UUIDs at a time.</summary>
    public NoncePool(int batch = 256)
    {
        _random = new byte[16 * batch];
        _next = batch; // empty: filled on first use
    }

    /// <summary>UUIDs left before the next refill.</summary>
    public int Remaining => (_random.Length / 16) - _next;

    /// <summary>Writes the next nonce as 36 lowercase UUID characters (<c>8-4-4-4-12</c>) to <paramref name="utf8"/>.</summary>
    public void Write(Span<byte> utf8)
    {
        if (Remaining == 0)
        {
            Refill();
        }

        var bytes = _random.AsSpan(16 * _next++, 16);
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x40); // version 4
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 4122 variant
        new Guid(bytes, bigEndian: true).TryFormat(utf8, out _, "D"); // RFC 4122 byte order: the version is in byte 6
    }

    /// <summary>Fills the pool ahead of need (called when the signing thread is idle, so the next orders never wait for it).</summary>
    public void Refill()
    {
        RandomNumberGenerator.Fill(_random);
        _next = 0;
    }
}
