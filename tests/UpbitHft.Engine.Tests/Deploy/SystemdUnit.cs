using System.Text;

namespace UpbitHft.Engine.Tests.Deploy;

/// <summary>
/// A systemd unit file read the way systemd reads it, as far as these tests need: <c>[Section]</c> headers,
/// <c>Key=Value</c> entries (a key may repeat), <c>#</c> and <c>;</c> comment lines, and values continued with a
/// trailing backslash (joined with a space; a comment line inside a continuation is skipped).
/// </summary>
internal sealed class SystemdUnit
{
    private readonly List<(string Section, string Key, string Value, int Line)> _entries = [];

    public static SystemdUnit Parse(string text)
    {
        var unit = new SystemdUnit();
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        string? section = null;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line[0] is '#' or ';')
            {
                continue;
            }

            if (line[0] == '[')
            {
                section = line.EndsWith(']') ? line[1..^1] : throw new FormatException($"line {i + 1}: bad section header: {line}");
                continue;
            }

            var start = i + 1;
            var logical = new StringBuilder();
            while (line.EndsWith('\\'))
            {
                logical.Append(line, 0, line.Length - 1).Append(' ');
                // The next line that is not a comment continues this one.
                do
                {
                    i++;
                    line = i < lines.Length ? lines[i].Trim() : throw new FormatException($"line {start}: the file ends inside a continued value");
                }
                while (line.Length > 0 && line[0] is '#' or ';');
            }

            logical.Append(line);
            var entry = logical.ToString();
            var eq = entry.IndexOf('=', StringComparison.Ordinal);
            if (section is null || eq <= 0)
            {
                throw new FormatException($"line {start}: expected Key=Value inside a section: {entry}");
            }

            unit._entries.Add((section, entry[..eq].Trim(), entry[(eq + 1)..].Trim(), start));
        }

        return unit;
    }

    public IReadOnlyList<string> Sections => _entries.Select(e => e.Section).Distinct().ToArray();

    /// <summary>Every value given to <paramref name="key"/> in <paramref name="section"/>, in file order.</summary>
    public IReadOnlyList<string> All(string section, string key) =>
        _entries.Where(e => e.Section == section && e.Key == key).Select(e => e.Value).ToArray();

    /// <summary>The value systemd uses for a single-valued key (the last assignment), or null when it is not set.</summary>
    public string? Get(string section, string key) => All(section, key).LastOrDefault();
}
