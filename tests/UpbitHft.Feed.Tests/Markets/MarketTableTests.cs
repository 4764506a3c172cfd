using UpbitHft.Feed.Markets;

namespace UpbitHft.Feed.Tests.Markets;

public class MarketTableTests
{
    [Fact]
    public void Codes_map_to_dense_ids_and_back()
    {
        var table = new MarketTable(4);
        Assert.Equal(0, table.GetOrAdd("KRW-BTC"));
        Assert.Equal(1, table.GetOrAdd("KRW-ETH"));
        Assert.Equal(0, table.GetOrAdd("KRW-BTC"));
        Assert.True(table.TryGetId("KRW-ETH"u8, out var eth));
        Assert.Equal(1, eth);
        Assert.False(table.TryGetId("KRW-XRP"u8, out _));
        Assert.Equal("KRW-ETH", table.GetCode(1));
        Assert.Equal(2, table.Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => table.GetCode(2));
    }

    [Fact]
    public void Full_or_invalid_codes_are_refused_and_counted()
    {
        var table = new MarketTable(2);
        Assert.True(table.TryGetOrAdd("KRW-A"u8, out _));
        Assert.True(table.TryGetOrAdd("KRW-B"u8, out _));
        Assert.False(table.TryGetOrAdd("KRW-C"u8, out var id));
        Assert.Equal(-1, id);
        Assert.Equal(1, table.RejectedFull);
        Assert.False(table.TryGetOrAdd("krw-btc"u8, out _));
        Assert.False(table.TryGetOrAdd(""u8, out _));
        Assert.False(table.TryGetOrAdd("KRW-\"BTC"u8, out _));
        Assert.Equal(3, table.RejectedInvalid);
        Assert.Throws<InvalidOperationException>(() => table.GetOrAdd("KRW-D"));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MarketTable(0));
    }

    [Fact]
    public void Lookups_allocate_nothing()
    {
        var table = new MarketTable();
        for (var i = 0; i < 300; i++)
        {
            table.GetOrAdd($"KRW-C{i}");
        }

        var found = 0;
        var allocated = TestSupport.Allocations.SteadyState(() =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                found += table.TryGetId("KRW-C150"u8, out _) ? 1 : 0;
                found += table.TryGetOrAdd("KRW-C7"u8, out _) ? 1 : 0;
            }
        });
        Assert.Equal(0, allocated);
        Assert.Equal(5 * 20_000, found); // SteadyState runs the body 2 + 3 times
    }

    [Fact]
    public void Codes_of_every_length_differing_in_any_one_byte_each_get_their_own_id()
    {
        // The hash reads codes of 4-16 bytes as two overlapping words and others byte by byte; whichever way, a code is
        // found exactly when every byte matches.
        var codes = new List<string>();
        for (var length = 1; length <= MarketTable.MaxCodeBytes; length++)
        {
            var basis = new string([.. Enumerable.Range(0, length).Select(i => "KRW-ABCDEFGHIJ0123456789"[i % 24])]);
            codes.Add(basis);
            for (var at = 0; at < length; at++)
            {
                var changed = basis.ToCharArray();
                changed[at] = changed[at] == 'Z' ? 'Y' : 'Z';
                codes.Add(new string(changed));
            }
        }

        var table = new MarketTable(codes.Distinct().Count()); // full: the slots are as crowded as they get
        var ids = codes.Distinct().ToDictionary(c => c, c => table.GetOrAdd(c));
        Assert.Equal(ids.Count, table.Count);
        foreach (var (code, id) in ids)
        {
            Assert.True(table.TryGetId(System.Text.Encoding.ASCII.GetBytes(code), out var found));
            Assert.Equal(id, found);
            Assert.Equal(code, System.Text.Encoding.ASCII.GetString(table.GetUtf8Code(id)));
            Assert.Equal(code, table.GetCode(id));
            Assert.False(table.TryGetId(System.Text.Encoding.ASCII.GetBytes(code + "X"), out _) && !ids.ContainsKey(code + "X"));
        }
    }
}
