using System.Runtime.CompilerServices;
using UpbitHft.Engine.Ring;
using UpbitHft.Feed.Events;
using UpbitHft.Feed.Markets;
using UpbitHft.Gateway.Orders;

namespace UpbitHft.Engine.Execution;

/// <summary>One order command in a slot of the gateway ring: plain values only (the market travels as its id).</summary>
public struct GatewayCommand
{
    public OrderCommandKind Kind;
    public int MarketId;
    public long IntentId;
    public long TargetIntentId;
    public decimal AmountKrw;
    public decimal Volume;
    public decimal Price;
    public long OriginNs;
    public long DecidedNs;
    public long HandedOffNs;
}

/// <summary>
/// The engine thread's way to the order gateway (docs/design.md#threads-and-data-flow): commands go into a
/// preallocated single-producer ring of <see cref="GatewayCommand"/> structs, and a dedicated gateway thread takes
/// each one and hands it to the real gateway, which validates, signs and writes the request on that thread. The
/// engine's side is a claim, a few stores and a publish — no allocation, no lock, no wake-up of a pool thread — and
/// the gateway thread spins briefly after each command before it parks (<see cref="WaitStrategyKind.SpinThenBlock"/>
/// by default). The journal hears of the order after it is on the ring, never before.
/// </summary>
/// <remarks>A full ring refuses (<see cref="TrySubmit"/> false, counted in <see cref="Refused"/>): the engine treats it as any refusal.</remarks>
public sealed class GatewayHandoff : IOrderGateway
{
    private readonly RingBuffer<GatewayCommand> _ring;
    private readonly BatchEventProcessor<GatewayCommand, Dispatcher> _processor;
    private long _refused;

    /// <summary>
    /// Creates the ring and the gateway thread (not started) in front of <paramref name="gateway"/>; while it waits for
    /// an order, the gateway thread repeats <paramref name="rehearsal"/> (when given: signing an order it never sends).
    /// </summary>
    public GatewayHandoff(IOrderGateway gateway, MarketTable markets, int size = 1024, WaitStrategyKind wait = WaitStrategyKind.SpinThenBlock, Action<string>? log = null, IdleRehearsal? rehearsal = null)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        var options = new RingOptions { Size = size, WaitStrategy = wait, MultiProducer = false, Rehearsal = rehearsal };
        options.Validate();
        _ring = RingBuffer<GatewayCommand>.Create(options);
        var faults = new HandlerFaults { Report = log ?? (static line => Console.Error.WriteLine(line)) };
        _processor = new BatchEventProcessor<GatewayCommand, Dispatcher>(_ring, _ring.NewBarrier(), new Dispatcher(gateway, markets), "upbithft-gateway",
            HandlerExceptionPolicy.RecordAndContinue, faults);
        _ring.AddGatingSequences(_processor.Sequence);
    }

    /// <summary>Commands refused because the ring was full.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Commands the gateway thread failed on (each reported when it happened).</summary>
    public long Faults => _processor.Faults.Count;

    /// <summary>Commands the real gateway did not take (it was shut down).</summary>
    public long NotTaken => _processor.Handler.NotTaken;

    public void Start() => _processor.Start();

    /// <summary>Lets the gateway thread take what is on the ring, then stops it.</summary>
    public bool DrainAndHalt(TimeSpan timeout, TimeProvider? time = null) => _processor.DrainAndHalt(timeout, time);

    /// <inheritdoc/>
    /// <remarks>The engine thread (the ring's only producer).</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TrySubmit(in OrderCommand command)
    {
        if (!_ring.TryNext(out var sequence))
        {
            Interlocked.Increment(ref _refused);
            return false;
        }

        ref var slot = ref _ring[sequence];
        slot.Kind = command.Kind;
        slot.MarketId = command.MarketId;
        slot.IntentId = command.IntentId;
        slot.TargetIntentId = command.TargetIntentId;
        slot.AmountKrw = command.AmountKrw;
        slot.Volume = command.Volume;
        slot.Price = command.Price;
        slot.OriginNs = command.OriginNs;
        slot.DecidedNs = command.DecidedNs;
        slot.HandedOffNs = LatencyClock.NowNs();
        _ring.Publish(sequence);
        return true;
    }

    /// <summary>The gateway thread's handler: the slot becomes the gateway's command, with the market's code and the pick-up stamp.</summary>
    private struct Dispatcher(IOrderGateway gateway, MarketTable markets) : IEventHandler<GatewayCommand>
    {
        public long NotTaken;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void OnEvent(ref GatewayCommand c, long sequence, bool endOfBatch)
        {
            var picked = LatencyClock.NowNs();
            var market = c.MarketId >= 0 && c.MarketId < markets.Count ? markets.GetCode(c.MarketId) : "";
            var command = new OrderCommand(c.Kind, c.IntentId, c.MarketId, market, c.AmountKrw, c.Volume, c.Price, c.TargetIntentId, c.OriginNs, c.DecidedNs, c.HandedOffNs, picked);
            if (!gateway.TrySubmit(command))
            {
                NotTaken++;
            }
        }

        public readonly void OnStart()
        {
        }

        public readonly void OnShutdown()
        {
        }
    }
}
