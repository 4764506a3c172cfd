using System.Buffers;
using System.Collections.Concurrent;

namespace UpbitHft.Feed.Connection;

/// <summary>
/// A memory pool for the feed's pipe: fixed blocks reused across threads. The shared array pool keeps returned arrays
/// per thread/core, so blocks rented by the socket thread and returned by the consumer thread kept missing and were
/// reallocated (measured: ~190 B per message); here both the blocks and their owner objects are recycled, so a warm
/// feed allocates nothing per message.
/// </summary>
internal sealed class BlockMemoryPool : MemoryPool<byte>
{
    private readonly ConcurrentQueue<Block> _free = new();
    private readonly int _blockSize;

    public BlockMemoryPool(int blockSize)
    {
        _blockSize = blockSize;
    }

    public override int MaxBufferSize => int.MaxValue;

    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        if (minBufferSize <= _blockSize && _free.TryDequeue(out var block))
        {
            block.Rented = true;
            return block;
        }

        return new Block(this, new byte[Math.Max(minBufferSize, _blockSize)]) { Rented = true };
    }

    protected override void Dispose(bool disposing) => _free.Clear();

    private sealed class Block(BlockMemoryPool pool, byte[] array) : IMemoryOwner<byte>
    {
        public bool Rented;

        public Memory<byte> Memory => array;

        public void Dispose()
        {
            if (!Rented)
            {
                return;
            }

            Rented = false;
            if (array.Length == pool._blockSize)
            {
                pool._free.Enqueue(this);
            }
        }
    }
}
