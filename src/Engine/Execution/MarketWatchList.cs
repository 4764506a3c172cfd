namespace UpbitHft.Engine.Execution;

/// <summary>
/// The markets whose price must be read over REST because their feed is stale or down while a position is held.
/// Written by the engine thread (one flag per market), read by the REST watcher's thread: plain volatile flags, no lock.
/// </summary>
public sealed class MarketWatchList(int capacity)
{
    private readonly int[] _flags = new int[capacity];
    private int _count;

    /// <summary>Markets being watched (racy; for the watcher's fast "nothing to do" check).</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Starts or stops watching a market. Engine thread.</summary>
    public void Set(int marketId, bool watched)
    {
        if ((uint)marketId >= (uint)_flags.Length)
        {
            return;
        }

        var value = watched ? 1 : 0;
        if (Interlocked.Exchange(ref _flags[marketId], value) != value)
        {
            Interlocked.Add(ref _count, watched ? 1 : -1);
        }
    }

    /// <summary>Whether a market is watched. Any thread.</summary>
    public bool IsWatched(int marketId) => (uint)marketId < (uint)_flags.Length && Volatile.Read(ref _flags[marketId]) == 1;
}
