using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Net.WebSockets;
using System.Text;
using UpbitHft.Feed.Events;

namespace UpbitHft.Feed.Connection;

/// <summary>
/// Bytes of one connection: socket → pipe → handler.
/// </summary>
/// <remarks>
/// Framing in the pipe: each message is followed by a NUL byte and the 8-byte receive timestamp. A NUL can never
/// appear raw inside a JSON text (control characters must be escaped), so the consumer finds message ends with one
/// vectorized search. A corrupt frame containing NUL splits into two invalid frames, both counted by the parser.
/// </remarks>
public sealed partial class UpbitFeed<THandler>
{
    private const int TrailerBytes = 9;
    private const int BlockSize = 64 * 1024;

    private readonly BlockMemoryPool _pool = new(BlockSize);

    private async Task<string> StreamAsync(ClientWebSocket socket, CancellationToken cancel)
    {
        // 64 KB segments from a recycling pool: with the default 4 KB segments and the shared array pool, a new
        // segment (and often a new array) was allocated every few messages (1.4 KB per message, measured).
        // The consumer runs inline, on the thread that flushed the message: handing it to the thread pool cost a
        // thread wake-up per message, 40-60 µs of receive -> decision on the loopback harness (perf-reports/latency.md).
        // So the consumer bounds the pipe itself: while the engine's ring is full the receive loop waits in its flush,
        // TCP holds the exchange back, and a stall as long as the silence timeout ends in a reconnect.
        var pipe = new Pipe(new PipeOptions(_pool, pauseWriterThreshold: _options.PauseWriterThreshold, resumeWriterThreshold: _options.PauseWriterThreshold / 2, minimumSegmentSize: BlockSize, useSynchronizationContext: false, readerScheduler: PipeScheduler.Inline));
        using var connection = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        var receive = ReceiveAsync(socket, pipe.Writer, connection.Token);
        var consume = ConsumeAsync(pipe.Reader, connection.Token);
        var watchdog = WatchAsync(socket, connection.Token);
        var first = await Task.WhenAny(receive, consume, watchdog).ConfigureAwait(false);
        if (first == consume && consume.IsCompletedSuccessfully)
        {
            // The consumer ends on its own only once the receive loop completed the pipe, and (inline) it ends inside
            // that completion, before the receive task does: the socket's reason is the receive task's.
            await Task.WhenAny(receive, Task.Delay(TimeSpan.FromSeconds(2), _time, CancellationToken.None)).ConfigureAwait(false);
            first = receive.IsCompleted ? receive : first;
        }

        // When we aborted the socket ourselves, the receive loop may end before the task that aborted it: say why.
        var reason = Interlocked.Exchange(ref _abortReason, null)
            ?? (first.IsFaulted ? first.Exception!.GetBaseException().Message
                : first.IsCanceled ? "connection aborted"
                : await first.ConfigureAwait(false));
        if (first == receive)
        {
            // The socket ended; the writer is completed. Let the consumer hand over what is already in the pipe
            // before tearing down, so no received message is lost on a disconnect.
            await Task.WhenAny(consume, Task.Delay(TimeSpan.FromSeconds(2), _time, CancellationToken.None)).ConfigureAwait(false);
        }

        await connection.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(Quiet(receive), Quiet(consume), Quiet(watchdog)).ConfigureAwait(false);
        if (cancel.IsCancellationRequested && socket.State == WebSocketState.Open)
        {
            using var closeTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(2), _time);
            await Quiet(socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "shutdown", closeTimeout.Token)).ConfigureAwait(false);
        }

        return reason;
    }

    /// <summary>Socket → pipe: each receive lands in pipe memory; a message end appends the NUL + timestamp trailer.</summary>
    private async Task<string> ReceiveAsync(ClientWebSocket socket, PipeWriter writer, CancellationToken cancel)
    {
        try
        {
            while (true)
            {
                var memory = writer.GetMemory();
                var result = await socket.ReceiveAsync(memory, cancel).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return $"server closed ({socket.CloseStatus} {socket.CloseStatusDescription})";
                }

                writer.Advance(result.Count);
                MarkAlive(data: false);
                if (result.EndOfMessage)
                {
                    var trailer = writer.GetSpan(TrailerBytes);
                    trailer[0] = 0;
                    BinaryPrimitives.WriteInt64LittleEndian(trailer[1..], LatencyClock.NowNs());
                    writer.Advance(TrailerBytes);
                    var flush = await writer.FlushAsync(cancel).ConfigureAwait(false);
                    if (flush.IsCompleted)
                    {
                        return "consumer stopped";
                    }
                }
            }
        }
        finally
        {
            // Completed without the exception on purpose: the consumer must still drain what was received; the
            // failure itself is reported by this task (and becomes the "down" reason).
            await writer.CompleteAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Pipe → handler: one complete message at a time, with AdvanceTo(consumed, examined) so a partial one is not re-scanned.</summary>
    private async Task<string> ConsumeAsync(PipeReader reader, CancellationToken cancel)
    {
        try
        {
            while (true)
            {
                var read = await reader.ReadAsync(cancel).ConfigureAwait(false);
                var buffer = read.Buffer;
                while (TryTakeFrame(ref buffer, out var frame, out var receiveNs))
                {
                    Messages++;
                    if (StartsWithError(frame))
                    {
                        ErrorFrames++;
                        _log($"feed {_options.Source}: error frame: {Encoding.UTF8.GetString(frame)}");
                    }

                    if (!StartsWithStatus(frame))
                    {
                        MarkAlive(data: true);
                    }

                    _handler.OnFrame(frame, receiveNs, _options.Source);
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
                if (read.IsCompleted)
                {
                    return "socket reader ended";
                }
            }
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
        }
    }

    private static bool TryTakeFrame(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> frame, out long receiveNs)
    {
        frame = default;
        receiveNs = 0;
        var end = buffer.PositionOf((byte)0);
        if (end is null)
        {
            return false;
        }

        var afterNul = buffer.GetPosition(1, end.Value);
        var rest = buffer.Slice(afterNul);
        if (rest.Length < 8)
        {
            return false;
        }

        Span<byte> stamp = stackalloc byte[8];
        rest.Slice(0, 8).CopyTo(stamp);
        receiveNs = BinaryPrimitives.ReadInt64LittleEndian(stamp);
        frame = buffer.Slice(0, end.Value);
        buffer = rest.Slice(8);
        return true;
    }

    private static bool StartsWithStatus(in ReadOnlySequence<byte> frame)
    {
        var first = frame.FirstSpan;
        return first.Length >= 10 && first[..10].SequenceEqual("{\"status\":"u8);
    }

    private static bool StartsWithError(in ReadOnlySequence<byte> frame)
    {
        var first = frame.FirstSpan;
        return first.Length >= 9 && first[..9].SequenceEqual("{\"error\":"u8);
    }
}
