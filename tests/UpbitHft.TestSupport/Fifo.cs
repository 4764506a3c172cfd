using System.Diagnostics;

namespace UpbitHft.TestSupport;

/// <summary>
/// A named pipe (FIFO) on disk, fed once with given bytes by a writer task: an input that cannot seek and has no size,
/// as <c>/dev/stdin</c> is for a piped command.
/// </summary>
public sealed class Fifo : IDisposable
{
    private readonly Task _writer;

    private Fifo(string path, Task writer)
    {
        Path = path;
        _writer = writer;
    }

    public string Path { get; }

    /// <summary>Makes the FIFO at <paramref name="path"/> (<c>mkfifo</c>) and starts writing <paramref name="content"/> to it; the write waits for a reader.</summary>
    public static Fifo Create(string path, byte[] content)
    {
        using (var mk = Process.Start(new ProcessStartInfo("mkfifo", [path]) { UseShellExecute = false }) ?? throw new InvalidOperationException("mkfifo did not start"))
        {
            mk.WaitForExit();
            if (mk.ExitCode != 0)
            {
                throw new InvalidOperationException($"mkfifo {path} failed ({mk.ExitCode})");
            }
        }

        var writer = Task.Run(() =>
        {
            using var w = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);
            w.Write(content);
        });
        return new Fifo(path, writer);
    }

    /// <summary>Whether the writer has written everything (and how it ended), waiting at most <paramref name="timeout"/>.</summary>
    public async Task<bool> WrittenAsync(TimeSpan timeout) => await Task.WhenAny(_writer, Task.Delay(timeout)).ConfigureAwait(false) == _writer && _writer.IsCompletedSuccessfully;

    /// <summary>
    /// Lets whoever is still blocked opening the FIFO go on: a reader then sees the end, the writer a reader that
    /// leaves. A test that failed must not hang on it. Opening a FIFO for reading and writing never blocks (Linux).
    /// </summary>
    public void Release()
    {
        try
        {
            using var unblock = new FileStream(Path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, bufferSize: 0);
        }
        catch (IOException)
        {
        }
    }

    public void Dispose()
    {
        if (!_writer.IsCompleted)
        {
            Release(); // a test that failed before any reader opened the FIFO must not leave the writer blocked in open()
        }

        File.Delete(Path);
    }
}
