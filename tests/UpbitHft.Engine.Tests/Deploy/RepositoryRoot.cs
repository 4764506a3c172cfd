namespace UpbitHft.Engine.Tests.Deploy;

/// <summary>The repository's root: the first directory above the test binaries that holds <c>UpbitHft.sln</c>.</summary>
internal static class RepositoryRoot
{
    public static string Location { get; } = Find(AppContext.BaseDirectory);

    /// <summary>A path inside the repository, from '/'-separated parts.</summary>
    public static string File(string relative) => Path.Combine(Location, relative.Replace('/', Path.DirectorySeparatorChar));

    public static string ReadText(string relative) => System.IO.File.ReadAllText(File(relative));

    private static string Find(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "UpbitHft.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no UpbitHft.sln in {start} or any directory above it");
    }
}
