namespace UpbitHft.Gateway.Orders;

/// <summary>Timings of <see cref="UpbitOrderGateway"/>. No lookup or poll ever gives up; these only pace them.</summary>
public sealed record OrderGatewayOptions
{
    /// <summary>First pause between lookups of an order whose outcome is unknown; doubles up to <see cref="LookupMaxDelay"/>.</summary>
    public TimeSpan LookupInitialDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan LookupMaxDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>First pause between polls of an accepted order until it is final; doubles up to <see cref="PollMaxDelay"/>.</summary>
    public TimeSpan PollInitialDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan PollMaxDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How often a resting limit order is polled (its fills normally arrive on the private socket first).</summary>
    public TimeSpan RestingPollInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// An <c>order_not_found</c> counts as "not placed" only once this long has passed since the failed request came
    /// back: a request that timed out may still be on its way through the exchange. Longer is safer against a
    /// duplicate order; shorter sends the retry of a refused exit sooner.
    /// </summary>
    public TimeSpan NotPlacedSettle { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>A cancel that the exchange accepted but that has not taken effect after this long is sent again.</summary>
    public TimeSpan CancelResendAfter { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Create attempts (each under a new identifier) when the exchange confirms the previous one was not placed.</summary>
    public int MaxAttempts { get; init; } = OrderIdentifiers.DefaultMaxAttempts;

    /// <summary>At shutdown, how long in-flight market orders get to reach a final state before their lifecycles are stopped.</summary>
    public TimeSpan ShutdownGrace { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Log an unanswered lookup or poll the first time and then every this many failures.</summary>
    public int LogEvery { get; init; } = 10;
}
