namespace UpbitHft.Gateway.Signing;

/// <summary>
/// One create-order request, built and signed: the JSON body and the <c>Authorization</c> header value as bytes in
/// reusable buffers (pooled by the gateway; one per order in flight), plus the identifier it carries.
/// </summary>
public sealed class SignedOrderRequest
{
    /// <summary>The JSON body (UTF-8) in <c>Body[..BodyLength]</c>.</summary>
    public byte[] Body { get; } = new byte[512];

    public int BodyLength { get; internal set; }

    /// <summary>The <c>Authorization</c> header value (<c>Bearer …</c>, ASCII) in <c>Authorization[..AuthorizationLength]</c>.</summary>
    public byte[] Authorization { get; } = new byte[1024];

    public int AuthorizationLength { get; internal set; }

    /// <summary>The order's identifier (ASCII) in <c>Identifier[..IdentifierLength]</c>.</summary>
    public byte[] Identifier { get; } = new byte[64];

    public int IdentifierLength { get; internal set; }

    public ReadOnlySpan<byte> BodySpan => Body.AsSpan(0, BodyLength);

    public ReadOnlySpan<byte> AuthorizationSpan => Authorization.AsSpan(0, AuthorizationLength);

    public ReadOnlySpan<byte> IdentifierSpan => Identifier.AsSpan(0, IdentifierLength);
}
