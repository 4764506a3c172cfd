using System.Buffers;
using UpbitHft.Feed.Connection;

namespace UpbitHft.Engine.Runtime;

/// <summary>
/// A live feed's handler: parse each message straight into a ring slot; feed down/up become ring events. Each feed
/// (public, private) has its own reader thread and, through <see cref="EnginePipeline.PublishPrivate"/>, its own parser.
/// </summary>
public readonly struct PipelineFrameHandler(EnginePipeline pipeline) : IFrameHandler
{
    public void OnFrame(in ReadOnlySequence<byte> frame, long receiveTimestampNs, FeedSource source)
    {
        if (source == FeedSource.Private)
        {
            pipeline.PublishPrivate(frame, receiveTimestampNs);
        }
        else
        {
            pipeline.Publish(frame, receiveTimestampNs);
        }
    }

    public void OnFeedStatus(FeedSource source, FeedStatus status, string reason)
    {
        // Metrics, /healthz and feed-down alerts read the socket's state from here (this feed's thread writes it).
        (source == FeedSource.Private ? pipeline.Engine.Telemetry.PrivateFeed : pipeline.Engine.Telemetry.PublicFeed).OnStatus(status == FeedStatus.Up);
        pipeline.PublishFeedStatus(status == FeedStatus.Up, source);
    }
}

/// <summary>The recorder's handler: every message goes to the recording file (off this thread).</summary>
public readonly struct RecordingFrameHandler(UpbitHft.Feed.Recording.RecordingWriter writer) : IFrameHandler
{
    public void OnFrame(in ReadOnlySequence<byte> frame, long receiveTimestampNs, FeedSource source) => writer.TryAppend(frame, receiveTimestampNs, source);

    public void OnFeedStatus(FeedSource source, FeedStatus status, string reason)
    {
    }
}
