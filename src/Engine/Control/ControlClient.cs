using System.Net.Sockets;
using System.Text;

namespace UpbitHft.Engine.Control;

/// <summary><c>upbithft control …</c>: sends one command to a running engine's control socket and returns its answer.</summary>
public static class ControlClient
{
    /// <summary>Sends <paramref name="command"/>; the answer text, or throws <see cref="IOException"/> when no engine listens.</summary>
    public static async Task<string> SendAsync(string socketPath, string command, CancellationToken cancel = default)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancel).ConfigureAwait(false);
        }
        catch (SocketException ex)
        {
            throw new IOException($"no engine is running on this journal (cannot connect to {socketPath}: {ex.SocketErrorCode})", ex);
        }

        await using var stream = new NetworkStream(socket, ownsSocket: false);
        var request = Encoding.UTF8.GetBytes(command + "\n");
        await stream.WriteAsync(request, cancel).ConfigureAwait(false);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return await reader.ReadToEndAsync(cancel).ConfigureAwait(false);
    }

    /// <summary>Whether something answers on <paramref name="socketPath"/> (a running engine).</summary>
    public static bool IsListening(string socketPath)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(socketPath));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
