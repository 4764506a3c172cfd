namespace UpbitHft.Gateway.Orders;

/// <summary>The one face of real and paper order handling. Answers arrive through the <see cref="IOrderEventSink"/>.</summary>
public interface IOrderGateway
{
    /// <summary>Hands a command over without blocking; false when it cannot be taken (the queue is full).</summary>
    bool TrySubmit(in OrderCommand command);
}
