using UpbitHft.Engine.Indicators;
using UpbitHft.Engine.Decisions;

namespace UpbitHft.Engine.Markets;

/// <summary>
/// Everything the engine knows about one market, preallocated at start-up and updated in place on the engine thread:
/// the forming candle, RSI over closed candles, the per-minute value window, the latest book and the position.
/// </summary>
/// <remarks>Engine thread only.</remarks>
public sealed class MarketSlot
{
    internal MarketSlot(int id, int rsiPeriod, int volumeWindow)
    {
        Id = id;
        Rsi = new WilderRsi(rsiPeriod);
        Volume = new MinuteValueWindow(volumeWindow);
        Position = new Position(id);
    }

    /// <summary>Market id (the Feed's market table id).</summary>
    public int Id { get; }

    /// <summary>The candle of the current minute (no trade yet: <see cref="MinuteCandle.HasTrades"/> false).</summary>
    public MinuteCandle Candle;

    /// <summary>RSI over closed 1-minute candles.</summary>
    public WilderRsi Rsi;

    /// <summary>KRW value per minute and the surge ratio.</summary>
    public MinuteValueWindow Volume { get; }

    /// <summary>The position in this market.</summary>
    public Position Position { get; }

    /// <summary>Flagged 유의 종목 (investment warning) in the market list.</summary>
    public bool Warning { get; internal set; }

    /// <summary>Whether Upbit says the market is ACTIVE (ticker <c>market_state</c>; assumed until told otherwise).</summary>
    public bool Active { get; internal set; } = true;

    /// <summary>Whether the market may be entered: ACTIVE and not flagged with a warning.</summary>
    public bool Tradable => Active && !Warning;

    /// <summary>No new entry before this exchange time (ms).</summary>
    public long CooldownUntilMs { get; set; }

    public double LastPrice { get; internal set; }
    public long LastTradeMs { get; internal set; }
    public long LateTrades { get; internal set; }

    public double TotalBidSize { get; internal set; }
    public double TotalAskSize { get; internal set; }
    public double BestBid { get; internal set; }
    public double BestAsk { get; internal set; }

    /// <summary>Whether the market was reported stale and has not had data since.</summary>
    public bool Stale { get; internal set; }

    /// <summary>Exchange time (ms) of the latest book; 0 = none yet.</summary>
    public long BookTimestampMs { get; internal set; }

    /// <summary>Its price is being watched over REST (the feed is stale or down while a position is held).</summary>
    public bool Watched { get; internal set; }

    /// <summary>Entries refused in a row (the cooldown before the next attempt doubles each time).</summary>
    public int EntryRejects { get; internal set; }

    /// <summary>A retry pause after a refused entry is running: when it ends (timer), the market is ranked again at once.</summary>
    public bool RetryPending { get; internal set; }

    /// <summary>The exchange's word on this coin: free balance and what open orders lock.</summary>
    public decimal ExchangeBalance { get; internal set; }
    public decimal ExchangeLocked { get; internal set; }

    /// <summary>A balance of this coin has been reported.</summary>
    public bool BalanceKnown { get; internal set; }

    /// <summary>The last balance report came after the last order event of this market (so it already includes it).</summary>
    public bool BalanceFresh { get; internal set; }

    /// <summary>
    /// A trade just closed: the REST balance read asked for then (this request number; 0 = none) is checked for a
    /// remainder worth selling. An older read, begun before the sale, must not be mistaken for it.
    /// </summary>
    public long RemainderCheck { get; internal set; }

    /// <summary>
    /// The remainder check was answered while a new buy of the market was out (the coins there cannot be told apart):
    /// it stays pending, is asked again if that buy ends with nothing, and is replaced by the check after its trade.
    /// </summary>
    public bool RemainderDeferred { get; internal set; }

    /// <summary>
    /// Coins of closed trades left unsold as dust, and the value (at the last price then) their trades booked for
    /// them: a remainder sale of them later takes that value as its cost, so it is counted once.
    /// </summary>
    public decimal DustVolume { get; internal set; }
    public decimal DustValueKrw { get; internal set; }

    /// <summary>The live RSI: committed closes plus the current minute's last trade as a provisional close.</summary>
    public double LiveRsi => Candle.HasTrades ? Rsi.Peek(Candle.Close) : Rsi.Value;
}
