using System.Text;
using UpbitHft.Feed.Parsing;

namespace UpbitHft.Feed.Tests.Parsing;

/// <summary>
/// Strings are scanned a word at a time: the closing quote, an escape or a control byte must be found at every
/// position of the first word and beyond it, with or without room for a whole word after the opening quote.
/// </summary>
public class StringScanTests
{
    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var n in Enumerable.Range(0, 20))
        {
            var plain = new string('k', n);
            data.Add(plain, "ok");
            data.Add(plain + "\\\"x", "escaped");
            data.Add(plain + "\\u0041", "escaped");
            data.Add(plain + "\u0001", "malformed");
            data.Add(plain + "\u00e9", "ok"); // UTF-8 bytes above 0x80 are plain content
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_string_ends_where_json_says(string content, string expected)
    {
        foreach (var after in new[] { "", ":1}", ":1234567890123}" })
        {
            var bytes = Encoding.UTF8.GetBytes("\"" + content + "\"" + after);
            var s = new JsonScanner(bytes);
            var status = s.ReadString(out var text, out var escaped, out var head);
            if (expected == "malformed")
            {
                Assert.Equal(ParseStatus.Malformed, status);
                continue;
            }

            Assert.Equal(ParseStatus.Ok, status);
            Assert.Equal(Encoding.UTF8.GetBytes(content), text.ToArray());
            Assert.Equal(expected == "escaped", escaped);
            Assert.Equal(bytes.Length - after.Length, s.Position);
            if (head != 0)
            {
                Assert.True(text.Length < 8);
                var expectedHead = 0UL;
                for (var i = 0; i < text.Length; i++)
                {
                    expectedHead |= (ulong)text[i] << (8 * i);
                }

                Assert.Equal(expectedHead, head);
            }
        }
    }

    [Fact]
    public void Every_known_key_is_found_with_the_scanned_head_as_without_it()
    {
        foreach (var key in new[] { "ty", "cd", "tms", "obu", "ap", "bs", "type", "code", "trade_price", "orderbook_units", "ask_price", "st", "x", "unknown_key" })
        {
            var bytes = Encoding.UTF8.GetBytes("\"" + key + "\":1234567890}");
            var s = new JsonScanner(bytes);
            Assert.Equal(ParseStatus.Ok, s.ReadString(out var text, out _, out var head));
            Assert.Equal(UpbitKeys.TopLevel.Find(text, out var simple1), UpbitKeys.TopLevel.Find(text, head, out var simple2));
            Assert.Equal(UpbitKeys.Unit.Find(text, out _), UpbitKeys.Unit.Find(text, head, out _));
            Assert.Equal(simple1, simple2);
        }
    }
}
