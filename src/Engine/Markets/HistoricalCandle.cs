namespace UpbitHft.Engine.Markets;

/// <summary>A finished 1-minute candle from history (REST <c>/v1/candles/minutes/1</c>), for warm-up.</summary>
public readonly record struct HistoricalCandle(long StartMs, double Open, double High, double Low, double Close, double Volume, double ValueKrw);
