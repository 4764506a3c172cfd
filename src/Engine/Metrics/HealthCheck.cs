using System.Globalization;
using UpbitHft.Engine.Runtime;
using UpbitHft.Feed.Events;

namespace UpbitHft.Engine.Metrics;

/// <summary>
/// <c>/healthz</c>: healthy while the public socket is up (and the private one in live mode) and the journal writes;
/// otherwise the first reason, one line. Reads only what other threads publish as plain fields.
/// </summary>
public sealed class HealthCheck(EnginePipeline pipeline)
{
    /// <summary>Healthy, or why not.</summary>
    public (bool Healthy, string Reason) Evaluate()
    {
        var t = pipeline.Engine.Telemetry;
        if (!t.PublicFeed.IsUp)
        {
            return (false, Down("public", t.PublicFeed));
        }

        if (pipeline.IsLive && !t.PrivateFeed.IsUp)
        {
            return (false, Down("private", t.PrivateFeed));
        }

        if (!pipeline.Journal.Healthy)
        {
            return (false, "journal cannot write: " + OneLine(pipeline.Journal.LastError ?? "unknown error"));
        }

        return (true, "ok");
    }

    private static string Down(string socket, FeedState feed) =>
        !feed.EverUp
            ? $"{socket} feed not connected yet"
            : string.Create(CultureInfo.InvariantCulture, $"{socket} feed down for {Math.Max(0, LatencyClock.NowNs() - feed.ChangedNs) / 1e9:0} s");

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");
}
