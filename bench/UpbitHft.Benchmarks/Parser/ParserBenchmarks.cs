using System.Text.Json;
using BenchmarkDotNet.Attributes;
using UpbitHft.Feed.Events;
using UpbitHft.Feed.Markets;
using UpbitHft.Feed.Parsing;

namespace UpbitHft.Benchmarks.Parser;

/// <summary>
/// One frame → its representation, three ways, side by side: source-generated System.Text.Json into a DTO (the
/// baseline), the project's parser into a ring-slot struct, and a bare Utf8JsonReader token walk (the floor a
/// reader-based parser cannot beat, since it does no number parsing or field dispatch).
/// </summary>
public class ParserBenchmarks
{
    private byte[] _frame = [];
    private UpbitMessageParser _parser = null!;
    private MarketEvent _event;

    [Params("trade-default", "trade-simple", "ticker-default", "ticker-simple", "book15-default", "book15-simple", "book30-default", "book30-simple")]
    public string Frame { get; set; } = "trade-default";

    [GlobalSetup]
    public void Setup()
    {
        _frame = BenchFrames.Utf8(Frame);
        _parser = new UpbitMessageParser(new MarketTable());
        if (_parser.Parse(_frame, 0, ref _event) != ParseStatus.Ok)
        {
            throw new InvalidOperationException($"{Frame} does not parse");
        }
    }

    [Benchmark(Baseline = true)]
    public object? JsonSerializerSourceGen() => Frame switch
    {
        "trade-default" => JsonSerializer.Deserialize(_frame, ParserBenchJsonContext.Default.TradeDto),
        "trade-simple" => JsonSerializer.Deserialize(_frame, ParserBenchJsonContext.Default.SimpleTradeDto),
        "ticker-default" => JsonSerializer.Deserialize(_frame, ParserBenchJsonContext.Default.TickerDto),
        "ticker-simple" => JsonSerializer.Deserialize(_frame, ParserBenchJsonContext.Default.SimpleTickerDto),
        "book30-default" or "book15-default" => JsonSerializer.Deserialize(_frame, ParserBenchJsonContext.Default.OrderbookDto),
        _ => JsonSerializer.Deserialize(_frame, ParserBenchJsonContext.Default.SimpleOrderbookDto),
    };

    [Benchmark]
    public ParseStatus UpbitParser() => _parser.Parse(_frame, 0, ref _event);

    [Benchmark]
    public int Utf8JsonReaderWalk()
    {
        var reader = new Utf8JsonReader(_frame);
        var tokens = 0;
        while (reader.Read())
        {
            tokens += reader.ValueSpan.Length;
        }

        return tokens;
    }
}
