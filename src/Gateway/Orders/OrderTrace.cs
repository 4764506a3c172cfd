namespace UpbitHft.Gateway.Orders;

/// <summary>
/// The way out of one order's first create request, stamped on the latency clock (ns; 0 = not reached): the tick
/// received, the engine's decision, the hand-off onto the gateway ring, the gateway thread picking it up, the request
/// signed, its bytes written to the socket, the exchange's answer read. Reported once per order, when the answer is in.
/// </summary>
public readonly record struct OrderTrace(
    long IntentId,
    long ReceivedNs,
    long DecidedNs,
    long HandedOffNs,
    long PickedUpNs,
    long SignedNs,
    long WrittenNs,
    long AnsweredNs);
