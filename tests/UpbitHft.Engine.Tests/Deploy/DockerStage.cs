namespace UpbitHft.Engine.Tests.Deploy;

/// <summary>One build stage of a Dockerfile: its <c>FROM</c> and the instructions up to the next one.</summary>
/// <param name="Index">0-based position among the stages (<c>COPY --from=0</c> names a stage by it).</param>
/// <param name="Image">The base image (or earlier stage) it starts from.</param>
/// <param name="Name">The <c>AS</c> name, or null.</param>
internal sealed record DockerStage(int Index, string Image, string? Name, IReadOnlyList<DockerInstruction> Instructions)
{
    public IEnumerable<DockerInstruction> All(string keyword) => Instructions.Where(i => i.Keyword == keyword);

    public DockerInstruction? Last(string keyword) => All(keyword).LastOrDefault();

    /// <summary>Splits parsed instructions into stages; instructions before the first FROM (global ARGs) are dropped.</summary>
    public static IReadOnlyList<DockerStage> Split(IReadOnlyList<DockerInstruction> instructions)
    {
        var stages = new List<DockerStage>();
        DockerInstruction? from = null;
        var body = new List<DockerInstruction>();
        foreach (var instruction in instructions.Append(new DockerInstruction("FROM", "end-of-file", int.MaxValue)))
        {
            if (instruction.Keyword != "FROM")
            {
                body.Add(instruction);
                continue;
            }

            if (from is not null)
            {
                var words = from.Operands;
                var name = words.Count == 3 && string.Equals(words[1], "AS", StringComparison.OrdinalIgnoreCase) ? words[2] : null;
                if (words.Count is not (1 or 3) || (words.Count == 3 && name is null))
                {
                    throw new FormatException($"line {from.Line}: FROM takes an image and an optional AS name: {from.Arguments}");
                }

                stages.Add(new DockerStage(stages.Count, words[0], name, body.ToArray()));
            }

            from = instruction;
            body.Clear();
        }

        return stages;
    }
}
