using System.Diagnostics;
using System.Text;

namespace UpbitHft.EndToEnd.Tests;

/// <summary>
/// <c>upbithft</c> as a user runs it: a separate process (<c>dotnet upbithft.dll …</c>) talking to the fake exchange
/// over real sockets. Output is collected as it comes; <see cref="Kill"/> is SIGKILL (a crash), <see cref="Terminate"/>
/// is SIGTERM (an orderly stop, like Ctrl+C).
/// </summary>
public sealed class EngineProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _out = new();
    private readonly StringBuilder _err = new();

    private EngineProcess(Process process)
    {
        _process = process;
    }

    public static EngineProcess Start(IEnumerable<string> args, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "upbithft.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException("the engine is not built next to the tests", dll);
        }

        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(dll);
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        info.Environment["UPBIT_ACCESS_KEY"] = null;
        info.Environment["UPBIT_SECRET_KEY"] = null;
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info };
        var engine = new EngineProcess(process);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (engine._out) { engine._out.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (engine._err) { engine._err.AppendLine(e.Data); } } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return engine;
    }

    public int Id => _process.Id;

    public string Output
    {
        get
        {
            lock (_out)
            {
                return _out.ToString();
            }
        }
    }

    public string Error
    {
        get
        {
            lock (_err)
            {
                return _err.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    /// <summary>SIGKILL: no handler runs, nothing is flushed — a crash.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    /// <summary>SIGTERM: the engine stops entries, handles positions, flushes and exits 0.</summary>
    public void Terminate()
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })!;
        kill.WaitForExit();
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
            throw new TimeoutException($"upbithft did not exit within {timeout.TotalSeconds:0} s.\nstdout:\n{Output}\nstderr:\n{Error}");
        }

        _process.WaitForExit(); // flushes the redirected streams
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }
}
