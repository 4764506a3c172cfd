using UpbitHft.Engine.Ring;
using UpbitHft.Feed.Events;

namespace UpbitHft.Engine.Runtime;

/// <summary>What the producers put into the engine's ring: market frames (live, paced, full-speed batches), feed status, host commands, timers.</summary>
public sealed partial class EnginePipeline
{
    /// <summary>Parse time per frame (ns), recorded by the public producer's thread (every frame it stamps).</summary>
    public HdrHistogram.LongHistogram ParseTime { get; } = new(10_000_000_000L, 3);

    /// <summary>A replay at full speed (set by the replay before it starts): the report then leads with service times.</summary>
    public bool FullSpeed { get; set; }

    /// <summary>The replay thread's own parse buffer (full-speed batches).</summary>
    private readonly UpbitHft.Feed.Events.MarketEvent[] _parsed = new UpbitHft.Feed.Events.MarketEvent[1];

    /// <summary>Frames a full-speed replay batch parses before publishing them together (<see cref="PublishBatch"/>).</summary>
    public const int FullSpeedBatch = 64;

    /// <summary>Parses one frame straight into the next ring slot and publishes it. Feed thread (one producer at a time).</summary>
    public void Publish(ReadOnlySpan<byte> frame, long receiveNs)
    {
        using (var claim = Ring.Claim())
        {
            ref var ev = ref claim.Event;
            ev.Kind = EngineEventKind.Market;
            ev.ReceiveTimestampNs = receiveNs;
            var parseStart = LatencyClock.NowNs();
            Parser.Parse(frame, receiveNs, ref ev.Market);
            ev.PublishTimestampNs = LatencyClock.NowNs();
            LatencyHistograms.Record(ParseTime, ev.PublishTimestampNs - parseStart);
        }

        Volatile.Write(ref Published, Published + 1); // one public producer
    }

    /// <summary>
    /// Full-speed replay: up to <see cref="FullSpeedBatch"/> frames read, parsed and copied into claimed slots (the
    /// stamped ones parsed in place), then published with one store (the engine sees them together). One frame in 64 carries clock stamps — receive,
    /// parsed — for the service-time figures; the rest cost no clock read. With <see cref="Split"/>, a batch that starts
    /// while few handed-over frames wait to be parsed is handed to the engine thread unparsed, the next one parsed here
    /// once they have grown: the share each thread parses settles where both are busy. Returns the frames published (0 at
    /// the end). A handed-over frame is copied to an arena slot (<see cref="SplitParse"/>). Replay thread (the ring's
    /// only producer).
    /// </summary>
    public int PublishBatch(UpbitHft.Feed.Replay.IFrameSource source)
    {
        var split = Split;
        var parser = split?.ReaderParser ?? Parser;
        var handOver = split is not null && split.Pending < SplitParse.MaxPending;
        var n = 0;
        var last = -1L;
        // A frame to hand over is decoded into the source's own buffer and copied into its arena slot, never decoded
        // straight into the slot: the decoder's scattered unaligned stores into lines the engine thread read last stalled
        // the replay thread (a third of its time in a JSONL replay); one copy does better (alternating runs: 1.04 → 1.26 M
        // msg/s from JSONL, 5 pairs).
        while (n < FullSpeedBatch && source.TryReadNext(out var frame, out _))
        {
            last = Ring.Next();
            ref var ev = ref Ring[last];
            ev.Kind = EngineEventKind.Market;
            ev.HandedOverLength = 0;
            if ((last & (FullSpeedBatch - 1)) == 0)
            {
                var start = LatencyClock.NowNs();
                ev.ReceiveTimestampNs = start;
                parser.Parse(frame, start, ref ev.Market);
                ev.PublishTimestampNs = LatencyClock.NowNs();
                LatencyHistograms.Record(ParseTime, ev.PublishTimestampNs - start);
            }
            else
            {
                ev.ReceiveTimestampNs = 0;
                ev.PublishTimestampNs = 0;
                if (!handOver || !split!.TryHandOver(frame, ref ev))
                {
                    // Parsed here, copied to the slot in one pass (MarketEvent.CopyParsed).
                    parser.Parse(frame, 0, ref _parsed[0]);
                    UpbitHft.Feed.Events.MarketEvent.CopyParsed(ref _parsed[0], ref ev.Market);
                }
            }

            n++;
        }

        if (n > 0)
        {
            if (handOver)
            {
                SplitParse.BeforePublish(); // the arena copies are non-temporal stores (NonTemporalCopy)
            }

            Ring.Publish(last); // single producer: every claim up to `last` becomes visible
            Volatile.Write(ref Published, Published + n);
        }

        return n;
    }

    /// <summary>The same for a frame that may straddle pipe segments (the live feed).</summary>
    public void Publish(in System.Buffers.ReadOnlySequence<byte> frame, long receiveNs)
    {
        ParseIntoSlot(Parser, frame, receiveNs);
        Volatile.Write(ref Published, Published + 1); // one public producer
    }

    /// <summary>A private-feed frame (myOrder, myAsset), parsed by the private parser. Private feed thread.</summary>
    public void PublishPrivate(in System.Buffers.ReadOnlySequence<byte> frame, long receiveNs)
    {
        ParseIntoSlot(PrivateParser, frame, receiveNs);
        Volatile.Write(ref PrivatePublished, PrivatePublished + 1); // one private producer
    }

    private void ParseIntoSlot(UpbitHft.Feed.Parsing.UpbitMessageParser parser, in System.Buffers.ReadOnlySequence<byte> frame, long receiveNs)
    {
        using var claim = Ring.Claim();
        ref var ev = ref claim.Event;
        ev.Kind = EngineEventKind.Market;
        ev.ReceiveTimestampNs = receiveNs;
        parser.Parse(frame, receiveNs, ref ev.Market);
        ev.PublishTimestampNs = LatencyClock.NowNs();
    }

    /// <summary>Publishes a feed-down/up event so the engine blocks entries (and watches held markets over REST) while the data is not live.</summary>
    public void PublishFeedStatus(bool up, UpbitHft.Feed.Connection.FeedSource source = UpbitHft.Feed.Connection.FeedSource.Public)
    {
        using var claim = Ring.Claim();
        ref var ev = ref claim.Event;
        ev.ClearHead();
        ev.MarketId = -1;
        ev.Kind = up ? EngineEventKind.FeedUp : EngineEventKind.FeedDown;
        ev.Source = source;
        ev.ReceiveTimestampNs = LatencyClock.NowNs();
    }

    /// <summary>Hands a command to the engine thread through the ring (shutdown and the operator's commands run where the answers arrive).</summary>
    public void PublishControl(ControlCommand command)
    {
        using var claim = Ring.Claim();
        ref var ev = ref claim.Event;
        ev.ClearHead();
        ev.MarketId = -1;
        ev.Kind = EngineEventKind.Control;
        ev.Control = command;
    }

    /// <summary>Time passed (live modes): the engine extrapolates exchange time from its last market event.</summary>
    public void PublishTimer()
    {
        using var claim = Ring.Claim();
        ref var ev = ref claim.Event;
        ev.ClearHead();
        ev.MarketId = -1;
        ev.Kind = EngineEventKind.Timer;
        ev.ReceiveTimestampNs = LatencyClock.NowNs();
    }

    /// <summary>A held market's price read over REST while its feed is stale (REST watcher thread).</summary>
    public void PublishRestPrice(int marketId, long timestampMs, double price)
    {
        using var claim = Ring.Claim();
        ref var ev = ref claim.Event;
        ev.ClearHead();
        ev.Kind = EngineEventKind.RestPrice;
        ev.MarketId = marketId;
        ev.TimestampMs = timestampMs;
        ev.Price = price;
        ev.ReceiveTimestampNs = LatencyClock.NowNs();
    }
}
