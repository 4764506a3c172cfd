using UpbitHft.Engine.Cli;

namespace UpbitHft.Engine;

/// <summary>Entry point of the <c>upbithft</c> console engine.</summary>
public static class Program
{
    public static int Main(string[] args) => CommandLineApp.Run(args, Console.Out, Console.Error);
}
