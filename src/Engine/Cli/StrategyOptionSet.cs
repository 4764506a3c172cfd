using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using UpbitHft.Engine.Decisions;

namespace UpbitHft.Engine.Cli;

/// <summary>
/// The strategy's options: a JSON config file of <see cref="DecisionOptions"/>, overridden by flags, which fall back
/// to environment variables (see <see cref="EnvironmentFallback"/>). Validated once, here.
/// </summary>
internal sealed class StrategyOptionSet
{
    private static readonly JsonSerializerOptions s_configJson = new()
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
    };

    public Option<FileInfo?> Config { get; } = new("--config") { Description = "Strategy options as JSON (DecisionOptions property names; unknown keys are an error)." };
    public Option<decimal?> Capital { get; } = new("--capital") { Description = "Capital, KRW (default 1,000,000); in live mode the most the engine trades with, capped by the account's free KRW." };
    public Option<double?> TakeProfit { get; } = new("--take-profit") { Description = "Take-profit distance, e.g. 0.003 for +0.3 %." };
    public Option<double?> StopLoss { get; } = new("--stop-loss") { Description = "Stop-loss distance, e.g. 0.01 for -1 %." };
    public Option<decimal?> Fraction { get; } = new("--fraction") { Description = "Fraction of capital per entry, e.g. 0.5." };
    public Option<bool> Resting { get; } = new("--resting-take-profit") { Description = "Rest the take-profit as a limit sell (the stop stays in the engine)." };
    public Option<double?> SlippageBuffer { get; } = new("--slippage-buffer") { Description = "Raises the take-profit target by this fraction to cover the exit's slippage, e.g. 0.0005 (+5 bp); choose it from `report`'s slippage per exit reason." };
    public Option<double?> DayOffset { get; } = new("--trading-day-utc-offset") { Description = "Hours from UTC at which the trading day (daily loss limit, losing streak) starts at midnight: 9 = KST (default)." };

    /// <summary>
    /// Validated strategy options: config file, then flag → environment variable → config value per option. Throws
    /// <see cref="ArgumentException"/> (or <see cref="JsonException"/> for a malformed file) with every problem.
    /// </summary>
    public DecisionOptions Settings(ParseResult parse)
    {
        var options = LoadConfig(parse.GetValue(Config));
        options = options with
        {
            CapitalKrw = parse.GetValue(Capital) ?? EnvironmentFallback.Decimal("UPBITHFT_CAPITAL") ?? options.CapitalKrw,
            TakeProfit = parse.GetValue(TakeProfit) ?? EnvironmentFallback.Double("UPBITHFT_TAKE_PROFIT") ?? options.TakeProfit,
            StopLoss = parse.GetValue(StopLoss) ?? EnvironmentFallback.Double("UPBITHFT_STOP_LOSS") ?? options.StopLoss,
            PositionFraction = parse.GetValue(Fraction) ?? EnvironmentFallback.Decimal("UPBITHFT_FRACTION") ?? options.PositionFraction,
            RestingTakeProfit = parse.GetValue(Resting) || options.RestingTakeProfit,
            SlippageBuffer = parse.GetValue(SlippageBuffer) ?? options.SlippageBuffer,
            TradingDayOffsetMs = parse.GetValue(DayOffset) is { } hours ? (long)(hours * 3_600_000) : options.TradingDayOffsetMs,
        };
        var errors = options.Errors();
        if (errors.Count > 0)
        {
            throw new ArgumentException("invalid options: " + string.Join(" ", errors));
        }

        return options;
    }

    private static DecisionOptions LoadConfig(FileInfo? file)
    {
        if (file is null)
        {
            return new DecisionOptions();
        }

        if (!file.Exists)
        {
            throw new ArgumentException($"config file not found: {file.FullName}");
        }

        var json = File.ReadAllText(file.FullName);
        return JsonSerializer.Deserialize<DecisionOptions>(json, s_configJson) ?? throw new ArgumentException("config file is empty");
    }
}
