using UpbitHft.Feed.Events;
using UpbitHft.Gateway.Errors;
using UpbitHft.Gateway.Rest;

namespace UpbitHft.Gateway.Orders;

/// <summary>
/// One order's life at the exchange — create, lookups while its outcome is unknown, polls until it is final, a
/// cancel followed until final — run as its own task so that nothing one order waits for delays another. Only the
/// REST client's per-group token buckets are shared.
/// </summary>
/// <remarks>
/// What happens to each answer (DESIGN, order safety):
/// <list type="bullet">
/// <item>Create answered: accepted (polled to final) or a definitive refusal (<see cref="OrderEventKind.Rejected"/>).</item>
/// <item>Create lost, late, 5xx or <c>duplicated_identifier</c>: <see cref="OrderEventKind.Unknown"/>, then
/// <c>GET /v1/order?identifier=</c> with capped backoff for as long as it takes. Found: accepted. <c>order_not_found</c>
/// once <see cref="OrderGatewayOptions.NotPlacedSettle"/> has passed since sending: not placed, so a new attempt under a
/// new identifier (never after a cancel was asked for). Never rejected because lookups failed.</item>
/// <item>Polls that fail keep going with backoff; an answer that contradicts (an accepted order "not found") is
/// logged and asked again.</item>
/// <item>Cancel refused or unanswered: looked up; still open → sent again; the final state (done or cancel, with
/// whatever filled meanwhile) is reported.</item>
/// </list>
/// Shutdown stops the task wherever it is: an order still unknown or open is resolved from the journal at the next start.
/// </remarks>
internal sealed class OrderLifecycle
{
    private readonly UpbitOrderGateway _gateway;
    private readonly OrderCommand _command;
    private TaskCompletionSource _wake = NewWake();
    private int _cancelRequested;
    private int _refreshRequested;

    public OrderLifecycle(UpbitOrderGateway gateway, in OrderCommand command)
    {
        _gateway = gateway;
        _command = command;
    }

    /// <summary>The identifier of the current attempt (null before the first is made).</summary>
    public string? Identifier { get; private set; }

    /// <summary>The exchange's uuid once the order is known to exist.</summary>
    public string? Uuid { get; private set; }

    /// <summary>A resting limit order (its fills come from the private socket; it is polled slowly).</summary>
    public bool IsResting => _command.Kind == OrderCommandKind.LimitSell;

    /// <summary>The final answer once there is one (repeated to anyone who asks about the order later).</summary>
    public OrderEvent? Final { get; private set; }

    private OrderGatewayOptions Options => _gateway.Options;

    /// <summary>Asks for the order to be cancelled and followed until final. Any thread.</summary>
    public void RequestCancel()
    {
        Volatile.Write(ref _cancelRequested, 1);
        Volatile.Read(ref _wake).TrySetResult();
    }

    /// <summary>Asks for the order's state to be read now and reported. Any thread.</summary>
    public void RequestRefresh()
    {
        Volatile.Write(ref _refreshRequested, 1);
        Volatile.Read(ref _wake).TrySetResult();
    }

    public async Task RunAsync(CancellationToken stop)
    {
        try
        {
            var order = await CreateAsync(stop).ConfigureAwait(false);
            if (order is not null)
            {
                await FollowAsync(order, stop).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Shutdown: whatever is not final stays so in the journal and is resolved at the next start.
        }
    }

    private async Task<UpbitOrder?> CreateAsync(CancellationToken stop)
    {
        var reportedUnknown = false;
        for (var attempt = 0; attempt < Options.MaxAttempts; attempt++)
        {
            if (attempt > 0 && Volatile.Read(ref _cancelRequested) == 1)
            {
                Final = Report(OrderEventKind.Rejected, null, new UpbitError(UpbitErrorCode.NotSent, 0, "cancelled_before_placed", "not placed, and a cancel was asked for meanwhile: not sent again"));
                return null;
            }

            var identifier = _gateway.Identifiers.For(_command.IntentId, attempt);
            Identifier = identifier;
            var request = _gateway.RentRequest();
            RestResult<UpbitOrder> created;
            try
            {
                if (!_gateway.TrySign(_command, identifier, request, out var refused))
                {
                    Final = Report(OrderEventKind.Rejected, null, refused);
                    return null;
                }

                // The first attempt of a decided order is traced hop by hop (the per-hop latency report).
                var traced = attempt == 0 && _command.DecidedNs > 0 && _gateway.OrderTraced is not null;
                var signedNs = traced ? LatencyClock.NowNs() : 0;
                var written = traced ? new WriteStamp() : null;
                created = await _gateway.Rest.CreateOrderAsync(request, written, stop).ConfigureAwait(false);
                if (traced)
                {
                    var answeredNs = created.IsSuccess || created.Error!.Code is not (UpbitErrorCode.Timeout or UpbitErrorCode.ConnectionFailed) ? LatencyClock.NowNs() : 0;
                    _gateway.OrderTraced!(new OrderTrace(_command.IntentId, _command.OriginNs, _command.DecidedNs, _command.HandedOffNs, _command.PickedUpNs,
                        signedNs, written!.Ns, answeredNs));
                }
            }
            finally
            {
                _gateway.ReturnRequest(request);
            }

            if (created.IsSuccess)
            {
                return Accepted(created.Value!);
            }

            var error = created.Error!;
            if (!error.OutcomeUnknown && error.Code != UpbitErrorCode.DuplicatedIdentifier)
            {
                Final = Report(OrderEventKind.Rejected, null, error); // a definitive no: nothing was placed
                return null;
            }

            // The settle time counts from when the failure came back (a timed-out request may still be on its way
            // through the exchange: the clock must not start while it was still being sent or waited on).
            var failedAt = _gateway.Time.GetTimestamp();

            if (!reportedUnknown)
            {
                reportedUnknown = true;
                Report(OrderEventKind.Unknown, null, error);
            }

            _gateway.Log($"gateway: create of intent {_command.IntentId} ({identifier}) ended {error.Code}; looking it up by identifier until the exchange answers");
            var found = await ResolveAsync(identifier, failedAt, stop).ConfigureAwait(false);
            if (found is not null)
            {
                _gateway.Log($"gateway: {identifier} exists at the exchange ({found.State}): following it");
                return Accepted(found);
            }

            _gateway.Log($"gateway: {identifier} was not placed (order_not_found {Options.NotPlacedSettle.TotalSeconds:0.#} s or more after it was sent)");
        }

        Final = Report(OrderEventKind.Rejected, null, new UpbitError(UpbitErrorCode.NotSent, 0, "not_placed",
            $"intent {_command.IntentId}: the exchange confirmed {Options.MaxAttempts} attempts were not placed"));
        return null;
    }

    /// <summary>Looks an order of unknown outcome up until the exchange answers: the order, or null once it is confirmed not placed.</summary>
    private async Task<UpbitOrder?> ResolveAsync(string identifier, long failedAt, CancellationToken stop)
    {
        var backoff = new Backoff(Options.LookupInitialDelay, Options.LookupMaxDelay);
        var failures = 0;
        while (true)
        {
            ConsumeWake();
            await WaitAsync(backoff.Next(), stop).ConfigureAwait(false);
            var r = await _gateway.Rest.GetOrderAsync(null, identifier, stop).ConfigureAwait(false);
            if (r.IsSuccess)
            {
                return r.Value;
            }

            if (r.Error!.Code == UpbitErrorCode.OrderNotFound)
            {
                if (_gateway.Time.GetElapsedTime(failedAt) >= Options.NotPlacedSettle)
                {
                    return null;
                }

                continue; // too soon to be sure: the request may still be inside the exchange
            }

            if (failures++ % Options.LogEvery == 0)
            {
                _gateway.Log($"gateway: lookup {failures} of {identifier} failed ({r.Error}); the order stays unknown, asking again");
            }
        }
    }

    private UpbitOrder Accepted(UpbitOrder order)
    {
        Uuid = order.Uuid;
        Report(OrderEventKind.Accepted, order, null);
        return order;
    }

    /// <summary>Polls an accepted order until it is final (sending and re-sending a cancel when asked), then reports it.</summary>
    private async Task FollowAsync(UpbitOrder order, CancellationToken stop)
    {
        var backoff = new Backoff(Options.PollInitialDelay, Options.PollMaxDelay);
        var reportedVolume = order.ExecutedVolume;
        var cancelSentAt = 0L;
        var cancelStarted = false;
        var failures = 0;
        while (!order.IsFinal)
        {
            ConsumeWake();
            var refresh = Interlocked.Exchange(ref _refreshRequested, 0) == 1;
            var cancelling = Volatile.Read(ref _cancelRequested) == 1;
            if (cancelling && (cancelSentAt == 0 || _gateway.Time.GetElapsedTime(cancelSentAt) >= Options.CancelResendAfter))
            {
                if (!cancelStarted)
                {
                    // Taken up: polls start quick again; a refused cancel then waits the growing poll pause (never a storm).
                    cancelStarted = true;
                    backoff = new Backoff(Options.PollInitialDelay, Options.PollMaxDelay);
                }

                var c = await _gateway.Rest.CancelOrderAsync(Uuid, null, stop).ConfigureAwait(false);
                cancelSentAt = c.IsSuccess || c.Error!.Code == UpbitErrorCode.OrderNotFound ? _gateway.Time.GetTimestamp() : 0;
                if (!c.IsSuccess)
                {
                    _gateway.Log($"gateway: cancel of {Identifier} answered {c.Error}; looking the order up" + (cancelSentAt == 0 ? " and sending the cancel again" : ""));
                }
            }

            if (!refresh)
            {
                await WaitAsync(IsResting && !cancelling ? Options.RestingPollInterval : backoff.Next(), stop).ConfigureAwait(false);
                refresh = Interlocked.Exchange(ref _refreshRequested, 0) == 1;
            }

            var r = await _gateway.Rest.GetOrderAsync(Uuid, null, stop).ConfigureAwait(false);
            if (!r.IsSuccess)
            {
                if (failures++ % Options.LogEvery == 0)
                {
                    _gateway.Log($"gateway: poll {failures} of {Identifier} failed ({r.Error}); asking again");
                }

                continue;
            }

            failures = 0;
            order = r.Value!;
            if (!order.IsFinal && (order.ExecutedVolume > reportedVolume || refresh))
            {
                reportedVolume = order.ExecutedVolume;
                Report(order.ExecutedVolume > 0 ? OrderEventKind.Fill : OrderEventKind.Accepted, order, null);
            }
        }

        Final = Report(order.Status == UpbitOrderState.Done ? OrderEventKind.Done : OrderEventKind.Cancelled, order, null);
    }

    /// <summary>Waits for <paramref name="delay"/>, or less when a cancel or refresh is asked for.</summary>
    private async Task WaitAsync(TimeSpan delay, CancellationToken stop)
    {
        var wake = Volatile.Read(ref _wake);
        if (!wake.Task.IsCompleted)
        {
            using var cut = CancellationTokenSource.CreateLinkedTokenSource(stop);
            var sleep = Task.Delay(delay, _gateway.Time, cut.Token);
            await Task.WhenAny(sleep, wake.Task).ConfigureAwait(false);
            await cut.CancelAsync().ConfigureAwait(false);
        }

        stop.ThrowIfCancellationRequested();
    }

    /// <summary>
    /// Arms a fresh wake-up before the flags are read: a request that lands after this either sees its flag read
    /// below or completes the new wake-up, so no request is ever slept through.
    /// </summary>
    private void ConsumeWake()
    {
        var wake = Volatile.Read(ref _wake);
        if (wake.Task.IsCompleted)
        {
            Interlocked.CompareExchange(ref _wake, NewWake(), wake);
        }
    }

    private OrderEvent Report(OrderEventKind kind, UpbitOrder? order, UpbitError? error)
    {
        var funds = order?.Funds;
        var volume = order?.ExecutedVolume ?? 0;
        var e = new OrderEvent(kind, _command.IntentId, _command.MarketId, Identifier, Uuid ?? order?.Uuid, volume, funds ?? 0, order?.PaidFee ?? 0, error,
            FundsKnown: funds is not null || volume == 0);
        _gateway.Sink.OnOrderEvent(e);
        return e;
    }

    private static TaskCompletionSource NewWake() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
