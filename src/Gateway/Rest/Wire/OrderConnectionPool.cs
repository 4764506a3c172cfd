using System.Net.Security;
using System.Security.Authentication;

namespace UpbitHft.Gateway.Rest.Wire;

/// <summary>
/// The order connections: a fixed number of kept-open <see cref="Http1Connection"/>s to the REST host, opened at start
/// (<see cref="OpenAsync"/>) and replaced in the background when one breaks or the server closes it, so an order never
/// waits for a TCP or TLS handshake. An order takes any idle connection; a test order (warm-up, keep-warm) takes the one
/// idle the longest, so every connection is kept warm in turn. When none is free the caller falls back to
/// <c>HttpClient</c> — slower, never wrong.
/// </summary>
internal sealed class OrderConnectionPool : IDisposable
{
    private readonly Uri _baseUrl;
    private readonly RemoteCertificateValidationCallback? _validation;
    private readonly TimeSpan _connectTimeout;
    private readonly TimeProvider _time;
    private readonly Action _opened;
    private readonly Action<string> _log;
    private readonly Http1Connection?[] _slots;
    private readonly int[] _reconnecting;
    private readonly CancellationTokenSource _stop = new();

    public OrderConnectionPool(Uri baseUrl, int size, RemoteCertificateValidationCallback? validation, TimeSpan connectTimeout, TimeProvider time, Action opened, Action<string> log)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        _baseUrl = baseUrl;
        _validation = validation;
        _connectTimeout = connectTimeout;
        _time = time;
        _opened = opened;
        _log = log;
        _slots = new Http1Connection?[size];
        _reconnecting = new int[size];
    }

    /// <summary>Connections open and usable now.</summary>
    public int Open => _slots.Count(s => s is { IsBroken: false });

    /// <summary>Opens every connection (a failure is logged and retried in the background).</summary>
    public async Task OpenAsync(CancellationToken cancel)
    {
        await Task.WhenAll(Enumerable.Range(0, _slots.Length).Where(i => _slots[i] is null or { IsBroken: true }).Select(i => ConnectSlotAsync(i, cancel))).ConfigureAwait(false);
    }

    /// <summary>An idle, healthy connection taken for one request, or null (none free: use the fallback).</summary>
    public Http1Connection? TryTake(bool leastRecentlyUsed)
    {
        Span<int> order = stackalloc int[_slots.Length];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        if (leastRecentlyUsed)
        {
            // The longest idle first (a handful of slots: insertion sort).
            for (var i = 1; i < order.Length; i++)
            {
                for (var j = i; j > 0 && LastUsed(order[j]) < LastUsed(order[j - 1]); j--)
                {
                    (order[j], order[j - 1]) = (order[j - 1], order[j]);
                }
            }
        }

        foreach (var i in order)
        {
            var c = Volatile.Read(ref _slots[i]);
            if (c is not null && c.TryTake())
            {
                return c;
            }

            if (c is null || c.IsBroken)
            {
                Replace(i); // found closed or broken: a new one is opened in the background
            }
        }

        return null;
    }

    private long LastUsed(int slot) => Volatile.Read(ref _slots[slot])?.LastUsed ?? long.MaxValue;

    /// <summary>Gives a connection back after its request; a broken one is replaced in the background.</summary>
    public void Return(Http1Connection connection, bool broken)
    {
        if (broken)
        {
            connection.Break();
            var i = Array.IndexOf(_slots, connection);
            if (i >= 0)
            {
                Replace(i);
            }

            return;
        }

        connection.Release(_time.GetTimestamp());
    }

    private void Replace(int slot)
    {
        if (!_stop.IsCancellationRequested && Interlocked.CompareExchange(ref _reconnecting[slot], 1, 0) == 0)
        {
            _ = ConnectSlotAsync(slot, _stop.Token);
        }
    }

    private async Task ConnectSlotAsync(int slot, CancellationToken cancel)
    {
        Volatile.Write(ref _reconnecting[slot], 1);
        var delay = TimeSpan.FromMilliseconds(100);
        try
        {
            while (!cancel.IsCancellationRequested)
            {
                try
                {
                    var c = await Http1Connection.ConnectAsync(_baseUrl, _validation, _connectTimeout, cancel).ConfigureAwait(false);
                    c.Release(_time.GetTimestamp());
                    Interlocked.Exchange(ref _slots[slot], c)?.Break();
                    _opened();
                    return;
                }
                catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or AuthenticationException or OperationCanceledException && !cancel.IsCancellationRequested)
                {
                    _log($"gateway: order connection {slot + 1} to {_baseUrl.Authority} failed to open ({ex.Message}); orders use the fallback meanwhile, trying again in {delay.TotalMilliseconds:0} ms");
                    await Task.Delay(delay, _time, cancel).ConfigureAwait(false);
                    delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
                }
            }
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
        }
        finally
        {
            Volatile.Write(ref _reconnecting[slot], 0);
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        foreach (var c in _slots)
        {
            c?.Break();
        }

        _stop.Dispose();
    }
}
