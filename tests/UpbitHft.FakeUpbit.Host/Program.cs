using UpbitHft.TestSupport;
using UpbitHft.TestSupport.FakeUpbit.WebSocket;

namespace UpbitHft.FakeUpbit.Host;

/// <summary>
/// The fake Upbit as a separate process, so a measurement of the client does not share a process with the server:
/// <list type="bullet">
/// <item><c>UpbitHft.FakeUpbit.Host CAPTURE.jsonl COUNT</c>: the public WebSocket alone, serving the first COUNT frames
/// of a capture (its URL on the first line) until standard input closes — for the feed's allocation test;</item>
/// <item><c>UpbitHft.FakeUpbit.Host exchange SCRIPT.jsonl STAMPS.txt [--pace-ms N] [--tls] [--keep-alive-s N]</c>: the whole
/// fake exchange (REST, public and private WebSocket) playing SCRIPT (one frame per line) — see <see cref="ExchangeHost"/>.</item>
/// </list>
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length >= 3 && args[0] == "exchange")
        {
            return await ExchangeHost.RunAsync(args[1..]);
        }

        if (args.Length != 2 || !File.Exists(args[0]) || !int.TryParse(args[1], out var count))
        {
            await Console.Error.WriteLineAsync("usage: UpbitHft.FakeUpbit.Host CAPTURE.jsonl COUNT | exchange SCRIPT.jsonl STAMPS.txt [--pace-ms N] [--tls] [--keep-alive-s N]");
            return 2;
        }

        var frames = SampleFrames.Load(Path.GetDirectoryName(Path.GetFullPath(args[0]))!, Path.GetFileName(args[0])).Take(count).Select(f => f.Bytes);
        await using var server = await FakeUpbitWebSocketServer.StartAsync(frames);
        Console.WriteLine(server.Url);
        await Console.Out.FlushAsync();
        while (await Console.In.ReadLineAsync() is not null)
        {
        }

        return 0;
    }
}
