using System.Collections.Concurrent;
using Microsoft.Extensions.ObjectPool;
using UpbitHft.Gateway.Errors;
using UpbitHft.Gateway.Rest;
using UpbitHft.Gateway.Signing;

namespace UpbitHft.Gateway.Orders;

/// <summary>
/// Real orders through Upbit's REST API. <see cref="TrySubmit"/> runs on the caller's thread — the engine's gateway
/// thread, fed by its order ring — and never blocks: an order is validated, signed (pooled signers and buffers, no
/// garbage) and written to one of the order connections right there, then followed by its own
/// <see cref="OrderLifecycle"/> — create, lookups, polls, cancel, final — so no order ever waits behind another; only
/// the token buckets of <see cref="UpbitRestClient"/> are shared.
/// </summary>
/// <remarks>
/// Idempotency: every create carries an identifier unique for all time; an order whose answer is lost is looked up
/// by that identifier before anything is sent again, and only the exchange's <c>order_not_found</c> allows a new
/// attempt. Clean-up cancels only the engine's own orders, by identifier. Balances are read on request and reported
/// per currency. <see cref="OrderCommandKind.Test"/> commands go to <c>POST /v1/orders/test</c> by the same path
/// (warm-up, keep-warm).
/// </remarks>
public sealed partial class UpbitOrderGateway : IOrderGateway, IAsyncDisposable
{
    private readonly ConcurrentDictionary<long, OrderLifecycle> _orders = new();
    private readonly List<(Task Task, OrderLifecycle? Order)> _running = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Action<string> _log;
    private readonly ObjectPool<OrderRequestSigner> _signers;
    private readonly ObjectPool<SignedOrderRequest> _requests = new DefaultObjectPool<SignedOrderRequest>(new DefaultPooledObjectPolicy<SignedOrderRequest>(), 64);
    private readonly PresignedOrders _presigned = new();
    private int _balanceRequests;
    private long _balanceWanted;
    private long _testsAnswered;
    private long _testsFailed;
    private long _tests;
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
        var keys = rest.Signer ?? throw new ArgumentException("The order gateway needs a REST client with API keys.", nameof(rest));
        _signers = new DefaultObjectPool<OrderRequestSigner>(new SignerPolicy(() => new OrderRequestSigner(keys.Credentials, validator, keys.Algorithm)), 16);
    }

    /// <summary>
    /// Called with the stamps of each traced order (the first create attempt of a command with
    /// <see cref="OrderCommand.DecidedNs"/>) once its answer is in. On the thread that read the answer.
    /// </summary>
    public Action<OrderTrace>? OrderTraced { get; init; }

    /// <summary><see cref="OrderCommandKind.Test"/> requests sent, answered by the exchange (any answer), and lost.</summary>
    public (long Sent, long Answered, long Failed) Tests => (Interlocked.Read(ref _tests), Interlocked.Read(ref _testsAnswered), Interlocked.Read(ref _testsFailed));

    internal UpbitRestClient Rest { get; }
    internal OrderValidator Validator { get; }
    internal OrderIdentifiers Identifiers { get; }
    internal IOrderEventSink Sink { get; }
    internal OrderGatewayOptions Options { get; }
    internal TimeProvider Time { get; }

    internal void Log(string line) => _log(line);

    internal SignedOrderRequest RentRequest() => _requests.Get();

    internal void ReturnRequest(SignedOrderRequest request) => _requests.Return(request);

    /// <summary>Requests signed ahead of their orders (<see cref="Presign"/>): kept, taken, dropped.</summary>
    public (long Kept, long Taken, long Dropped) Presigned => _presigned.Counts;

    /// <summary>
    /// Validates and signs a create into <paramref name="request"/> with a pooled signer (any thread). On the gateway
    /// thread, a request signed ahead for exactly this order and identifier is copied instead.
    /// </summary>
    internal bool TrySign(in OrderCommand command, string identifier, SignedOrderRequest request, out UpbitError? refused)
    {
        Span<byte> id = stackalloc byte[identifier.Length];
        System.Text.Encoding.ASCII.GetBytes(identifier, id);
        if (_presigned.TryTake(command, id, request))
        {
            refused = null;
            return true;
        }

        var signer = _signers.Get();
        try
        {
            return signer.TrySign(command, id, request, out refused);
        }
        finally
        {
            _signers.Return(signer);
        }
    }

    /// <inheritdoc/>
    /// <remarks>Does the command's first step on the calling thread (an order is signed and written here); false once disposed.</remarks>
    public bool TrySubmit(in OrderCommand command)
    {
        if (Volatile.Read(ref _disposed) == 1)
        {
            return false;
        }

        Dispatch(command);
        return true;
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
            case OrderCommandKind.Test:
                Track(TestAsync(command, _stop.Token), null);
                break;
        }
    }

    private sealed class SignerPolicy(Func<OrderRequestSigner> create) : PooledObjectPolicy<OrderRequestSigner>
    {
        public override OrderRequestSigner Create() => create();

        public override bool Return(OrderRequestSigner obj) => true;
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
