using System.Globalization;
using System.Text;
using HdrHistogram;
using UpbitHft.Engine.Decisions;
using UpbitHft.Engine.Execution;
using UpbitHft.Engine.Modes;
using UpbitHft.Engine.Ring;
using UpbitHft.Engine.Runtime;
using UpbitHft.Feed.Events;
using UpbitHft.Gateway.Auth;
using UpbitHft.Gateway.Orders;
using UpbitHft.Gateway.Paper;
using UpbitHft.Gateway.Signing;

namespace UpbitHft.Benchmarks.Harnesses;

/// <summary>
/// In process, tick → signed order request with every trade triggering an order (issue: "in process,
/// tick-to-signed-request p50 ≤ 5 µs"). The order storm session of <see cref="ReplayLatencyHarness"/> is pumped at a
/// fixed rate with coordinated-omission correction (each frame stamped with its due time) through the main job's
/// pipeline — replay thread parses into the ring, engine thread decides — and every order the engine hands off goes,
/// as in a live run, onto the preallocated gateway ring (<see cref="GatewayHandoff"/>), where the dedicated gateway
/// thread (its live wait strategy and idle signing rehearsal) picks it up, validates it and signs it with the live
/// signer (<see cref="OrderRequestSigner"/>, HS512, the live identifier format) — or, when the engine foresaw it and
/// signing ahead is on, copies the request the gateway thread signed while it waited (<see cref="PresignedOrders"/>, as the
/// live gateway does). Nothing is sent: the order is then
/// stamped "signed" and dropped. The same order is also filled by the paper exchange on the engine thread, after the
/// hand-off, so the storm goes on (buy, take-profit, buy…) exactly as in the paper replay. Mind what the paper
/// exchange adds ahead of a decision: a trade that reaches the resting take-profit fills it on the engine thread before
/// the decision core sees the trade (a live engine hears of that fill as a separate answer event), and the position's
/// take-profit is decided after its buy was filled by the paper exchange in the same event.
/// Run: <c>dotnet run -c Release --project bench/UpbitHft.Benchmarks -- tick-to-signed [rate]</c>.
/// </summary>
public static class TickToSignedHarness
{
    private static readonly string[] HopNames =
        ["tick → decision", "decision → hand-off", "hand-off → pick-up", "pick-up → signed", "pick-up → signed, entries", "tick → signed, entries", "**tick → signed**"];

    public static string Run(double rate)
    {
        var session = ReplayLatencyHarness.OrderStormSession();
        try
        {
            var sb = new StringBuilder();
            sb.AppendLine(Provenance.Line());
            sb.AppendLine();
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"Order storm (every trade triggers an order), {rate:N0} frames/s, coordinated-omission corrected; one warm-up replay per row first; latencies in µs."));
            sb.AppendLine();
            sb.AppendLine("| engine wait | gateway wait | signing ahead | hop | count | p50 | p90 | p99 | p99.9 | max | orders refused: ring full | signed ahead: kept / taken |");
            sb.AppendLine("|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var (engine, gateway) in new[] { (WaitStrategies.Default, WaitStrategyKind.SpinThenBlock), (WaitStrategies.Default, WaitStrategyKind.Yielding) })
            {
                foreach (var ahead in new[] { true, false })
                {
                    _ = Measure(session, rate, engine, gateway, ahead); // warm-up: JIT, first-lap faults
                    var (hops, refused, presigned) = Measure(session, rate, engine, gateway, ahead);
                    for (var i = 0; i < hops.Length; i++)
                    {
                        var h = hops[i];
                        var last = i == hops.Length - 1;
                        sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                            $"| {engine} | {gateway} | {(ahead ? "on" : "off")} | {HopNames[i]} | {h.TotalCount:N0} | {Us(h, 50)} | {Us(h, 90)} | {Us(h, 99)} | {Us(h, 99.9)} | {h.GetMaxValue() / 1000.0:F1} | {(last ? refused.ToString("N0", CultureInfo.InvariantCulture) : "")} | {(last ? $"{presigned.Kept:N0} / {presigned.Taken:N0}" : "")} |"));
                    }
                }
            }

            return sb.ToString();
        }
        finally
        {
            File.Delete(session);
        }
    }

    /// <summary>One paced replay of <paramref name="session"/>; the histograms of <see cref="HopNames"/>, in ns.</summary>
    internal static (LongHistogram[] Hops, long Refused, (long Kept, long Taken, long Dropped) Presigned) Measure(string session, double rate, WaitStrategyKind engineWait, WaitStrategyKind gatewayWait, bool signAhead)
    {
        var settings = new EngineSettings
        {
            InputPath = session,
            Ring = new RingOptions { Size = 16_384, WaitStrategy = engineWait, MultiProducer = false },
            StatusLines = false,
            Strategy = new DecisionOptions { CooldownMs = 0 },
            FixedRate = rate,
        };
        var signing = new SigningGateway();
        GatewayHandoff? handoff = null;
        HandOffThenPaper? tee = null;
        // As a live run: while it waits, the gateway thread signs the engine's foreseen entries ahead, else rehearses
        // (every 1 ms, the default --gateway-rehearsal-ms). Without signing ahead the engine posts nothing.
        var hints = new EntryHints();
        var rehearsal = GatewayIdleWork.Create(signAhead ? hints : null, signing.Presign, signing.Rehearse, TimeSpan.FromMilliseconds(1), null);
        var result = ReplayRunner.RunAsync(settings, TextWriter.Null, CancellationToken.None, pipeline =>
        {
            handoff = new GatewayHandoff(signing, pipeline.Markets, wait: gatewayWait, rehearsal: rehearsal);
            tee = new HandOffThenPaper(handoff, pipeline.Engine.PaperGateway!);
            pipeline.Engine.AttachGateway(tee);
            if (signAhead)
            {
                pipeline.Engine.AttachHints(hints);
            }

            handoff.Start();
        }).GetAwaiter().GetResult();
        if (!handoff!.DrainAndHalt(TimeSpan.FromSeconds(10)))
        {
            throw new InvalidOperationException("the gateway thread did not drain its ring");
        }

        if (signing.Refused > 0 || handoff.Faults > 0)
        {
            throw new InvalidOperationException($"orders lost on the way: {signing.Refused} refused by the validator, {handoff.Faults} faults");
        }

        // A full gateway ring refuses (the engine treats it as a refusal): reported, not hidden.
        if (signing.Hops[^1].TotalCount + tee!.OrdersRefused != result.TickToOrderHistogram.TotalCount)
        {
            throw new InvalidOperationException($"{result.TickToOrderHistogram.TotalCount} orders decided but {signing.Hops[^1].TotalCount} signed and {tee.OrdersRefused} refused");
        }

        return (signing.Hops, tee.OrdersRefused, signing.Presigned.Counts);
    }

    private static string Us(HistogramBase h, double p) =>
        h.TotalCount == 0 ? "" : (h.GetValueAtPercentile(p) / 1000.0).ToString("F1", CultureInfo.InvariantCulture);

    /// <summary>Engine thread: the order onto the gateway ring first (as live), then to the paper exchange so the storm goes on.</summary>
    private sealed class HandOffThenPaper(GatewayHandoff handoff, PaperOrderGateway paper) : IOrderGateway
    {
        /// <summary>Orders (not hints) the gateway ring refused: the engine treats each as a refusal.</summary>
        public long OrdersRefused { get; private set; }

        public bool TrySubmit(in OrderCommand command)
        {
            if (handoff.TrySubmit(command))
            {
                return paper.TrySubmit(command);
            }

            OrdersRefused += command.Kind is OrderCommandKind.MarketBuy or OrderCommandKind.MarketSell or OrderCommandKind.LimitSell ? 1 : 0;
            return false;
        }
    }

    /// <summary>
    /// Gateway thread: what the live gateway does with a create before it writes it — its identifier, validation and
    /// signing into a reused request — then the stamps. Cancels and other requests are not orders and are ignored.
    /// </summary>
    private sealed class SigningGateway : IOrderGateway
    {
        private static readonly UpbitCredentials Keys = new("bench-access-key", "bench-secret-key-0123456789abcdefghijklmn");
        private readonly OrderRequestSigner _signer = new(Keys, new OrderValidator());
        private readonly OrderIdentifiers _identifiers = new();
        private readonly SignedOrderRequest _request = new();

        public LongHistogram[] Hops { get; } = [.. HopNames.Select(_ => new LongHistogram(10_000_000_000L, 3))];

        /// <summary>The requests signed ahead, as the live gateway keeps them (<see cref="UpbitOrderGateway.Presign"/>).</summary>
        public PresignedOrders Presigned { get; } = new();

        public long Refused { get; private set; }

        /// <summary>Gateway thread, idle: what <see cref="UpbitOrderGateway.Presign"/> does.</summary>
        public bool Presign(OrderCommand buy)
        {
            var identifier = _identifiers.For(buy.IntentId, 0);
            Span<byte> id = stackalloc byte[identifier.Length];
            Encoding.ASCII.GetBytes(identifier, id);
            return Presigned.Keep(_signer, buy, id, out _);
        }

        public bool TrySubmit(in OrderCommand command)
        {
            if (command.Kind is not (OrderCommandKind.MarketBuy or OrderCommandKind.MarketSell or OrderCommandKind.LimitSell))
            {
                return true;
            }

            var identifier = _identifiers.For(command.IntentId, 0);
            Span<byte> id = stackalloc byte[identifier.Length];
            Encoding.ASCII.GetBytes(identifier, id);
            if (!Presigned.TryTake(command, id, _request) && !_signer.TrySign(command, id, _request, out _))
            {
                Refused++;
                return true;
            }

            var signed = LatencyClock.NowNs();
            ReadOnlySpan<long> stamps = [command.OriginNs, command.DecidedNs, command.HandedOffNs, command.PickedUpNs, signed];
            for (var i = 0; i < 4; i++)
            {
                LatencyHistograms.Record(Hops[i], stamps[i + 1] - stamps[i]);
            }

            if (command.Kind == OrderCommandKind.MarketBuy)
            {
                LatencyHistograms.Record(Hops[4], signed - command.PickedUpNs);
                LatencyHistograms.Record(Hops[5], signed - command.OriginNs);
            }

            LatencyHistograms.Record(Hops[^1], signed - command.OriginNs);
            return true;
        }

        /// <summary>The live gateway's idle rehearsal: the smallest market buy signed and thrown away (through the same look-up first).</summary>
        public void Rehearse()
        {
            var rehearsal = new OrderCommand(OrderCommandKind.MarketBuy, 0, -1, "KRW-BTC", AmountKrw: 5_000m);
            if (!Presigned.TryTake(rehearsal, "upbithft-rehearsal-0000000000000000"u8, _request))
            {
                _signer.TrySign(rehearsal, "upbithft-rehearsal-0000000000000000"u8, _request, out _);
            }
        }
    }
}
