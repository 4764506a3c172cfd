using System.CommandLine;
using System.Globalization;
using UpbitHft.Feed.Recording;

namespace UpbitHft.Engine.Cli;

/// <summary><c>upbithft convert IN OUT</c>: JSONL capture ⇄ binary recording.</summary>
internal static class ConvertCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var input = new Argument<string>("IN") { Description = "A JSONL capture or a recording (told apart by the recording's magic header)." };
        var output = new Argument<string>("OUT") { Description = "The file to write (replaced if it exists)." };
        var command = new Command(
            "convert",
            "Convert a JSONL capture ({\"recv_ts\", \"frame\"} per line) to a binary recording, or a recording to JSONL; the direction is the input's. "
            + "Frames are kept byte for byte. Receive times: a recording holds its start in whole milliseconds and each frame's offset from the first in nanoseconds, "
            + "so JSONL -> recording -> JSONL gives every recv_ts back exactly relative to the first frame (to the nanosecond), while the first frame's own time is "
            + "truncated to the millisecond and every time shifts by that same sub-millisecond amount; captures stamped in whole milliseconds (simulate's) come back "
            + "byte for byte. Lines without recv_ts get the previous frame's time; fields other than recv_ts, frame and source are not kept.")
        {
            input,
            output,
        };
        command.SetAction(parse =>
        {
            var from = parse.GetValue(input)!;
            var to = parse.GetValue(output)!;
            try
            {
                if (!File.Exists(from))
                {
                    throw new ArgumentException($"input file not found: {from}");
                }

                using (var probe = new FileStream(from, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0))
                {
                    if (!probe.CanSeek)
                    {
                        throw new ArgumentException($"{from} is a pipe: convert reads its input more than once, so give it a file.");
                    }
                }

                if (Path.GetFullPath(from) == Path.GetFullPath(to))
                {
                    throw new ArgumentException("IN and OUT are the same file.");
                }

                var toJsonl = RecordingReader.IsRecording(from);
                if (!toJsonl && to.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase))
                {
                    throw new ArgumentException($"{from} is JSONL, so {to} would be a recording: give it another extension (e.g. .rec).");
                }

                var result = CaptureConverter.Convert(from, to);
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"converted {result.Frames:N0} frames, {(toJsonl ? "recording -> JSONL" : "JSONL -> recording")}, start {result.Start:yyyy-MM-ddTHH:mm:ss.fffZ}, to {to}"));
                if (result.MissingReceiveTimes > 0)
                {
                    stderr.WriteLine(string.Create(CultureInfo.InvariantCulture, $"convert: {result.MissingReceiveTimes:N0} lines had no recv_ts (given the previous frame's time)"));
                }

                if (result.DroppedFields > 0)
                {
                    stderr.WriteLine(string.Create(CultureInfo.InvariantCulture, $"convert: {result.DroppedFields:N0} lines had fields besides recv_ts, frame and source (not kept)"));
                }

                if (result.TornTail)
                {
                    stderr.WriteLine("convert: the recording ends in a torn or corrupt record (ignored)");
                }

                return 0;
            }
            catch (InvalidDataException ex)
            {
                File.Delete(to); // no half-converted file
                stderr.WriteLine("upbithft: " + OneLine(ex.Message));
                return 2;
            }
            catch (ArgumentException ex)
            {
                stderr.WriteLine("upbithft: " + OneLine(ex.Message));
                return 2;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine("upbithft: " + OneLine(ex.Message));
                return 1;
            }
        });
        return command;
    }

    private static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
