using System.Diagnostics;
using System.Globalization;
using System.Net.Security;
using System.Security.Cryptography;

namespace UpbitHft.Benchmarks.Harnesses.Loopback;

/// <summary>What the fake exchange process stamped: when it started writing each frame, when each order request reached it.</summary>
internal sealed record ExchangeStamps(long[] FrameSentNs, long[] OrderArrivedNs, long Connections, long Tests, long Orders);

/// <summary>
/// The fake Upbit in a process of its own (<c>tests/UpbitHft.FakeUpbit.Host exchange …</c>), so the measured path crosses
/// processes as it does in production. Stamps are on CLOCK_MONOTONIC, which every process of the machine shares.
/// </summary>
internal sealed class FakeExchangeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _stampsPath;
    private readonly string _scriptPath;

    private FakeExchangeProcess(Process process, string scriptPath, string stampsPath)
    {
        _process = process;
        _scriptPath = scriptPath;
        _stampsPath = stampsPath;
    }

    public Uri Rest { get; private set; } = null!;
    public Uri Ws { get; private set; } = null!;
    public Uri Private { get; private set; } = null!;

    /// <summary>Completes when the fake has written the whole script to its public subscriber.</summary>
    public Task Played { get; private set; } = Task.CompletedTask;

    /// <summary>The SHA-256 of the fake's self-signed certificate (TLS runs); null over plain TCP.</summary>
    public string? CertificateHash { get; private set; }

    /// <summary>Trusts exactly the fake's certificate (TLS runs), nothing when plain.</summary>
    public RemoteCertificateValidationCallback? Validation => CertificateHash is not { } hash ? null
        : (_, certificate, _, _) => certificate is not null && string.Equals(certificate.GetCertHashString(HashAlgorithmName.SHA256), hash, StringComparison.OrdinalIgnoreCase);

    public static async Task<FakeExchangeProcess> StartAsync(IEnumerable<byte[]> script, int paceMs = 20, bool tls = false, int? keepAliveSeconds = null)
    {
        var scriptPath = Path.Combine(Path.GetTempPath(), $"upbithft-fake-script-{Guid.NewGuid():N}.jsonl");
        var stampsPath = Path.ChangeExtension(scriptPath, ".stamps");
        await File.WriteAllLinesAsync(scriptPath, script.Select(System.Text.Encoding.UTF8.GetString));
        var host = AppContext.BaseDirectory.Replace(Path.Combine("bench", "UpbitHft.Benchmarks"), Path.Combine("tests", "UpbitHft.FakeUpbit.Host"), StringComparison.Ordinal);
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { Path.Combine(host, "UpbitHft.FakeUpbit.Host.dll"), "exchange", scriptPath, stampsPath, "--pace-ms", paceMs.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(a);
        }

        if (tls)
        {
            start.ArgumentList.Add("--tls");
        }

        if (keepAliveSeconds is { } k)
        {
            start.ArgumentList.Add("--keep-alive-s");
            start.ArgumentList.Add(k.ToString(CultureInfo.InvariantCulture));
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("the fake exchange process did not start");
        var fx = new FakeExchangeProcess(process, scriptPath, stampsPath);
        while (await process.StandardOutput.ReadLineAsync() is { } line && line != "ready")
        {
            var (key, value) = (line[..line.IndexOf(' ', StringComparison.Ordinal)], line[(line.IndexOf(' ', StringComparison.Ordinal) + 1)..]);
            switch (key)
            {
                case "rest": fx.Rest = new Uri(value); break;
                case "ws": fx.Ws = new Uri(value); break;
                case "private": fx.Private = new Uri(value); break;
                case "cert": fx.CertificateHash = value; break;
            }
        }

        if (fx.Rest is null)
        {
            throw new InvalidOperationException("the fake exchange process ended before it was ready: " + await process.StandardError.ReadToEndAsync());
        }

        fx.Played = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line && line != "played")
            {
            }
        });
        return fx;
    }

    /// <summary>Asks the process to finish and reads its stamps.</summary>
    public async Task<ExchangeStamps> StopAsync()
    {
        _process.StandardInput.Close();
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var frames = new List<(int Index, long Ns)>();
        var orders = new List<long>();
        long connections = 0, tests = 0, created = 0;
        foreach (var line in await File.ReadAllLinesAsync(_stampsPath))
        {
            var p = line.Split(' ');
            switch (p[0])
            {
                case "frame": frames.Add((int.Parse(p[1], CultureInfo.InvariantCulture), long.Parse(p[2], CultureInfo.InvariantCulture))); break;
                case "order": orders.Add(long.Parse(p[1], CultureInfo.InvariantCulture)); break;
                case "connections": connections = long.Parse(p[1], CultureInfo.InvariantCulture); break;
                case "tests": tests = long.Parse(p[1], CultureInfo.InvariantCulture); break;
                case "orders": created = long.Parse(p[1], CultureInfo.InvariantCulture); break;
            }
        }

        var sent = new long[frames.Count == 0 ? 0 : frames.Max(f => f.Index) + 1];
        foreach (var (i, ns) in frames)
        {
            sent[i] = ns;
        }

        orders.Sort();
        return new ExchangeStamps(sent, [.. orders], connections, tests, created);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        File.Delete(_scriptPath);
        File.Delete(_stampsPath);
    }
}
