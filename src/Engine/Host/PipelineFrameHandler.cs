using System.Buffers;
using UpbitHft.Feed.Connection;

namespace UpbitHft.Engine.Host;

/// <summary>The live feed's handler: parse each message straight into a ring slot; feed down/up become ring events.</summary>
public readonly struct PipelineFrameHandler(EnginePipeline pipeline) : IFrameHandler
{
    public void OnFrame(in ReadOnlySequence<byte> frame, long receiveTimestampNs, FeedSource source) => pipeline.Publish(frame, receiveTimestampNs);

    public void OnFeedStatus(FeedSource source, FeedStatus status, string reason) => pipeline.PublishFeedStatus(status == FeedStatus.Up);
}

/// <summary>The recorder's handler: every message goes to the recording file (off this thread).</summary>
public readonly struct RecordingFrameHandler(UpbitHft.Feed.Recording.RecordingWriter writer) : IFrameHandler
{
    public void OnFrame(in ReadOnlySequence<byte> frame, long receiveTimestampNs, FeedSource source) => writer.TryAppend(frame, receiveTimestampNs, source);

    public void OnFeedStatus(FeedSource source, FeedStatus status, string reason)
    {
    }
}
