using UpbitHft.TestSupport;
using UpbitHft.TestSupport.FakeUpbit.WebSocket;

namespace UpbitHft.FakeUpbit.Host;

/// <summary>
/// The fake Upbit WebSocket as a separate process, so a test can measure the client's allocations without the
/// server's: <c>UpbitHft.FakeUpbit.Host CAPTURE.jsonl COUNT</c> prints its URL on the first line and serves the first
/// COUNT frames of the capture until its standard input closes.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length != 2 || !File.Exists(args[0]) || !int.TryParse(args[1], out var count))
        {
            await Console.Error.WriteLineAsync("usage: UpbitHft.FakeUpbit.Host CAPTURE.jsonl COUNT");
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
