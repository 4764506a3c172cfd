using UpbitHft.Gateway.Orders;

namespace UpbitHft.Gateway.Tests.Orders;

public class OrderIdentifiersTests
{
    [Fact]
    public void Identifiers_are_short_unambiguous_distinct_per_run_and_read_back()
    {
        var a = new OrderIdentifiers();
        var b = new OrderIdentifiers();
        Assert.NotEqual(a.RunId, b.RunId);
        var id = a.For(42, 1);
        Assert.StartsWith(a.RunPrefix, id, StringComparison.Ordinal);
        Assert.Equal(OrderIdentifiers.Format(a.RunId, 42, 1), id);
        Assert.True(id.Length <= 64);
        Assert.Matches("^[A-Za-z0-9-]+$", id); // nothing whose hashing could be ambiguous (docs/upbit.md#query-hash)
        Assert.True(OrderIdentifiers.TryParseIntent(id, out var intent));
        Assert.Equal(42, intent);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("test-1")] // Upbit's documented example: someone else's order
    [InlineData("uh-run-x-0")]
    [InlineData("uh-run-0-0")]
    [InlineData("uh-run-5")]
    public void Anything_else_is_not_an_engine_intent(string? identifier) =>
        Assert.False(OrderIdentifiers.TryParseIntent(identifier, out _));
}
