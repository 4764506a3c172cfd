using System.Collections.Concurrent;
using System.Threading.Channels;
using UpbitHft.Gateway.Errors;
using UpbitHft.Gateway.Rest;

namespace UpbitHft.Gateway.Orders;

/// <summary>
/// Real orders through Upbit's REST API, off the engine thread: commands go into a bounded single-reader queue
/// (overflow policy: <see cref="TrySubmit"/> returns false and nothing is sent — the engine records a refusal) and
/// one worker executes them in order.
/// </summary>
/// <remarks>
/// Idempotency (DESIGN.md §4): every create carries an identifier unique for all time. When the answer is lost —
/// timeout, dropped connection, 5xx — or Upbit says <c>duplicated_identifier</c>, the worker first asks
/// <c>GET /v1/order?identifier=</c>; only an <c>order_not_found</c> answer lets it send again, under a new identifier.
/// No path creates two orders for one intent. After acceptance it polls the order until it is final (market orders
/// finish within moments; a market buy may end in <c>cancel</c> with a fill, reported as
/// <see cref="OrderEventKind.Cancelled"/> with its executed volume).
/// </remarks>
public sealed class UpbitOrderGateway : IOrderGateway, IAsyncDisposable
{
    private readonly UpbitRestClient _rest;
    private readonly OrderValidator _validator;
    private readonly OrderIdentifiers _identifiers;
    private readonly IOrderEventSink _sink;
    private readonly Action<string> _log;
    private readonly Channel<OrderCommand> _queue = Channel.CreateBounded<OrderCommand>(new BoundedChannelOptions(1024) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });
    private readonly ConcurrentDictionary<long, (string Identifier, string? Uuid)> _placed = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _worker;

    public UpbitOrderGateway(UpbitRestClient rest, OrderValidator validator, OrderIdentifiers identifiers, IOrderEventSink sink, Action<string>? log = null)
    {
        _rest = rest;
        _validator = validator;
        _identifiers = identifiers;
        _sink = sink;
        _log = log ?? (line => Console.Error.WriteLine(line));
        _worker = Task.Run(RunAsync);
    }

    /// <summary>How often a lookup after an unknown outcome is retried before giving up (with a pause between).</summary>
    public int MaxLookups { get; init; } = 20;

    /// <summary>How many final-state polls after acceptance.</summary>
    public int MaxPolls { get; init; } = 50;

    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Create attempts (new identifiers) allowed per intent when the exchange confirms the previous one was not placed.</summary>
    public int MaxAttempts { get; init; } = OrderIdentifiers.DefaultMaxAttempts;

    /// <summary>
    /// Called on the gateway's worker when a create request is signed and ready to send, with the command's
    /// <see cref="OrderCommand.OriginNs"/> (only for commands that carry one): where tick-to-order ends in live mode.
    /// </summary>
    public Action<long>? OrderRequestReady { get; init; }

    /// <inheritdoc/>
    public bool TrySubmit(in OrderCommand command) => _queue.Writer.TryWrite(command);

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        try
        {
            await _worker.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            Task[] pending;
            lock (_background)
            {
                pending = [.. _background];
            }

            await Task.WhenAll(pending).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false); // final states still get reported
        }
        catch (TimeoutException)
        {
            await _stop.CancelAsync().ConfigureAwait(false);
        }

        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        await foreach (var command in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                switch (command.Kind)
                {
                    case OrderCommandKind.Cancel:
                        await CancelAsync(command).ConfigureAwait(false);
                        break;
                    case OrderCommandKind.Refresh:
                        await RefreshAsync(command).ConfigureAwait(false);
                        break;
                    case OrderCommandKind.CancelAllForMarket:
                        // A clean-up after an exit, limited to one request per 2 s by Upbit: never in front of an order.
                        Track(CancelAllAsync(command.Market));
                        break;
                    default:
                        await CreateAsync(command).ConfigureAwait(false);
                        break;
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task CreateAsync(OrderCommand cmd)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var identifier = _identifiers.For(cmd.IntentId, attempt);
            if (!_validator.TryBuild(cmd, identifier, out var body, out var refused))
            {
                Report(OrderEventKind.Rejected, cmd, identifier, null, refused);
                return;
            }

            var origin = cmd.OriginNs;
            var ready = OrderRequestReady;
            var created = await _rest.CreateOrderAsync(body, _stop.Token, origin > 0 && ready is not null && attempt == 0 ? () => ready(origin) : null).ConfigureAwait(false);
            if (created.IsSuccess)
            {
                await AcceptedAsync(cmd, identifier, created.Value!).ConfigureAwait(false);
                return;
            }

            var error = created.Error!;
            if (!error.OutcomeUnknown && error.Code != UpbitErrorCode.DuplicatedIdentifier)
            {
                Report(OrderEventKind.Rejected, cmd, identifier, null, error); // a definitive no: nothing was placed
                return;
            }

            // The order may exist. Ask before anything else.
            _log($"gateway: create of intent {cmd.IntentId} ({identifier}) ended {error.Code}; looking it up by identifier");
            var (found, notFound) = await LookupAsync(identifier).ConfigureAwait(false);
            if (found is not null)
            {
                await AcceptedAsync(cmd, identifier, found).ConfigureAwait(false);
                return;
            }

            if (!notFound)
            {
                // Still unknown after every lookup: never resend blindly. Report it loudly; reconciliation resolves it.
                Report(OrderEventKind.Rejected, cmd, identifier, null, new UpbitError(UpbitErrorCode.Timeout, 0, "unresolved", $"order {identifier} could not be confirmed or denied; not resent"));
                return;
            }

            // Confirmed not placed: a new identifier (the old one is burned even though it failed).
        }

        Report(OrderEventKind.Rejected, cmd, null, null, new UpbitError(UpbitErrorCode.NotSent, 0, "attempts_exhausted", $"intent {cmd.IntentId} was not placed after {MaxAttempts} attempts"));
    }

    private async Task<(UpbitOrder? Found, bool NotFound)> LookupAsync(string identifier)
    {
        for (var i = 0; i < MaxLookups; i++)
        {
            var r = await _rest.GetOrderAsync(null, identifier, _stop.Token).ConfigureAwait(false);
            if (r.IsSuccess)
            {
                return (r.Value, false);
            }

            if (r.Error!.Code == UpbitErrorCode.OrderNotFound)
            {
                return (null, true);
            }

            await Task.Delay(PollInterval * (i + 1), _stop.Token).ConfigureAwait(false);
        }

        return (null, false);
    }

    private Task AcceptedAsync(OrderCommand cmd, string identifier, UpbitOrder order)
    {
        _placed[cmd.IntentId] = (identifier, order.Uuid);
        Report(OrderEventKind.Accepted, cmd, identifier, order, null);
        if (cmd.Kind == OrderCommandKind.LimitSell)
        {
            return Task.CompletedTask; // rests; its fills arrive through the private feed (myOrder)
        }

        // Polled beside the worker, not on it: the next order (a stop in another market, say) must never wait
        // behind the polling of this one. The private feed usually reports the fill first anyway.
        Track(PollUntilFinalAsync(cmd, identifier, order));
        return Task.CompletedTask;
    }

    private readonly List<Task> _background = [];

    private async Task CancelAllAsync(string market)
    {
        try
        {
            var result = await _rest.CancelOpenOrdersAsync([market], _stop.Token).ConfigureAwait(false);
            if (!result.IsSuccess)
            {
                _log($"gateway: cancel-all for {market} failed: {result.Error}");
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }

    private void Track(Task task)
    {
        lock (_background)
        {
            _background.RemoveAll(t => t.IsCompleted);
            _background.Add(task);
        }
    }

    private async Task PollUntilFinalAsync(OrderCommand cmd, string identifier, UpbitOrder order)
    {
        try
        {
            await PollAsync(cmd, identifier, order).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }

    private async Task PollAsync(OrderCommand cmd, string identifier, UpbitOrder order)
    {
        for (var i = 0; i < MaxPolls && order.IsOpen; i++)
        {
            await Task.Delay(PollInterval, _stop.Token).ConfigureAwait(false);
            var r = await _rest.GetOrderAsync(order.Uuid, null, _stop.Token).ConfigureAwait(false);
            if (r.IsSuccess)
            {
                order = r.Value!;
            }
        }

        if (!order.IsOpen)
        {
            Report(order.State == "done" ? OrderEventKind.Done : OrderEventKind.Cancelled, cmd, identifier, order, null);
        }
        else
        {
            _log($"gateway: order {identifier} still open after {MaxPolls} polls");
        }
    }

    private async Task RefreshAsync(OrderCommand cmd)
    {
        if (!_placed.TryGetValue(cmd.TargetIntentId, out var target))
        {
            return;
        }

        var r = await _rest.GetOrderAsync(target.Uuid, target.Identifier, _stop.Token).ConfigureAwait(false);
        if (!r.IsSuccess)
        {
            _log($"gateway: refresh of {target.Identifier} failed: {r.Error}");
            return;
        }

        var order = r.Value!;
        var kind = order.IsOpen
            ? (order.ExecutedVolume > 0 ? OrderEventKind.Fill : OrderEventKind.Accepted)
            : (order.State == "done" ? OrderEventKind.Done : OrderEventKind.Cancelled);
        Report(kind, cmd with { IntentId = cmd.TargetIntentId }, target.Identifier, order, null);
    }

    private async Task CancelAsync(OrderCommand cmd)
    {
        if (!_placed.TryGetValue(cmd.TargetIntentId, out var target))
        {
            Report(OrderEventKind.Rejected, cmd with { IntentId = cmd.TargetIntentId }, null, null, new UpbitError(UpbitErrorCode.OrderNotFound, 0, "unknown_intent", $"no placed order for intent {cmd.TargetIntentId}"));
            return;
        }

        var r = await _rest.CancelOrderAsync(target.Uuid, target.Identifier, _stop.Token).ConfigureAwait(false);
        Track(ConfirmCancelAsync(cmd, target, r));
    }

    private async Task ConfirmCancelAsync(OrderCommand cmd, (string Identifier, string? Uuid) target, RestResult<UpbitOrder> r)
    {
        try
        {
            await ConfirmCancelCoreAsync(cmd, target, r).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }

    private async Task ConfirmCancelCoreAsync(OrderCommand cmd, (string Identifier, string? Uuid) target, RestResult<UpbitOrder> r)
    {
        var order = r.Value;
        // Cancel is asynchronous at Upbit (the answer still says wait): poll until the order is final.
        for (var i = 0; i < MaxPolls && (order is null || order.IsOpen); i++)
        {
            await Task.Delay(PollInterval, _stop.Token).ConfigureAwait(false);
            var g = await _rest.GetOrderAsync(target.Uuid, target.Identifier, _stop.Token).ConfigureAwait(false);
            order = g.IsSuccess ? g.Value : order;
        }

        var targetCmd = cmd with { IntentId = cmd.TargetIntentId };
        if (order is { IsOpen: false })
        {
            Report(order.State == "done" ? OrderEventKind.Done : OrderEventKind.Cancelled, targetCmd, target.Identifier, order, null);
        }
        else
        {
            _log($"gateway: cancel of {target.Identifier} not confirmed: {r.Error}");
        }
    }

    private void Report(OrderEventKind kind, in OrderCommand cmd, string? identifier, UpbitOrder? order, UpbitError? error) =>
        _sink.OnOrderEvent(new OrderEvent(kind, cmd.IntentId, cmd.MarketId, identifier, order?.Uuid,
            order?.ExecutedVolume ?? 0, order?.Funds ?? 0, order?.PaidFee ?? 0, error));
}
