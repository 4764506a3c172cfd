namespace UpbitHft.TestSupport.FakeUpbit.Rest;

/// <summary>An order the fake exchange holds.</summary>
public sealed class FakeOrder
{
    private readonly List<FakeTrade> _trades = [];

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

    /// <summary>The fills, in order (an order seeded as already filled has none).</summary>
    public IReadOnlyList<FakeTrade> Trades => _trades;

    /// <summary>A fill: recorded, and the cumulative executed volume, funds and fee moved by it.</summary>
    internal FakeTrade AddTrade(decimal price, decimal volume, decimal feeRate)
    {
        var funds = price * volume;
        var trade = new FakeTrade(Guid.NewGuid().ToString(), price, volume, funds, funds * feeRate, DateTimeOffset.UtcNow);
        _trades.Add(trade);
        ExecutedVolume += volume;
        ExecutedFunds += funds;
        PaidFee += trade.Fee;
        return trade;
    }
}

/// <summary>One fill of a <see cref="FakeOrder"/>: its own price, volume, KRW amount and fee.</summary>
public sealed record FakeTrade(string Uuid, decimal Price, decimal Volume, decimal Funds, decimal Fee, DateTimeOffset At);
