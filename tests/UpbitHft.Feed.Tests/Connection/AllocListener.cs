using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace UpbitHft.Feed.Tests.Connection;

/// <summary>Counts allocation-tick samples by type, so an allocation test failure names what allocated.</summary>
internal sealed class AllocListener : EventListener
{
    public ConcurrentDictionary<string, long> Types { get; } = new();

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(source, EventLevel.Verbose, (EventKeywords)0x1);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (e.EventName?.StartsWith("GCAllocationTick", StringComparison.Ordinal) == true && e.Payload is { } p)
        {
            var i = e.PayloadNames!.IndexOf("TypeName");
            var name = i >= 0 ? p[i]?.ToString() ?? "?" : "?";
            Types.AddOrUpdate(name, 1, (_, v) => v + 1);
        }
    }
}
