using System.Text;
using System.Text.Json;

namespace UpbitHft.Feed.Subscriptions;

/// <summary>Upbit's stream formats (docs/upbit.md#subscriptions).</summary>
public enum StreamFormat
{
    Simple,
    Default,
}

/// <summary>
/// Builds the subscription message of docs/upbit.md#subscriptions: <c>[{ticket}, {type…}, …, {format}]</c>, snake_case flags. A new
/// message replaces the whole set on the connection, so the feed always re-sends the full request.
/// </summary>
public static class SubscriptionRequest
{
    /// <summary>ticker + trade + orderbook for <paramref name="codes"/> (optionally a book depth: <c>KRW-BTC.15</c>).</summary>
    public static string Public(string ticket, IReadOnlyCollection<string> codes, StreamFormat format = StreamFormat.Simple, int? orderbookDepth = null)
    {
        ArgumentNullException.ThrowIfNull(codes);
        if (codes.Count == 0)
        {
            throw new ArgumentException("At least one market code is needed to subscribe.", nameof(codes));
        }

        if (orderbookDepth is not (null or 1 or 5 or 15 or 30))
        {
            throw new ArgumentOutOfRangeException(nameof(orderbookDepth), orderbookDepth, "Orderbook depth must be 1, 5, 15 or 30.");
        }

        return Write(ticket, format, w =>
        {
            Type(w, "ticker", codes);
            Type(w, "trade", codes);
            Type(w, "orderbook", orderbookDepth is { } d ? codes.Select(c => $"{c}.{d}").ToList() : codes);
        });
    }

    /// <summary>myOrder (all markets) + myAsset for the private socket (no codes allowed for myAsset).</summary>
    public static string Private(string ticket, StreamFormat format = StreamFormat.Simple) =>
        Write(ticket, format, w =>
        {
            w.WriteStartObject();
            w.WriteString("type", "myOrder");
            w.WriteEndObject();
            w.WriteStartObject();
            w.WriteString("type", "myAsset");
            w.WriteEndObject();
        });

    private static string Write(string ticket, StreamFormat format, Action<Utf8JsonWriter> types)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartArray();
            w.WriteStartObject();
            w.WriteString("ticket", ticket);
            w.WriteEndObject();
            types(w);
            w.WriteStartObject();
            w.WriteString("format", format == StreamFormat.Simple ? "SIMPLE" : "DEFAULT");
            w.WriteEndObject();
            w.WriteEndArray();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void Type(Utf8JsonWriter w, string type, IReadOnlyCollection<string> codes)
    {
        w.WriteStartObject();
        w.WriteString("type", type);
        w.WriteStartArray("codes");
        foreach (var c in codes)
        {
            w.WriteStringValue(c);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }
}
