using System.Collections.Concurrent;
using System.Threading.Channels;
using UpbitHft.Gateway.Errors;
using UpbitHft.Gateway.Rest;

namespace UpbitHft.Gateway.Orders;

/// <summary>
/// Real orders through Upbit's REST API, off the engine thread. Commands go into a bounded queue (overflow policy:
/// <see cref="TrySubmit"/> returns false and nothing is sent; the engine records the refusal). A dispatcher hands each
/// order to its own <see cref="OrderLifecycle"/> — create, lookups, polls, cancel, final — so no order ever waits
/// behind another's; only the token buckets of <see cref="UpbitRestClient"/> are shared.
/// </summary>
/// <remarks>
/// Idempotency: every create carries an identifier unique for all time; an order whose answer is lost is looked up
/// by that identifier before anything is sent again, and only the exchange's <c>order_not_found</c> allows a new
/// attempt. Clean-up cancels only the engine's own orders, by identifier. Balances are read on request and reported
/// per currency.
/// </remarks>
public sealed class UpbitOrderGateway : IOrderGateway, IAsyncDisposable
{
    private readonly Channel<OrderCommand> _queue;
    private readonly ConcurrentDictionary<long, OrderLifecycle> _orders = new();
    private readonly List<(Task Task, OrderLifecycle? Order)> _running = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Action<string> _log;
    private readonly Task _dispatcher;
    private int _balanceRequests;
    private long _balanceWanted;
    private long _refused;
    private int _disposed;

    public UpbitOrderGateway(UpbitRestClient rest, OrderValidator validator, OrderIdentifiers identifiers, IOrderEventSink sink, Action<string>? log = null,
        OrderGatewayOptions? options = null, TimeProvider? time = null)
    {
        Rest = rest;
        Validator = validator;
        Identifiers = identifiers;
        Sink = sink;
        Options = options ?? new OrderGatewayOptions();
        Time = time ?? TimeProvider.System;
        _log = log ?? (line => Console.Error.WriteLine(line));
        // Wait mode: a full queue makes TryWrite return false (DropWrite would return true and drop the command).
        _queue = Channel.CreateBounded<OrderCommand>(new BoundedChannelOptions(Options.QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _dispatcher = Task.Run(DispatchAsync);
    }

    /// <summary>
    /// Called when a create request is signed and ready to send, with the command's <see cref="OrderCommand.OriginNs"/>
    /// (only for commands that carry one): where tick-to-order ends in live mode.
    /// </summary>
    public Action<long>? OrderRequestReady { get; init; }

    /// <summary>Commands refused because the queue was full.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    internal UpbitRestClient Rest { get; }
    internal OrderValidator Validator { get; }
    internal OrderIdentifiers Identifiers { get; }
    internal IOrderEventSink Sink { get; }
    internal OrderGatewayOptions Options { get; }
    internal TimeProvider Time { get; }

    internal void Log(string line) => _log(line);

    /// <inheritdoc/>
    public bool TrySubmit(in OrderCommand command)
    {
        if (_queue.Writer.TryWrite(command))
        {
            return true;
        }

        Interlocked.Increment(ref _refused);
        return false;
    }

    /// <summary>
    /// Stops taking commands, gives market orders in flight <see cref="OrderGatewayOptions.ShutdownGrace"/> to reach a
    /// final state (their answers matter for the run's report), then stops every lifecycle.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _queue.Writer.TryComplete();
        await _dispatcher.ConfigureAwait(false);
        Task[] inFlight;
        lock (_running)
        {
            inFlight = [.. _running.Where(r => r.Order is { IsResting: false }).Select(r => r.Task)];
        }

        try
        {
            await Task.WhenAll(inFlight).WaitAsync(Options.ShutdownGrace, Time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _log($"gateway: {inFlight.Count(t => !t.IsCompleted)} order(s) still not final at shutdown; the next start resolves them");
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        Task[] all;
        lock (_running)
        {
            all = [.. _running.Select(r => r.Task)];
        }

        await Task.WhenAll(all).ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task DispatchAsync()
    {
        await foreach (var command in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            Dispatch(command);
        }
    }

    /// <summary>Never awaits: every command starts or signals work that runs on its own.</summary>
    private void Dispatch(in OrderCommand command)
    {
        switch (command.Kind)
        {
            case OrderCommandKind.MarketBuy:
            case OrderCommandKind.MarketSell:
            case OrderCommandKind.LimitSell:
                var order = new OrderLifecycle(this, command);
                if (!_orders.TryAdd(command.IntentId, order))
                {
                    _log($"gateway: intent {command.IntentId} was submitted twice; the second submission is ignored");
                    return;
                }

                Track(order.RunAsync(_stop.Token), order);
                break;
            case OrderCommandKind.Cancel:
                if (_orders.TryGetValue(command.TargetIntentId, out var target))
                {
                    if (target.Final is { } final)
                    {
                        Sink.OnOrderEvent(final); // already final: say so again
                    }
                    else
                    {
                        target.RequestCancel();
                    }
                }
                else
                {
                    Sink.OnOrderEvent(new OrderEvent(OrderEventKind.Rejected, command.TargetIntentId, command.MarketId, null, null, 0, 0, 0,
                        new UpbitError(UpbitErrorCode.OrderNotFound, 0, "unknown_intent", $"no order of intent {command.TargetIntentId} was sent by this run")));
                }

                break;
            case OrderCommandKind.Refresh:
                if (_orders.TryGetValue(command.TargetIntentId, out var asked))
                {
                    if (asked.Final is { } done)
                    {
                        Sink.OnOrderEvent(done);
                    }
                    else
                    {
                        asked.RequestRefresh();
                    }
                }

                break;
            case OrderCommandKind.CleanUp:
                Track(CleanUpAsync(command.Market, _stop.Token), null);
                break;
            case OrderCommandKind.RefreshBalances:
                InterlockedMax(ref _balanceWanted, command.IntentId);
                if (Interlocked.Increment(ref _balanceRequests) == 1)
                {
                    Track(RefreshBalancesAsync(_stop.Token), null);
                }

                break;
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

    private void Track(Task task, OrderLifecycle? order)
    {
        lock (_running)
        {
            _running.RemoveAll(r => r.Task.IsCompleted);
            _running.Add((task, order));
        }
    }
}
