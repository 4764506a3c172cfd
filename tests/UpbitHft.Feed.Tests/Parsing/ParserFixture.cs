using System.Runtime.InteropServices;
using UpbitHft.Feed.Events;
using UpbitHft.Feed.Markets;
using UpbitHft.Feed.Parsing;
using UpbitHft.TestSupport;

namespace UpbitHft.Feed.Tests.Parsing;

internal static class ParserFixture
{
    public static readonly string Dir = Path.Combine(AppContext.BaseDirectory, "TestData", "Samples");

    public static IReadOnlyList<SampleFrame> Simple0405 { get; } = SampleFrames.Load(Dir, "upbit-simple-2021-04-05.jsonl");
    public static IReadOnlyList<SampleFrame> Simple0417 { get; } = SampleFrames.Load(Dir, "upbit-simple-2021-04-17.jsonl");
    public static IReadOnlyList<SampleFrame> Docs { get; } = SampleFrames.Load(Dir, "upbit-docs-examples.jsonl");
    public static IReadOnlyList<SampleFrame> Default2026 { get; } = SampleFrames.Load(Dir, "upbit-default-frames.jsonl");

    /// <summary>Every frame Upbit sent (the "sent" subscription line of the 2026 capture is left out).</summary>
    public static IEnumerable<SampleFrame> AllReceived =>
        Simple0405.Concat(Simple0417).Concat(Docs).Concat(Default2026.Where(f => f.Direction != "sent"));

    public static UpbitMessageParser NewParser(bool addUnknown = true) => new(new MarketTable(), new UpbitParserOptions { AddUnknownMarkets = addUnknown });

    public static MarketEvent Parse(UpbitMessageParser parser, string json, out ParseStatus status)
    {
        var ev = default(MarketEvent);
        status = parser.Parse(System.Text.Encoding.UTF8.GetBytes(json), 42, ref ev);
        return ev;
    }

    public static SampleFrame Find(IEnumerable<SampleFrame> frames, string contains) => frames.First(f => f.Text.Contains(contains, StringComparison.Ordinal));

    /// <summary>The bytes of a whole event, for exact comparison of two parses into zeroed slots.</summary>
    public static byte[] Bytes(ref MarketEvent ev) => MemoryMarshal.AsBytes(MemoryMarshal.CreateSpan(ref ev, 1)).ToArray();
}
