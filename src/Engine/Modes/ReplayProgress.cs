using System.Globalization;
using UpbitHft.Feed.Replay;

namespace UpbitHft.Engine.Modes;

/// <summary>
/// A replay's progress on an interactive terminal: one line, rewritten in place twice a second — frames, share of the
/// input read, rate and time left. Used only when standard error is a terminal; a redirected run gets the plain
/// status lines (or nothing with <c>--quiet</c>). Timer thread; reads counters the replay and engine threads publish.
/// </summary>
internal sealed class ReplayProgress : IDisposable
{
    private readonly TextWriter _output;
    private readonly IFrameSource _source;
    private readonly Func<long> _frames;
    private readonly TimeProvider _time;
    private readonly long _started;
    private readonly ITimer _timer;
    private int _lastLength;

    public ReplayProgress(TextWriter output, IFrameSource source, Func<long> frames, TimeProvider time, TimeSpan? every = null)
    {
        _output = output;
        _source = source;
        _frames = frames;
        _time = time;
        _started = time.GetTimestamp();
        var period = every ?? TimeSpan.FromMilliseconds(500);
        _timer = time.CreateTimer(_ => Tick(), null, period, period);
    }

    /// <summary>Writes the line now (the timer calls it).</summary>
    public void Tick()
    {
        var line = Format(_frames(), _source.BytesRead, _source.TotalBytes, _time.GetElapsedTime(_started).TotalSeconds);
        lock (_output)
        {
            _output.Write('\r' + line.PadRight(_lastLength));
            _output.Flush();
            _lastLength = line.Length;
        }
    }

    /// <summary>One progress line: frames, share read (with the input's size), frames per second, time left.</summary>
    public static string Format(long frames, long bytesRead, long totalBytes, double elapsedSeconds)
    {
        var c = CultureInfo.InvariantCulture;
        var rate = elapsedSeconds > 0 ? frames / elapsedSeconds : 0;
        if (totalBytes <= 0)
        {
            return string.Create(c, $"replay: {frames:N0} frames, {rate:N0} msg/s");
        }

        var fraction = Math.Clamp((double)bytesRead / totalBytes, 0, 1);
        var eta = fraction > 0 && elapsedSeconds > 0 ? TimeSpan.FromSeconds(Math.Ceiling(elapsedSeconds * (1 - fraction) / fraction)) : (TimeSpan?)null;
        var left = eta is { } e ? (e.TotalHours >= 1 ? e.ToString(@"h\:mm\:ss", c) : e.ToString(@"m\:ss", c)) : "?";
        return string.Create(c, $"replay: {frames:N0} frames, {fraction * 100:F0} % of {totalBytes / 1e6:N0} MB, {rate:N0} msg/s, {left} left");
    }

    /// <summary>Stops the timer and ends the line, so what follows starts on a fresh one.</summary>
    public void Dispose()
    {
        _timer.Dispose();
        lock (_output)
        {
            if (_lastLength > 0)
            {
                _output.WriteLine();
            }
        }
    }
}
