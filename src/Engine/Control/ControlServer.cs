using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using UpbitHft.Engine.Logging;
using UpbitHft.Engine.Runtime;
using UpbitHft.Engine.Ring;

namespace UpbitHft.Engine.Control;

/// <summary>
/// Operator control of a running engine: a Unix domain socket next to the journal (<c>JOURNAL.ctl</c>, owner-only
/// permissions) that takes one command per connection — <c>kill</c>, <c>pause</c>, <c>resume</c>, <c>status</c> — and
/// hands it to the engine thread as a ring event, like shutdown. <c>status</c> waits for the engine's copy of its state.
/// </summary>
public sealed class ControlServer : IAsyncDisposable
{
    private int _disposed;
    private readonly Socket _listener;
    private readonly EnginePipeline _pipeline;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accept;

    private readonly TimeProvider _time;

    private ControlServer(Socket listener, string path, EnginePipeline pipeline, ILogger logger, TimeProvider time)
    {
        _time = time;
        _listener = listener;
        Path = path;
        _pipeline = pipeline;
        _logger = logger;
        _accept = Task.Run(AcceptAsync);
    }

    /// <summary>The socket's path.</summary>
    public string Path { get; }

    /// <summary>The control socket path of a journal.</summary>
    public static string PathFor(string journalPath) => System.IO.Path.GetFullPath(journalPath) + ".ctl";

    /// <summary>
    /// Listens next to <paramref name="journalPath"/>. A socket file left by a crash is replaced; one that answers
    /// belongs to a running engine on the same journal, which is refused (two engines must never share a journal).
    /// </summary>
    public static ControlServer Start(string journalPath, EnginePipeline pipeline, ILogger logger, TimeProvider? time = null)
    {
        var path = PathFor(journalPath);
        if (File.Exists(path))
        {
            if (ControlClient.IsListening(path))
            {
                throw new InvalidOperationException($"another engine is running on this journal (its control socket {path} answers); stop it first");
            }

            File.Delete(path); // left by a crash
        }

        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Bind(new UnixDomainSocketEndPoint(path));
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite); // the owner only
            }
            socket.Listen(4);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new ControlServer(socket, path, pipeline, logger, time ?? TimeProvider.System);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();
        try
        {
            await _accept.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        File.Delete(Path);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(Socket client)
    {
        using (client)
        await using (var stream = new NetworkStream(client))
        {
            using var reader = new StreamReader(stream, Encoding.UTF8);
            await using var writer = new StreamWriter(stream, new UTF8Encoding(false)) { NewLine = "\n", AutoFlush = true };
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                timeout.CancelAfter(TimeSpan.FromSeconds(5));
                var line = (await reader.ReadLineAsync(timeout.Token).ConfigureAwait(false))?.Trim().ToLowerInvariant();
                await writer.WriteAsync(await HandleAsync(line).ConfigureAwait(false)).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or SocketException)
            {
                // the client went away; nothing to answer
            }
        }
    }

    private async Task<string> HandleAsync(string? command)
    {
        switch (command)
        {
            case "kill":
                HostLog.ControlKill(_logger);
                _pipeline.PublishControl(ControlCommand.KillSwitch);
                return "ok: kill switch thrown; every position is being sold, then the engine stops\n";
            case "pause":
                HostLog.ControlPause(_logger);
                _pipeline.PublishControl(ControlCommand.Pause);
                return "ok: entries paused; exits continue\n";
            case "resume":
                HostLog.ControlResume(_logger);
                _pipeline.PublishControl(ControlCommand.Resume);
                return "ok: entries resumed\n";
            case "status":
                var status = _pipeline.Engine.Status;
                var before = status.Version;
                _pipeline.PublishControl(ControlCommand.Status);
                var asked = _time.GetTimestamp();
                while (status.Version == before && _time.GetElapsedTime(asked) < TimeSpan.FromSeconds(3))
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(10), _time).ConfigureAwait(false);
                }

                return status.Version == before ? "error: the engine did not answer within 3 s\n" : status.Format();
            default:
                return $"error: unknown command '{command}' (kill, pause, resume, status)\n";
        }
    }
}
