using System.Buffers;
using UpbitHft.TestSupport;

namespace UpbitHft.Feed.Tests;

public class BytesSplitTests
{
    [Fact]
    public void Split_keeps_every_byte_in_order()
    {
        var data = "{\"status\":\"UP\"}"u8.ToArray();
        for (var cut = 0; cut <= data.Length; cut++)
        {
            var seq = Bytes.Split(data, cut);
            Assert.Equal(data, seq.ToArray());
        }

        var many = Bytes.Split(data, 1, 2, 3, 7, 7, 12);
        Assert.False(many.IsSingleSegment);
        Assert.Equal(data, many.ToArray());
    }
}
