namespace UpbitHft.Engine;

/// <summary>Entry point of the <c>upbithft</c> console engine. The command line arrives with the console-engine issue.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        Console.Error.WriteLine("upbithft: the command line is not built yet (see the console-engine issue).");
        return 2;
    }
}
