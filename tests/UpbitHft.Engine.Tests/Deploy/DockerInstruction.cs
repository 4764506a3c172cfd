using System.Text.Json;

namespace UpbitHft.Engine.Tests.Deploy;

/// <summary>One Dockerfile instruction after continuations are joined and comments dropped.</summary>
/// <param name="Keyword">The instruction, upper case (<c>FROM</c>, <c>COPY</c>, …).</param>
/// <param name="Arguments">Everything after the keyword, trimmed.</param>
/// <param name="Line">The 1-based line the instruction starts on.</param>
internal sealed record DockerInstruction(string Keyword, string Arguments, int Line)
{
    /// <summary>The words of the arguments (shell-like: quotes group, a backslash escapes the next character).</summary>
    public IReadOnlyList<string> Words => DockerfileParser.Words(Arguments);

    /// <summary>The <c>--name=value</c> flags that lead the arguments (<c>COPY --from=build</c>).</summary>
    public IReadOnlyDictionary<string, string> Flags =>
        Words.TakeWhile(w => w.StartsWith("--", StringComparison.Ordinal))
            .Select(w => w[2..].Split('=', 2))
            .ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "", StringComparer.Ordinal);

    /// <summary>The words after the leading flags.</summary>
    public IReadOnlyList<string> Operands => Words.SkipWhile(w => w.StartsWith("--", StringComparison.Ordinal)).ToArray();

    /// <summary>The arguments as a JSON array (exec form), or null when they are in shell form.</summary>
    public IReadOnlyList<string>? ExecForm
    {
        get
        {
            if (!Arguments.StartsWith('['))
            {
                return null;
            }

            try
            {
                return JsonSerializer.Deserialize<string[]>(Arguments);
            }
            catch (JsonException)
            {
                return null; // Docker runs an unparsable array in shell form
            }
        }
    }

    /// <summary>The variables an <c>ENV</c> or <c>ARG</c> declares, with their values (null: declared without one).</summary>
    public IReadOnlyList<KeyValuePair<string, string?>> Assignments
    {
        get
        {
            var words = Words;
            // The legacy form `ENV NAME value with spaces` sets one variable.
            if (Keyword == "ENV" && words.Count > 1 && !words[0].Contains('=', StringComparison.Ordinal))
            {
                return [new(words[0], string.Join(' ', words.Skip(1)))];
            }

            return words.Select(w => w.Split('=', 2)).Select(p => new KeyValuePair<string, string?>(p[0], p.Length > 1 ? p[1] : null)).ToArray();
        }
    }
}
