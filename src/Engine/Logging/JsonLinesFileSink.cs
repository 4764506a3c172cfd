using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace UpbitHft.Engine.Logging;

/// <summary>
/// <c>--log-file PATH</c>: one JSON object per line — <c>time</c> (UTC, ISO 8601), <c>level</c>, <c>category</c>,
/// <c>event</c> (the <c>[LoggerMessage]</c> name, or the id), <c>message</c>, the message's named values, and
/// <c>exception</c> when there is one. The file is rotated by size: when the next line would take it past
/// <c>--log-file-max-mb</c>, <c>PATH</c> becomes <c>PATH.1</c> (<c>PATH.1</c> becomes <c>PATH.2</c> …) and the oldest
/// beyond <c>--log-file-keep</c> is deleted. Written only by the log pump's writer task.
/// </summary>
public sealed class JsonLinesFileSink : ILogSink
{
    private static readonly JsonWriterOptions s_json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly string _path;
    private readonly long _maxBytes;
    private readonly int _keep;
    private readonly MemoryStream _line = new();
    private FileStream _file;

    /// <summary>Opens (appends to) <paramref name="path"/>; rotates at <paramref name="maxBytes"/> keeping <paramref name="keep"/> old files.</summary>
    public JsonLinesFileSink(string path, long maxBytes, int keep)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 1024);
        ArgumentOutOfRangeException.ThrowIfNegative(keep);
        _path = Path.GetFullPath(path);
        _maxBytes = maxBytes;
        _keep = keep;
        _file = Open();
    }

    /// <summary>Rotations done so far.</summary>
    public int Rotations { get; private set; }

    /// <inheritdoc/>
    public void Write(LogRecord record)
    {
        _line.SetLength(0);
        using (var json = new Utf8JsonWriter(_line, s_json))
        {
            json.WriteStartObject();
            json.WriteString("time", record.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            json.WriteString("level", record.Level.ToString());
            json.WriteString("category", record.Category);
            json.WriteString("event", record.EventId.Name ?? record.EventId.Id.ToString(CultureInfo.InvariantCulture));
            json.WriteString("message", record.Message);
            foreach (var (key, value) in record.Fields ?? [])
            {
                if (key == "{OriginalFormat}" || key is "time" or "level" or "category" or "event" or "message" or "exception")
                {
                    continue;
                }

                WriteValue(json, key, value);
            }

            if (record.Exception is not null)
            {
                json.WriteString("exception", record.Exception);
            }

            json.WriteEndObject();
        }

        _line.WriteByte((byte)'\n');
        if (_file.Length > 0 && _file.Length + _line.Length > _maxBytes)
        {
            Rotate();
        }

        _file.Write(_line.GetBuffer(), 0, (int)_line.Length);
    }

    /// <inheritdoc/>
    public void Flush() => _file.Flush();

    /// <inheritdoc/>
    public void Dispose()
    {
        _file.Flush();
        _file.Dispose();
    }

    private static void WriteValue(Utf8JsonWriter json, string key, object? value)
    {
        switch (value)
        {
            case null:
                json.WriteNull(key);
                break;
            case bool b:
                json.WriteBoolean(key, b);
                break;
            case int or long or short or byte or uint or ulong:
                json.WriteNumber(key, Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case decimal m:
                json.WriteNumber(key, m);
                break;
            case double d when double.IsFinite(d):
                json.WriteNumber(key, d);
                break;
            default:
                json.WriteString(key, Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }

    private FileStream Open()
    {
        var file = new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.Read | FileShare.Delete);
        if (!OperatingSystem.IsWindows() && file.Length == 0)
        {
            File.SetUnixFileMode(_path, UnixFileMode.UserRead | UnixFileMode.UserWrite); // like the journal: the owner only
        }

        return file;
    }

    private void Rotate()
    {
        _file.Flush();
        _file.Dispose();
        if (_keep == 0)
        {
            File.Delete(_path);
        }
        else
        {
            File.Delete($"{_path}.{_keep}");
            for (var i = _keep - 1; i >= 1; i--)
            {
                if (File.Exists($"{_path}.{i}"))
                {
                    File.Move($"{_path}.{i}", $"{_path}.{i + 1}");
                }
            }

            File.Move(_path, _path + ".1");
        }

        Rotations++;
        _file = Open();
    }
}
