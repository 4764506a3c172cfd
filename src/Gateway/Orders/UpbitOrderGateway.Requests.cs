using UpbitHft.Gateway.Errors;
using UpbitHft.Gateway.Rest;

namespace UpbitHft.Gateway.Orders;

/// <summary>The gateway's requests that are not one order's life: test orders, clean-up, balances.</summary>
public sealed partial class UpbitOrderGateway
{
    /// <summary>A test order down the order path to <c>POST /v1/orders/test</c>: any answer from the exchange warms it.</summary>
    private async Task TestAsync(OrderCommand command, CancellationToken stop)
    {
        var n = Interlocked.Increment(ref _tests);
        var request = RentRequest();
        try
        {
            if (!TrySign(command, Identifiers.ForTest(n), request, out var refused))
            {
                _log($"gateway: the order path's test order was refused before sending ({refused}); warm-up skipped");
                return;
            }

            var r = await Rest.TestOrderAsync(request, stop).ConfigureAwait(false);
            if (r.IsSuccess || r.Error!.Code is not (UpbitErrorCode.Timeout or UpbitErrorCode.ConnectionFailed or UpbitErrorCode.NotSent))
            {
                Interlocked.Increment(ref _testsAnswered);
                if (!r.IsSuccess && n == 1)
                {
                    _log($"gateway: the exchange answered the warm-up test order with {r.Error} (the path is warm all the same)");
                }
            }
            else
            {
                Interlocked.Increment(ref _testsFailed);
                _log($"gateway: warm-up test order {n} got no answer ({r.Error})");
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        finally
        {
            ReturnRequest(request);
        }
    }

    /// <summary>Cancels the engine's open orders in <paramref name="market"/> by identifier; the owner's orders are left alone.</summary>
    private async Task CleanUpAsync(string market, CancellationToken stop)
    {
        try
        {
            var backoff = new Backoff(Options.LookupInitialDelay, Options.LookupMaxDelay);
            RestResult<List<UpbitOrder>> open;
            for (var tries = 1; !(open = await Rest.GetOpenOrdersAsync(market, stop).ConfigureAwait(false)).IsSuccess; tries++)
            {
                if (tries == 5)
                {
                    _log($"gateway: clean-up of {market}: cannot list its open orders ({open.Error}); skipped");
                    return;
                }

                await Task.Delay(backoff.Next(), Time, stop).ConfigureAwait(false);
            }

            var mine = open.Value!.Where(o => OrderIdentifiers.IsEngines(o.Identifier)).Select(o => o.Identifier!).ToList();
            foreach (var chunk in mine.Chunk(20))
            {
                foreach (var id in chunk)
                {
                    // This run's own order: its lifecycle cancels it and follows it to the end.
                    var life = _orders.Values.FirstOrDefault(o => o.Identifier == id);
                    life?.RequestCancel();
                }

                var r = await Rest.CancelOrdersByIdentifiersAsync(chunk, stop).ConfigureAwait(false);
                _log(r.IsSuccess
                    ? $"gateway: clean-up of {market}: {r.Value!.Success?.Count ?? 0} engine order(s) cancelled, {r.Value.Failed?.Count ?? 0} failed"
                    : $"gateway: clean-up of {market} failed: {r.Error}");
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    /// <summary>Reads every balance and reports each currency; requests that arrive meanwhile are served by one more read.</summary>
    private async Task RefreshBalancesAsync(CancellationToken stop)
    {
        try
        {
            var backoff = new Backoff(Options.LookupInitialDelay, Options.LookupMaxDelay);
            int asked;
            do
            {
                asked = Volatile.Read(ref _balanceRequests);
                var answers = Interlocked.Read(ref _balanceWanted);
                RestResult<List<Account>> r;
                while (!(r = await Rest.GetAccountsAsync(stop).ConfigureAwait(false)).IsSuccess)
                {
                    _log($"gateway: reading the balances failed ({r.Error}); asking again");
                    await Task.Delay(backoff.Next(), Time, stop).ConfigureAwait(false);
                }

                foreach (var a in r.Value!)
                {
                    Sink.OnBalance(new BalanceReport(a.Currency, a.Balance, a.Locked, answers));
                }

                Sink.OnBalance(BalanceReport.EndOfSnapshot(answers));
            }
            while (Interlocked.Add(ref _balanceRequests, -asked) > 0);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private static void InterlockedMax(ref long target, long value)
    {
        var seen = Interlocked.Read(ref target);
        while (value > seen)
        {
            var was = Interlocked.CompareExchange(ref target, value, seen);
            if (was == seen)
            {
                return;
            }

            seen = was;
        }
    }
}
