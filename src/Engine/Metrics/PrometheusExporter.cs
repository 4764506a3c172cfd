using System.Diagnostics.Metrics;
using Prometheus;

namespace UpbitHft.Engine.Metrics;

/// <summary>
/// The <c>UpbitHft</c> meter in Prometheus's text format, through prometheus-net's own collectors in a private
/// registry (so nothing but the engine's series is exposed). A <see cref="MeterListener"/> maps each instrument onto
/// the collector of the same name and type: an observable counter onto a counter (<c>IncTo</c> the observed total), an
/// observable gauge onto a gauge (a labelled series not observed in a scrape is removed: market data age is for held
/// markets only), a histogram onto a histogram with <see cref="LatencyBuckets"/>. prometheus-net's own
/// <c>MeterAdapter</c> is not used: it publishes every .NET counter as a Prometheus gauge and expires idle series,
/// and the dashboard needs counters under fixed names. The latency samples are drained every 250 ms and at each
/// scrape into the histograms.
/// </summary>
public sealed class PrometheusExporter : IDisposable
{
    /// <summary>Bucket upper bounds of the latency histograms, seconds: 1 µs to 10 s in 1-2.5-5 steps.</summary>
    public static readonly double[] LatencyBuckets =
    [
        1e-6, 2.5e-6, 5e-6, 1e-5, 2.5e-5, 5e-5, 1e-4, 2.5e-4, 5e-4, 1e-3, 2.5e-3, 5e-3, 1e-2, 2.5e-2, 5e-2, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
    ];

    private readonly EngineMeter _meter;
    private readonly CollectorRegistry _registry = Prometheus.Metrics.NewCustomRegistry();
    private readonly MetricFactory _factory;
    private readonly MeterListener _listener = new();
    private readonly Dictionary<Instrument, Family> _families = [];
    private readonly Lock _lock = new();
    private readonly System.Threading.ITimer _drainTimer;
    private readonly Action<long> _recordDecision;
    private readonly Action<long> _recordOrder;

    /// <summary>Starts listening to <paramref name="meter"/>; the latency samples are drained on <paramref name="time"/>'s timer.</summary>
    public PrometheusExporter(EngineMeter meter, TimeProvider? time = null)
    {
        _meter = meter;
        _factory = Prometheus.Metrics.WithCustomRegistry(_registry);
        _recordDecision = ns => meter.TickToDecision.Record(ns / 1e9);
        _recordOrder = ns => meter.TickToOrder.Record(ns / 1e9);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter == meter.Meter)
            {
                lock (_lock)
                {
                    _families[instrument] = Create(instrument);
                }

                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => OnMeasurement(i, v, tags));
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => OnMeasurement(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => OnMeasurement(i, v, tags));
        _listener.Start();
        _drainTimer = (time ?? TimeProvider.System).CreateTimer(_ => Drain(), null, TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(250));
    }

    /// <summary>Collects every instrument and writes the exposition to <paramref name="output"/>.</summary>
    public async Task WriteAsync(Stream output, CancellationToken cancel = default)
    {
        lock (_lock)
        {
            DrainLocked();
            foreach (var family in _families.Values)
            {
                family.Seen.Clear();
            }

            _listener.RecordObservableInstruments();
            foreach (var family in _families.Values)
            {
                family.RemoveUnseen();
            }
        }

        await _registry.CollectAndExportAsTextAsync(output, cancel).ConfigureAwait(false);
    }

    /// <summary>The exposition as text (tests, diagnostics).</summary>
    public async Task<string> ScrapeAsync(CancellationToken cancel = default)
    {
        using var buffer = new MemoryStream();
        await WriteAsync(buffer, cancel).ConfigureAwait(false);
        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _drainTimer.Dispose();
        _listener.Dispose();
    }

    private void Drain()
    {
        lock (_lock)
        {
            DrainLocked();
        }
    }

    private void DrainLocked()
    {
        _meter.Telemetry.TickToDecision.Drain(_recordDecision);
        _meter.Telemetry.TickToOrder.Drain(_recordOrder);
    }

    private Family Create(Instrument instrument)
    {
        var labels = EngineMeter.LabelNames.TryGetValue(instrument.Name, out var names) ? names : [];
        var help = instrument.Description ?? instrument.Name;
        return instrument switch
        {
            ObservableCounter<long> or ObservableCounter<int> or ObservableCounter<double> => new Family(_factory.CreateCounter(instrument.Name, help, labels), labels),
            Histogram<double> => new Family(_factory.CreateHistogram(instrument.Name, help, labels, new HistogramConfiguration { Buckets = LatencyBuckets }), labels),
            _ => new Family(_factory.CreateGauge(instrument.Name, help, labels), labels),
        };
    }

    /// <summary>Runs inside <see cref="MeterListener.RecordObservableInstruments"/> or a histogram's Record: always under the lock.</summary>
    private void OnMeasurement(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (!_families.TryGetValue(instrument, out var family))
        {
            return;
        }

        var values = new string[family.LabelNames.Length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = "";
            foreach (var tag in tags)
            {
                if (tag.Key == family.LabelNames[i])
                {
                    values[i] = tag.Value?.ToString() ?? "";
                }
            }
        }

        switch (family.Collector)
        {
            case Counter counter:
                if (values.Length == 0)
                {
                    counter.IncTo(value);
                }
                else
                {
                    counter.WithLabels(values).IncTo(value);
                }

                break;
            case Gauge gauge:
                if (values.Length == 0)
                {
                    gauge.Set(value);
                }
                else
                {
                    gauge.WithLabels(values).Set(value);
                }

                family.Seen.Add(string.Join('\u001f', values));
                family.Known[string.Join('\u001f', values)] = values;
                break;
            case Histogram histogram:
                if (values.Length == 0)
                {
                    histogram.Observe(value);
                }
                else
                {
                    histogram.WithLabels(values).Observe(value);
                }

                break;
        }
    }

    private sealed class Family(Collector collector, string[] labelNames)
    {
        public Collector Collector { get; } = collector;
        public string[] LabelNames { get; } = labelNames;
        public HashSet<string> Seen { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, string[]> Known { get; } = new(StringComparer.Ordinal);

        /// <summary>A labelled gauge series that this scrape did not observe is gone (a market no longer held).</summary>
        public void RemoveUnseen()
        {
            if (Collector is not Gauge gauge || LabelNames.Length == 0)
            {
                return;
            }

            foreach (var key in Known.Keys.Where(k => !Seen.Contains(k)).ToArray())
            {
                gauge.RemoveLabelled(Known[key]);
                Known.Remove(key);
            }
        }
    }
}
