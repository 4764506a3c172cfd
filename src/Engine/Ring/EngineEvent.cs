using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using UpbitHft.Feed.Connection;
using UpbitHft.Feed.Events;
using UpbitHft.Gateway.Errors;
using UpbitHft.Gateway.Orders;

namespace UpbitHft.Engine.Ring;

/// <summary>What an <see cref="EngineEvent"/> slot holds.</summary>
public enum EngineEventKind : byte
{
    /// <summary>Nothing (a cleared slot).</summary>
    None = 0,
    /// <summary>An Upbit WebSocket message, parsed into <see cref="EngineEvent.Market"/> (which may be <see cref="MarketEventKind.None"/> if it did not parse).</summary>
    Market,
    /// <summary>A socket went down or silent (<see cref="EngineEvent.Source"/>).</summary>
    FeedDown,
    /// <summary>A socket is back and resubscribed (<see cref="EngineEvent.Source"/>).</summary>
    FeedUp,
    /// <summary>The gateway's answer about one of the engine's orders.</summary>
    OrderAnswer,
    /// <summary>One currency's balance read over REST (<c>GET /v1/accounts</c>).</summary>
    Balance,
    /// <summary>A price read over REST (<c>GET /v1/ticker</c>) for a held market whose feed is stale.</summary>
    RestPrice,
    /// <summary>Time passed (live modes): lets the engine see a silence of every feed.</summary>
    Timer,
    /// <summary>A command of the host or the operator (<see cref="EngineEvent.Control"/>).</summary>
    Control,
    /// <summary>
    /// Gateway answers are waiting on the answer ring (live): wakes an idle engine. The engine drains that ring
    /// before every event anyway, so an answer never waits behind market data queued ahead of it.
    /// </summary>
    AnswersReady,
}

/// <summary>What a <see cref="EngineEventKind.Control"/> event asks of the engine thread.</summary>
public enum ControlCommand : byte
{
    None = 0,
    /// <summary>Stop entries; flatten or keep positions per the settings.</summary>
    Shutdown,
    /// <summary>Stop entries and sell every position (reason kill_switch); the run then ends.</summary>
    KillSwitch,
    /// <summary>No new entries; exits continue.</summary>
    Pause,
    /// <summary>Entries allowed again after a pause.</summary>
    Resume,
    /// <summary>Copy the engine's state for <c>upbithft control status</c>.</summary>
    Status,
    /// <summary>Send a test order down the whole order path (engine → gateway ring → signing → order connection → <c>POST /v1/orders/test</c>).</summary>
    WarmOrderPath,
}

/// <summary>
/// The engine ring's slot: a <see cref="MarketEvent"/> the Feed's parser writes into, plus what only the engine
/// knows of — order answers, balances, REST prices, feed health, timers and control commands. Feed knows nothing of
/// orders; this type is where the two meet. A mutable struct on purpose (slots are reused by <c>ref</c>); unmanaged,
/// so a slot never holds garbage alive.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public struct EngineEvent
{
    /// <summary><see cref="MarketId"/> of a KRW balance.</summary>
    public const int Krw = -1;

    /// <summary><see cref="MarketId"/> of the marker that ends a REST balance read (<see cref="IntentId"/>: the request it answers).</summary>
    public const int EndOfBalances = -2;

    public EngineEventKind Kind;

    /// <summary>Feed status events: which socket.</summary>
    public FeedSource Source;

    public ControlCommand Control;

    /// <summary>Order answers: what happened.</summary>
    public OrderEventKind Answer;

    /// <summary>Order answers: false when the exchange gave a volume but no amount (funds unknown, not zero).</summary>
    public bool FundsKnown;

    /// <summary>Order answers: the error of a refusal or an unknown outcome.</summary>
    public UpbitErrorCode Error;

    /// <summary>Full-speed replay on two cores: the length of a frame handed to the engine thread unparsed (<see cref="Runtime.SplitParse"/>), else 0.</summary>
    public int HandedOverLength;

    /// <summary>Non-market events: the market concerned (-1: none, or KRW for a balance).</summary>
    public int MarketId;

    /// <summary>With <see cref="HandedOverLength"/>: the arena slot the handed-over frame lies in.</summary>
    public int HandedOverSlot;

    /// <summary>Monotonic ns when the event entered the engine's world (frame received; answer or balance published).</summary>
    public long ReceiveTimestampNs;

    /// <summary>Monotonic ns when the slot was published (0 when not stamped).</summary>
    public long PublishTimestampNs;

    /// <summary>Order answers: the engine's intent id. Balances: the newest balance request the read answers.</summary>
    public long IntentId;

    /// <summary>REST prices: the exchange's timestamp (Unix ms).</summary>
    public long TimestampMs;

    /// <summary>REST prices: the last trade price.</summary>
    public double Price;

    /// <summary>Order answers: cumulative executed amounts (the REST answer's exact decimals).</summary>
    public decimal ExecutedVolume;
    public decimal ExecutedFunds;
    public decimal PaidFee;

    /// <summary>Balances: free and locked amounts.</summary>
    public decimal Balance;
    public decimal Locked;

    public int IdentifierLength;
    public IdentifierBuffer IdentifierBytes;

    /// <summary>The parsed Upbit message when <see cref="Kind"/> is <see cref="EngineEventKind.Market"/>.</summary>
    public MarketEvent Market;

    /// <summary>Order answers: the Upbit identifier (empty when none).</summary>
    [UnscopedRef]
    public ReadOnlySpan<byte> Identifier => ((ReadOnlySpan<byte>)IdentifierBytes)[..IdentifierLength];

    /// <summary>Clears the engine's scalar fields (kinds, ids, amounts, stamps); the identifier bytes and the market part are left as they are.</summary>
    public void ClearHead() => Unsafe.InitBlockUnaligned(ref Unsafe.As<EngineEvent, byte>(ref this), 0, (uint)s_headBytes);

    private static readonly int s_headBytes = HeadBytes();

    private static int HeadBytes()
    {
        var probe = default(EngineEvent);
        return (int)Unsafe.ByteOffset(ref Unsafe.As<EngineEvent, byte>(ref probe), ref Unsafe.As<IdentifierBuffer, byte>(ref probe.IdentifierBytes));
    }
}
