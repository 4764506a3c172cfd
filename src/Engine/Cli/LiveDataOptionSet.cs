using System.CommandLine;
using UpbitHft.Engine.Modes;

namespace UpbitHft.Engine.Cli;

/// <summary>Endpoints and market selection of the live-data modes (paper, live, record).</summary>
internal sealed class LiveDataOptionSet
{
    public Option<string> RestUrl { get; } = new("--rest-url") { Description = "REST base URL (a test exchange, say).", DefaultValueFactory = _ => "https://api.upbit.com" };
    public Option<string> WsUrl { get; } = new("--ws-url") { Description = "Public WebSocket URL.", DefaultValueFactory = _ => "wss://api.upbit.com/websocket/v1" };
    public Option<string?> Markets { get; } = new("--markets") { Description = "Comma-separated KRW markets to watch (default: every KRW market)." };
    public Option<int> Warmup { get; } = new("--warmup-candles") { Description = "1-minute candles per market fetched at start-up for RSI and volume warm-up.", DefaultValueFactory = _ => 40 };
    public Option<double> Silence { get; } = new("--feed-silence-timeout") { Description = "Seconds without market data (public socket) or any message (private socket) before the socket is replaced.", DefaultValueFactory = _ => 30 };

    public void AddTo(Command command)
    {
        command.Options.Add(RestUrl);
        command.Options.Add(WsUrl);
        command.Options.Add(Markets);
        command.Options.Add(Warmup);
        command.Options.Add(Silence);
    }

    /// <summary>Validated live settings (URLs: flag → <c>UPBITHFT_REST_URL</c> / <c>UPBITHFT_WS_URL</c> → default).</summary>
    public LiveSettings Settings(ParseResult parse) => new()
    {
        RestUrl = Url(EnvironmentFallback.Explicit(parse, RestUrl) ?? EnvironmentFallback.String("UPBITHFT_REST_URL") ?? parse.GetValue(RestUrl), "--rest-url", "http", "https"),
        WsUrl = Url(EnvironmentFallback.Explicit(parse, WsUrl) ?? EnvironmentFallback.String("UPBITHFT_WS_URL") ?? parse.GetValue(WsUrl), "--ws-url", "ws", "wss"),
        Markets = parse.GetValue(Markets)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        WarmupCandles = parse.GetValue(Warmup) is var w and >= 0 and <= 200 ? w : throw new ArgumentException("--warmup-candles must be between 0 and 200 (one REST request per market)."),
        SilenceTimeout = parse.GetValue(Silence) is var t and >= 0.5 and <= 600 ? TimeSpan.FromSeconds(t) : throw new ArgumentException("--feed-silence-timeout must be between 0.5 and 600 seconds."),
    };

    /// <summary>The input named in the run report (the public socket's URL as given).</summary>
    public string Describe(ParseResult parse) => parse.GetValue(WsUrl)!;

    /// <summary>An absolute URL of one of <paramref name="schemes"/>, or an <see cref="ArgumentException"/> naming the option.</summary>
    public static Uri Url(string? text, string option, params string[] schemes) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && schemes.Contains(uri.Scheme)
            ? uri
            : throw new ArgumentException($"{option} must be an absolute {string.Join(" or ", schemes)} URL (got '{text}').");
}
