namespace UpbitHft.Gateway.Tests.RateLimits;

/// <summary>
/// The bucket as it is specified: the last <c>limit</c> spends in order, oldest first (null: still in flight).
/// A request may go when the oldest spend is a whole window old; a correction marks surplus free spends "now",
/// newest first.
/// </summary>
internal sealed class ReferenceBucket(int limit, long window)
{
    private readonly List<(int Id, long? At)> _spends = [.. Enumerable.Range(-limit, limit).Select(i => (i, (long?)(long.MinValue / 2)))];
    private int _ids;

    private bool Free(long now, long? at) => at is { } t && now - t >= window;

    /// <summary>When the next token comes back; null while the request holding it is in flight.</summary>
    public long? NextFree => _spends[0].At is { } t ? t + window : null;

    public int? Acquire(long now)
    {
        if (!Free(now, _spends[0].At))
        {
            return null;
        }

        _spends.RemoveAt(0);
        _spends.Add((_ids, null));
        return _ids++;
    }

    public void Complete(int id, long now) => _spends[_spends.FindIndex(s => s.Id == id)] = (id, now);

    public void Correct(int remaining, long now)
    {
        var extra = _spends.Count(s => Free(now, s.At)) - remaining;
        for (var i = _spends.Count - 1; i >= 0 && extra > 0; i--)
        {
            if (Free(now, _spends[i].At))
            {
                _spends[i] = (_spends[i].Id, now);
                extra--;
            }
        }
    }
}
