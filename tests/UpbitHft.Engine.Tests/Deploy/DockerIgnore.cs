using System.Text.RegularExpressions;

namespace UpbitHft.Engine.Tests.Deploy;

/// <summary>
/// The patterns of a <c>.dockerignore</c>, matched as Docker does for these purposes: paths relative to the
/// context root, <c>*</c> and <c>?</c> within one path element, <c>**</c> across any number of them, a pattern also
/// excluding everything under a directory it matches, a leading <c>!</c> re-including, and the last match winning.
/// </summary>
internal sealed class DockerIgnore
{
    private readonly List<(Regex Pattern, bool Exclude, string Text)> _rules = [];

    public DockerIgnore(string text)
    {
        foreach (var raw in text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var exclude = line[0] != '!';
            var pattern = (exclude ? line : line[1..]).Trim().Trim('/');
            _rules.Add((new Regex("^" + ToRegex(pattern) + "(?:/.*)?$", RegexOptions.CultureInvariant), exclude, line));
        }
    }

    public IReadOnlyList<string> Patterns => _rules.Select(r => r.Text).ToArray();

    /// <summary>Whether a path ('/'-separated, relative to the context root) is left out of the build context.</summary>
    public bool Excludes(string path)
    {
        var p = path.Replace('\\', '/').Trim('/');
        var excluded = false;
        foreach (var (pattern, exclude, _) in _rules)
        {
            if (pattern.IsMatch(p))
            {
                excluded = exclude;
            }
        }

        return excluded;
    }

    private static string ToRegex(string pattern)
    {
        var r = new System.Text.StringBuilder();
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '*' && i + 1 < pattern.Length && pattern[i + 1] == '*')
            {
                // `**/` matches zero or more whole directories; a trailing `**` matches everything.
                var slash = i + 2 < pattern.Length && pattern[i + 2] == '/';
                r.Append(slash ? "(?:.*/)?" : ".*");
                i += slash ? 2 : 1;
            }
            else
            {
                r.Append(c switch
                {
                    '*' => "[^/]*",
                    '?' => "[^/]",
                    _ => Regex.Escape(c.ToString()),
                });
            }
        }

        return r.ToString();
    }
}
