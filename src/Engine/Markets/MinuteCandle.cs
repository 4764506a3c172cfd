namespace UpbitHft.Engine.Markets;

/// <summary>A 1-minute OHLCV candle built from trades, keyed by its UTC start minute (like Upbit's own candles).</summary>
public struct MinuteCandle
{
    /// <summary>Unix minute of the candle start (ms / 60,000).</summary>
    public long Minute;
    public double Open;
    public double High;
    public double Low;
    public double Close;
    public double Volume;

    /// <summary>Traded KRW value (Σ price × volume).</summary>
    public double Value;
    public int Trades;

    /// <summary>Whether any trade formed it (a minute without trades has no candle).</summary>
    public readonly bool HasTrades => Trades > 0;

    /// <summary>Starts a candle with its first trade.</summary>
    public void Start(long minute, double price, double volume)
    {
        Minute = minute;
        Open = High = Low = Close = price;
        Volume = volume;
        Value = price * volume;
        Trades = 1;
    }

    /// <summary>Adds a trade of the same minute.</summary>
    public void Add(double price, double volume)
    {
        if (price > High)
        {
            High = price;
        }

        if (price < Low)
        {
            Low = price;
        }

        Close = price;
        Volume += volume;
        Value += price * volume;
        Trades++;
    }
}
