using UpbitHft.Gateway.Signing;

namespace UpbitHft.Gateway.Orders;

public sealed partial class UpbitOrderGateway
{
    // The identifier of a request that is never sent: it only has to be as long as a real one.
    private const string RehearsalIdentifier = "upbithft-rehearsal-0000000000000000";

    private long _rehearsals;
    private long _rehearsalsRefused;

    /// <summary>Rehearsals run, and those whose signing was refused (both any thread).</summary>
    public (long Runs, long Refused) Rehearsals => (Interlocked.Read(ref _rehearsals), Interlocked.Read(ref _rehearsalsRefused));

    /// <summary>
    /// Signs <paramref name="buy"/>, the market buy the engine expects to send next, under the identifier its first
    /// attempt will carry, and keeps it for that order (<see cref="PresignedOrders"/>): sends nothing, reports nothing.
    /// On the gateway thread only, while it waits for orders (the first caller owns the kept requests; on any other
    /// thread nothing is kept). False when the validator refused it (the order, if it comes, is refused the usual way)
    /// or when this thread does not own them.
    /// </summary>
    public bool Presign(in OrderCommand buy)
    {
        if (buy.Kind != OrderCommandKind.MarketBuy || buy.IntentId <= 0)
        {
            return false;
        }

        var identifier = Identifiers.For(buy.IntentId, 0);
        Span<byte> id = stackalloc byte[identifier.Length];
        System.Text.Encoding.ASCII.GetBytes(identifier, id);
        var signer = _signers.Get();
        try
        {
            return _presigned.Keep(signer, buy, id, out _);
        }
        finally
        {
            _signers.Return(signer);
        }
    }

    /// <summary>
    /// Validates and signs the smallest market buy of <paramref name="market"/> into a pooled request, then throws the
    /// request away: nothing is sent and no order identifier is taken (the nonce is a fresh random one, as for every
    /// request). The gateway thread repeats this while it waits for an order, so the next real order is signed by
    /// code and data that are hot (perf-reports/latency.md). On the gateway thread.
    /// </summary>
    public void Rehearse(string market)
    {
        var request = RentRequest();
        try
        {
            if (!TrySign(new OrderCommand(OrderCommandKind.MarketBuy, 0, -1, market, AmountKrw: Math.Ceiling(Validator.MinTotalKrw)), RehearsalIdentifier, request, out _))
            {
                Interlocked.Increment(ref _rehearsalsRefused);
            }

            Interlocked.Increment(ref _rehearsals);
        }
        finally
        {
            ReturnRequest(request);
        }
    }
}
