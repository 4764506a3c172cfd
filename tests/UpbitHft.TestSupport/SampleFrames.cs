using System.Text;
using System.Text.Json;

namespace UpbitHft.TestSupport;

/// <summary>One captured frame: its exact bytes and the line's metadata.</summary>
public sealed record SampleFrame(string File, int Line, byte[] Bytes, string? Direction, string? Note, double? ReceiveTs)
{
    public string Text => Encoding.UTF8.GetString(Bytes);

    public override string ToString() => $"{File}:{Line}";
}

/// <summary>Reads the JSONL sample captures (<c>{"recv_ts"|"note"|"direction", "frame"}</c> per line).</summary>
public static class SampleFrames
{
    /// <summary>All frames of a JSONL file under <paramref name="directory"/>.</summary>
    public static IReadOnlyList<SampleFrame> Load(string directory, string file)
    {
        var result = new List<SampleFrame>();
        var lineNo = 0;
        foreach (var line in System.IO.File.ReadLines(Path.Combine(directory, file)))
        {
            lineNo++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            var frame = root.GetProperty("frame").GetString()!;
            result.Add(new SampleFrame(
                file,
                lineNo,
                Encoding.UTF8.GetBytes(frame),
                root.TryGetProperty("direction", out var d) ? d.GetString() : null,
                root.TryGetProperty("note", out var n) ? n.GetString() : null,
                root.TryGetProperty("recv_ts", out var r) ? r.GetDouble() : null));
        }

        return result;
    }
}
