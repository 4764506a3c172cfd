using System.Text;
using UpbitHft.Feed.Events;
using UpbitHft.Feed.Parsing;
using static UpbitHft.Feed.Tests.Parsing.ParserFixture;

namespace UpbitHft.Feed.Tests.Parsing;

/// <summary>
/// Order-book units as Upbit writes them take a fast path (one word compare per key); any other spelling takes the
/// general reader. Both must give the same event, byte for byte, on every real book frame.
/// </summary>
public class BookUnitTests
{
    public static TheoryData<string> Spellings => new()
    {
        "whitespace", // {"ap": 1, ...}: valid JSON the fast path does not take
        "reordered", // bid before ask
    };

    [Theory]
    [MemberData(nameof(Spellings))]
    public void Every_real_book_parses_the_same_through_the_fast_and_the_general_path(string spelling)
    {
        var books = AllReceived.Where(f => f.Text.Contains("\"obu\"", StringComparison.Ordinal) || f.Text.Contains("\"orderbook_units\"", StringComparison.Ordinal)).ToList();
        Assert.True(books.Count >= 10, $"only {books.Count} real book frames");
        var fastParser = NewParser();
        var generalParser = NewParser();
        foreach (var f in books)
        {
            var fast = default(MarketEvent);
            Assert.Equal(ParseStatus.Ok, fastParser.Parse(f.Bytes, 1, ref fast));
            var respelled = Respell(f.Text, spelling);
            Assert.NotEqual(f.Text, respelled);
            var general = default(MarketEvent);
            Assert.Equal(ParseStatus.Ok, generalParser.Parse(Encoding.UTF8.GetBytes(respelled), 1, ref general));
            Assert.True(fast.LevelCount > 0);
            Assert.Equal(Bytes(ref fast), Bytes(ref general));
        }
    }

    private static string Respell(string frame, string spelling)
    {
        var start = frame.IndexOf('[', frame.IndexOf("\"obu\"", StringComparison.Ordinal) is >= 0 and var s ? s : frame.IndexOf("\"orderbook_units\"", StringComparison.Ordinal));
        var end = frame.IndexOf(']', start);
        var units = frame[start..end];
        units = spelling == "whitespace"
            ? units.Replace(":", ": ", StringComparison.Ordinal)
            : System.Text.RegularExpressions.Regex.Replace(units, "\\{(\"(?:ap|ask_price)\":[^,]+),(\"(?:bp|bid_price)\":[^,]+),", "{$2,$1,");
        return frame[..start] + units + frame[end..];
    }
}
