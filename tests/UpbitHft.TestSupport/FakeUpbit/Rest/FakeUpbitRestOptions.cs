namespace UpbitHft.TestSupport.FakeUpbit.Rest;

/// <summary>Limits, keys and faults of the fake Upbit REST server. Fault switches may be flipped while it runs.</summary>
public sealed class FakeUpbitRestOptions
{
    public string AccessKey { get; init; } = "test-access-key";
    public string SecretKey { get; init; } = "test-secret-key-0123456789abcdefghijklmn";

    /// <summary>Requests per second per group, as Upbit enforces them (docs/upbit.md#rate-limits).</summary>
    public Dictionary<string, int> Limits { get; init; } = new(StringComparer.Ordinal)
    {
        ["market"] = 10, ["candle"] = 10, ["trade"] = 10, ["ticker"] = 10, ["orderbook"] = 10,
        ["default"] = 30, ["order"] = 8, ["order-test"] = 8,
    };

    /// <summary>After this many 429s within 10 s, answer 418 for <see cref="BlockSeconds"/>.</summary>
    public int TooManyBeforeTeapot { get; init; } = 3;

    public int BlockSeconds { get; init; } = 2;

    /// <summary>Whether answers carry <c>Remaining-Req</c> (turn off to see how a client does without it).</summary>
    public bool SendRemainingReq { get; init; } = true;

    /// <summary>An idle connection is closed after this long (Kestrel's keep-alive timeout; null = Kestrel's 130 s).</summary>
    public TimeSpan? KeepAliveTimeout { get; init; }

    /// <summary>Serve over TLS with this certificate (https/wss); null = plain http/ws.</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2? Certificate { get; init; }

    /// <summary>Price market orders fill at.</summary>
    public decimal FillPrice { get; set; } = 500_000m;

    public decimal InitialKrw { get; set; } = 10_000_000m;

    // ---- fault switches ----

    /// <summary>Delay the answer of the next N order creations (after the order is created) by <see cref="CreateDelayMs"/>.</summary>
    public int DelayNextCreates { get; set; }

    public int CreateDelayMs { get; set; } = 1_500;

    /// <summary>Create the next N orders, then drop the connection without answering.</summary>
    public int DropNextCreates { get; set; }

    /// <summary>Answer the next N creations with a 500 without creating anything.</summary>
    public int FailNextCreatesWith500 { get; set; }

    /// <summary>Answer the next N creations with <c>duplicated_identifier</c> after creating the order (as if a retry of a created order).</summary>
    public int DuplicatedIdentifierNext { get; set; }

    /// <summary>Answer the next N requests of the <c>order</c> group with 429 (a storm the client did not cause; not a violation).</summary>
    public int TooManyNextOrders { get; set; }

    /// <summary>
    /// Answer the next request of the <c>order</c> group with 418 and block every group for <see cref="BlockSeconds"/>
    /// (with Retry-After): any request that arrives during the block counts as a violation.
    /// </summary>
    public int TeapotNextOrders { get; set; }

    /// <summary>Wait this long BEFORE creating the next <see cref="CreateLateNext"/> orders, then create and answer (the client may have timed out).</summary>
    public int CreateLateMs { get; set; } = 1_500;

    /// <summary>How many of the next creations arrive "late" inside the exchange (see <see cref="CreateLateMs"/>).</summary>
    public int CreateLateNext { get; set; }

    /// <summary><c>GET /v1/order</c> (by uuid or identifier) answers 500 <c>internal_server_error</c> until this moment.</summary>
    public DateTimeOffset FailLookupsUntil { get; set; } = DateTimeOffset.MinValue;

    /// <summary><c>GET /v1/order</c> answers 500 while this says so of the order's identifier (or of the uuid asked, when no order has it).</summary>
    public Func<string, bool>? FailLookupsOf { get; set; }

    /// <summary>The next N <c>DELETE /v1/order</c> answer 500 <c>internal_server_error</c> and cancel nothing.</summary>
    public int FailNextCancels { get; set; }

    /// <summary>Thin myOrder events: <c>avg_price</c> and <c>executed_funds</c> left out (volumes, prices and fees still sent).</summary>
    public bool ThinMyOrder { get; set; }

    /// <summary><c>GET /v1/accounts</c> answers only after this many ms (a balance read held in flight).</summary>
    public int AccountsDelayMs { get; set; }
}
