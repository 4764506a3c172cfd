namespace UpbitHft.Gateway.Paper;

/// <summary>Options of the paper exchange.</summary>
public sealed record PaperExchangeOptions
{
    /// <summary>Starting KRW balance.</summary>
    public decimal InitialKrw { get; init; } = 1_000_000m;

    /// <summary>Fee rate on both sides (Upbit KRW: 0.05 %, docs/upbit.md#fees).</summary>
    public decimal FeeRate { get; init; } = 0.0005m;

    /// <summary>Smallest order, KRW (docs/upbit.md#minimum-order).</summary>
    public decimal MinOrderKrw { get; init; } = 5_000m;

    /// <summary>Largest order, KRW (docs/upbit.md#minimum-order).</summary>
    public decimal MaxOrderKrw { get; init; } = 1_000_000_000m;

    /// <summary>Book levels kept per market.</summary>
    public int Levels { get; init; } = 30;
}
