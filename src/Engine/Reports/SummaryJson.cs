using System.Text.Json;
using UpbitHft.Engine.Runtime;

namespace UpbitHft.Engine.Reports;

/// <summary>Writes <c>--summary-json</c>: the fields the console-engine issue documents, nothing else.</summary>
public static class SummaryJson
{
    public static void Write(RunResult r, string path)
    {
        using var stream = File.Create(path);
        Write(r, stream, indented: true);
    }

    /// <summary>The summary as one JSON text (for the journal's <c>runs</c> table).</summary>
    public static string ToJson(RunResult r)
    {
        using var stream = new MemoryStream();
        Write(r, stream, indented: false);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void Write(RunResult r, Stream stream, bool indented)
    {
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = indented });
        w.WriteStartObject();
        w.WriteStartObject("messages");
        w.WriteNumber("total", r.Messages);
        w.WriteNumber("trade", r.Trades);
        w.WriteNumber("ticker", r.Tickers);
        w.WriteNumber("orderbook", r.Orderbooks);
        w.WriteNumber("other", r.Other);
        w.WriteNumber("rejected", r.Rejected);
        w.WriteEndObject();
        w.WriteNumber("orders", r.Orders);
        w.WriteStartArray("trades");
        foreach (var t in r.ClosedTrades)
        {
            w.WriteStartObject();
            w.WriteString("market", t.Market);
            w.WriteNumber("entry_price", t.EntryPrice);
            w.WriteNumber("exit_price", t.ExitPrice);
            w.WriteNumber("volume", t.Volume);
            w.WriteString("exit_reason", t.ExitReason);
            w.WriteNumber("pnl_krw", t.PnlKrw);
            w.WriteNumber("slippage_krw", t.SlippageKrw);
            w.WriteNumber("slippage_bp", Math.Round(t.SlippageBp, 3));
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteNumber("pnl_krw", r.PnlKrw);
        w.WriteNumber("elapsed_s", Math.Round(r.ElapsedSeconds, 6));
        w.WriteNumber("messages_per_s", Math.Round(r.Messages / Math.Max(r.ElapsedSeconds, 1e-9), 1));
        w.WriteNumber("allocated_bytes_per_message", Math.Round(r.AllocatedBytesPerMessage, 3));
        w.WriteNumber("gen0_collections", r.Gen0Collections);
        w.WriteNumber("orders_refused", r.OrdersRefused);
        w.WriteStartObject("journal");
        w.WriteNumber("write_failures", r.JournalWriteFailures);
        w.WriteString("last_error", r.JournalLastError);
        w.WriteEndObject();
        w.WriteStartObject("latency_ns");
        Latency(w, "tick_to_decision", r.TickToDecision);
        Latency(w, "tick_to_order", r.TickToOrder);
        if (r.PublishToDecisionHistogram is { } publish)
        {
            Latency(w, "publish_to_decision", LatencySummary.From(publish));
        }

        w.WriteEndObject();
        w.WriteBoolean("full_speed", r.FullSpeed);
        w.WriteNumber("frames_parsed_by_engine_thread", r.FramesParsedByEngine);
        w.WriteStartObject("service_ns");
        foreach (var (name, h) in new[] { ("parse", r.ParseTimeHistogram), ("handoff", r.HandOffHistogram), ("decision", r.DecisionTimeHistogram) })
        {
            if (h is not null)
            {
                Latency(w, name, LatencySummary.From(h));
            }
        }

        w.WriteEndObject();
        if (r.OrderPath is { } path)
        {
            OrderPath(w, r, path);
        }

        w.WriteEndObject();
    }

    /// <summary>Live: the order path hop by hop (steady state), and the first order of the run on its own.</summary>
    private static void OrderPath(Utf8JsonWriter w, RunResult r, OrderPathStats path)
    {
        w.WriteStartObject("order_path");
        w.WriteNumber("warm_up_orders", r.WarmUpOrders);
        w.WriteNumber("order_connections", r.OrderConnections);
        w.WriteStartObject("entries_signed_ahead"); // foreseen by the engine, signed by the gateway while it waited, taken by their order
        w.WriteNumber("foreseen", r.EntriesForeseen);
        w.WriteNumber("kept", r.SignedAhead.Kept);
        w.WriteNumber("taken", r.SignedAhead.Taken);
        w.WriteNumber("dropped", r.SignedAhead.Dropped);
        w.WriteEndObject();
        if (path.First is { } first)
        {
            w.WriteStartObject("first_order_ns");
            w.WriteNumber("receive_to_signed", first.ReceivedNs > 0 && first.SignedNs > 0 ? first.SignedNs - first.ReceivedNs : 0);
            w.WriteNumber("receive_to_written", first.ReceivedNs > 0 && first.WrittenNs > 0 ? first.WrittenNs - first.ReceivedNs : 0);
            foreach (var (name, from, to) in OrderPathStats.Hops)
            {
                w.WriteNumber(name, from(first) > 0 && to(first) > 0 ? to(first) - from(first) : 0);
            }

            // On the machine's monotonic clock (CLOCK_MONOTONIC, shared by its processes): for pairing with another
            // process's stamps, such as a test exchange's.
            w.WriteNumber("received_at", first.ReceivedNs);
            w.WriteNumber("written_at", first.WrittenNs);
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("first_order_ns");
        }

        w.WriteStartObject("steady_ns");
        Latency(w, "receive_to_signed", LatencySummary.From(path.ReceiveToSigned));
        Latency(w, "receive_to_written", LatencySummary.From(path.ReceiveToWritten));
        foreach (var (name, h) in path.HopHistograms())
        {
            Latency(w, name, LatencySummary.From(h));
        }

        if (r.AnswerToAppliedHistogram is { } applied)
        {
            Latency(w, "answer_to_applied", LatencySummary.From(applied));
        }

        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void Latency(Utf8JsonWriter w, string name, LatencySummary l)
    {
        w.WriteStartObject(name);
        w.WriteNumber("p50", l.P50);
        w.WriteNumber("p99", l.P99);
        w.WriteNumber("p999", l.P999);
        w.WriteNumber("max", l.Max);
        w.WriteNumber("count", l.Count);
        w.WriteEndObject();
    }
}
