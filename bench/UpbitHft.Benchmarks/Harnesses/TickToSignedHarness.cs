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
/// signer (<see cref="OrderRequestSigner"/>, HS512, the live identifier format). Nothing is sent: the order is then
/// stamped "signed" and dropped. The same order is also filled by the paper exchange on the engine thread, after the
/// hand-off, so the storm goes on (buy, take-profit, buy…) exactly as in the paper replay.
/// Run: <c>dotnet run -c Release --project bench/UpbitHft.Benchmarks -- tick-to-signed [rate]</c>.
/// </summary>
public static class TickToSignedHarness
{
    private static readonly string[] HopNames = ["tick → decision", "decision → hand-off", "hand-off → pick-up", "pick-up → signed", "**tick → signed**"];

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
            sb.AppendLine("| engine wait | gateway wait | hop | count | p50 | p90 | p99 | p99.9 | max |");
            sb.AppendLine("|---|---|---|---:|---:|---:|---:|---:|---:|");
            foreach (var (engine, gateway) in new[]
                     {
                         (WaitStrategies.Default, WaitStrategyKind.SpinThenBlock), // the shipped defaults
                         (WaitStrategyKind.BusySpin, WaitStrategyKind.SpinThenBlock),
                         (WaitStrategies.Default, WaitStrategyKind.Yielding),
                     })
            {
                _ = Measure(session, rate, engine, gateway); // warm-up: JIT, first-lap faults
                var hops = Measure(session, rate, engine, gateway);
                for (var i = 0; i < hops.Length; i++)
                {
                    var h = hops[i];
                    sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                        $"| {engine} | {gateway} | {HopNames[i]} | {h.TotalCount:N0} | {Us(h, 50)} | {Us(h, 90)} | {Us(h, 99)} | {Us(h, 99.9)} | {h.GetMaxValue() / 1000.0:F1} |"));
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
    internal static LongHistogram[] Measure(string session, double rate, WaitStrategyKind engineWait, WaitStrategyKind gatewayWait)
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
        var rehearsal = new IdleRehearsal(signing.Rehearse, TimeSpan.FromMilliseconds(1)); // as a live run's default --gateway-rehearsal-ms
        var result = ReplayRunner.RunAsync(settings, TextWriter.Null, CancellationToken.None, pipeline =>
        {
            handoff = new GatewayHandoff(signing, pipeline.Markets, wait: gatewayWait, rehearsal: rehearsal);
            pipeline.Engine.AttachGateway(new HandOffThenPaper(handoff, pipeline.Engine.PaperGateway!));
            handoff.Start();
        }).GetAwaiter().GetResult();
        if (!handoff!.DrainAndHalt(TimeSpan.FromSeconds(10)))
        {
            throw new InvalidOperationException("the gateway thread did not drain its ring");
        }

        if (signing.Refused > 0 || handoff.Refused > 0 || handoff.Faults > 0)
        {
            throw new InvalidOperationException($"orders lost on the way: {signing.Refused} refused by the validator, {handoff.Refused} by a full ring, {handoff.Faults} faults");
        }

        if (signing.Hops[^1].TotalCount != result.TickToOrderHistogram.TotalCount)
        {
            throw new InvalidOperationException($"{result.TickToOrderHistogram.TotalCount} orders decided but {signing.Hops[^1].TotalCount} signed");
        }

        return signing.Hops;
    }

    private static string Us(HistogramBase h, double p) =>
        h.TotalCount == 0 ? "" : (h.GetValueAtPercentile(p) / 1000.0).ToString("F1", CultureInfo.InvariantCulture);

    /// <summary>Engine thread: the order onto the gateway ring first (as live), then to the paper exchange so the storm goes on.</summary>
    private sealed class HandOffThenPaper(GatewayHandoff handoff, PaperOrderGateway paper) : IOrderGateway
    {
        public bool TrySubmit(in OrderCommand command) => handoff.TrySubmit(command) && paper.TrySubmit(command);
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

        public long Refused { get; private set; }

        public bool TrySubmit(in OrderCommand command)
        {
            if (command.Kind is not (OrderCommandKind.MarketBuy or OrderCommandKind.MarketSell or OrderCommandKind.LimitSell))
            {
                return true;
            }

            var identifier = _identifiers.For(command.IntentId, 0);
            Span<byte> id = stackalloc byte[identifier.Length];
            Encoding.ASCII.GetBytes(identifier, id);
            if (!_signer.TrySign(command, id, _request, out _))
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

            LatencyHistograms.Record(Hops[4], signed - command.OriginNs);
            return true;
        }

        /// <summary>The live gateway's idle rehearsal: the smallest market buy signed and thrown away.</summary>
        public void Rehearse() => _signer.TrySign(new OrderCommand(OrderCommandKind.MarketBuy, 0, -1, "KRW-BTC", AmountKrw: 5_000m), "upbithft-rehearsal-0000000000000000"u8, _request, out _);
    }
}
