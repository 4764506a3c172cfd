using System.Text;

namespace UpbitHft.Engine.Tests.Deploy;

/// <summary>
/// A small Dockerfile reader, enough to check the project's Dockerfile without a Docker engine: parser directives
/// (<c># escape=`</c>), comment lines (also inside a continued instruction, as Docker drops them), blank lines, and
/// lines continued with the escape character. Heredocs are refused rather than misread.
/// </summary>
internal static class DockerfileParser
{
    public static IReadOnlyList<DockerInstruction> Parse(string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var escape = '\\';
        var first = 0;
        // Parser directives: `# key=value` lines at the very top, before any other comment, blank line or instruction.
        for (; first < lines.Length && TryDirective(lines[first], out var key, out var value); first++)
        {
            if (key == "escape")
            {
                escape = value is ['`'] or ['\\'] ? value[0] : throw new FormatException($"escape must be \\ or `, got '{value}'");
            }
        }

        var result = new List<DockerInstruction>();
        var current = new StringBuilder();
        var start = 0;
        for (var i = first; i < lines.Length; i++)
        {
            var trimmed = lines[i].Trim();
            if (trimmed.Length == 0 || trimmed.StartsWith('#'))
            {
                continue;
            }

            if (current.Length == 0)
            {
                start = i + 1;
            }

            if (trimmed[^1] == escape)
            {
                current.Append(trimmed, 0, trimmed.Length - 1).Append(' ');
                continue;
            }

            current.Append(trimmed);
            result.Add(Instruction(current.ToString(), start));
            current.Clear();
        }

        return current.Length == 0 ? result : throw new FormatException($"line {start}: the file ends inside a continued instruction");
    }

    /// <summary>Splits arguments into words: whitespace separates, quotes group, a backslash escapes the next character.</summary>
    public static IReadOnlyList<string> Words(string arguments)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        char quote = '\0';
        for (var i = 0; i < arguments.Length; i++)
        {
            var c = arguments[i];
            if (c == '\\' && i + 1 < arguments.Length && quote != '\'')
            {
                word.Append(arguments[++i]);
                inWord = true;
            }
            else if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }
                else
                {
                    word.Append(c);
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
                inWord = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }
            }
            else
            {
                word.Append(c);
                inWord = true;
            }
        }

        if (quote != '\0')
        {
            throw new FormatException($"unclosed {quote} in: {arguments}");
        }

        if (inWord)
        {
            words.Add(word.ToString());
        }

        return words;
    }

    private static DockerInstruction Instruction(string text, int line)
    {
        var space = text.IndexOfAny([' ', '\t']);
        var keyword = (space < 0 ? text : text[..space]).ToUpperInvariant();
        var arguments = space < 0 ? "" : text[(space + 1)..].Trim();
        if (arguments.Contains("<<", StringComparison.Ordinal) && keyword is "RUN" or "COPY")
        {
            throw new FormatException($"line {line}: heredocs are not understood by this parser");
        }

        return new DockerInstruction(keyword, arguments, line);
    }

    private static bool TryDirective(string line, out string key, out string value)
    {
        key = value = "";
        var t = line.Trim();
        if (!t.StartsWith('#'))
        {
            return false;
        }

        var body = t[1..].Trim();
        var eq = body.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0 || body[..eq].Trim().Any(char.IsWhiteSpace) || !body[..eq].Trim().All(char.IsAsciiLetter))
        {
            return false;
        }

        key = body[..eq].Trim().ToLowerInvariant();
        value = body[(eq + 1)..].Trim();
        return key is "escape" or "syntax" or "check";
    }
}
