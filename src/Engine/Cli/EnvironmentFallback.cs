using System.CommandLine;
using System.Globalization;

namespace UpbitHft.Engine.Cli;

/// <summary>
/// Environment variables set the same options as the flags (a flag wins): UPBITHFT_CAPITAL, UPBITHFT_TAKE_PROFIT,
/// UPBITHFT_STOP_LOSS, UPBITHFT_FRACTION, UPBITHFT_JOURNAL, UPBITHFT_REST_URL, UPBITHFT_WS_URL, UPBITHFT_WS_PRIVATE_URL,
/// UPBITHFT_NOTIFY_URL, UPBITHFT_NOTIFY_CHAT_ID.
/// A variable that is set but not a number is a bad option (exit 2), not silently ignored.
/// </summary>
internal static class EnvironmentFallback
{
    public static decimal? Decimal(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v
        ? decimal.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : throw new ArgumentException($"{name}='{v}' is not a number.")
        : null;

    public static double? Double(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v
        ? double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : throw new ArgumentException($"{name}='{v}' is not a number.")
        : null;

    public static string? String(string name) => Environment.GetEnvironmentVariable(name);

    /// <summary>
    /// The option's value when it was given on the command line, else null: an option with a default value must not
    /// hide the environment variable behind its default, so flag → variable → default is spelled out by the caller.
    /// </summary>
    public static string? Explicit(ParseResult parse, Option<string> option) =>
        parse.GetResult(option) is { Implicit: false } ? parse.GetValue(option) : null;
}
