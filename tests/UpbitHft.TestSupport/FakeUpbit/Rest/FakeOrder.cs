namespace UpbitHft.TestSupport.FakeUpbit.Rest;

/// <summary>An order the fake exchange holds.</summary>
public sealed class FakeOrder
{
    public required string Uuid { get; init; }
    public required string Market { get; init; }
    public required string Side { get; init; }
    public required string OrdType { get; init; }
    public string? Identifier { get; init; }
    public decimal? Price { get; init; }
    public decimal? Volume { get; init; }
    public string State { get; set; } = "wait";
    public decimal ExecutedVolume { get; set; }
    public decimal ExecutedFunds { get; set; }
    public decimal PaidFee { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
}
