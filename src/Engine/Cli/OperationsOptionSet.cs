using System.CommandLine;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;
using UpbitHft.Engine.Logging;
using UpbitHft.Engine.Notifications;
using UpbitHft.Engine.Operations;

namespace UpbitHft.Engine.Cli;

/// <summary>
/// The operator's options of <c>paper</c> and <c>live</c>: the metrics endpoint (<c>--metrics-port</c>,
/// <c>--metrics-host</c>), alerts to a webhook (<c>--notify-url</c> or <c>UPBITHFT_NOTIFY_URL</c>,
/// <c>--notify-template</c>, <c>--notify-chat-id</c>, <c>--notify-feed-down-after</c>) and logging (<c>--log-file</c>,
/// <c>--log-file-max-mb</c>, <c>--log-file-keep</c>, <c>--log-level</c>).
/// </summary>
internal sealed class OperationsOptionSet
{
    public Option<int?> MetricsPort { get; } = new("--metrics-port") { Description = "Serve Prometheus metrics on /metrics and a health check on /healthz at this TCP port (0: any free port)." };
    public Option<string> MetricsHost { get; } = new("--metrics-host") { Description = "The address the metrics port listens on: 127.0.0.1 (default); 0.0.0.0 or :: for every interface (inside a container).", DefaultValueFactory = _ => "127.0.0.1" };
    public Option<string?> NotifyUrl { get; } = new("--notify-url") { Description = "POST alerts (entries, exits, kill switch, day's stop, feed down, journal failure) to this webhook. It usually holds a secret: prefer UPBITHFT_NOTIFY_URL in the environment file." };
    public Option<AlertTemplate> NotifyTemplate { get; } = new("--notify-template") { Description = "Alert body: json (default: event, market, text, time, …), slack ({\"text\"}), discord ({\"content\"}), telegram ({\"chat_id\",\"text\"}).", DefaultValueFactory = _ => AlertTemplate.Json };
    public Option<string?> NotifyChatId { get; } = new("--notify-chat-id") { Description = "Telegram chat id (or @channel) for --notify-template telegram." };
    public Option<double> NotifyFeedDownAfter { get; } = new("--notify-feed-down-after") { Description = "Alert when a socket has been down (or never connected) this many seconds.", DefaultValueFactory = _ => 60 };
    public Option<string?> LogFile { get; } = new("--log-file") { Description = "Also write the log as JSON lines (time, level, category, event, message, values) to this file, rotated by size." };
    public Option<double> LogFileMaxMb { get; } = new("--log-file-max-mb") { Description = "Rotate the log file when it would grow past this many MB.", DefaultValueFactory = _ => 100 };
    public Option<int> LogFileKeep { get; } = new("--log-file-keep") { Description = "Rotated log files kept (FILE.1 … FILE.N).", DefaultValueFactory = _ => 5 };
    public Option<LogLevel> LogLevel { get; } = new("--log-level") { Description = "Lowest level logged: Trace, Debug, Information (default), Warning, Error, Critical.", DefaultValueFactory = _ => Microsoft.Extensions.Logging.LogLevel.Information };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { MetricsPort, MetricsHost, NotifyUrl, NotifyTemplate, NotifyChatId, NotifyFeedDownAfter, LogFile, LogFileMaxMb, LogFileKeep, LogLevel })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>
    /// Validates the options (an <see cref="ArgumentException"/> with the reason, exit code 2), then starts logging to
    /// <paramref name="stderr"/> (and the file) and the notifier. Dispose the result after the run: it sends the last
    /// alerts and flushes the log.
    /// </summary>
    public OperationsRuntime Start(ParseResult parse, TextWriter stderr, TimeProvider time)
    {
        var endpoint = parse.GetValue(MetricsPort) is { } port ? Endpoint(parse.GetValue(MetricsHost), port) : null;
        var url = parse.GetValue(NotifyUrl) ?? EnvironmentFallback.String("UPBITHFT_NOTIFY_URL");
        var notify = string.IsNullOrEmpty(url) ? null : LiveDataOptionSet.Url(url, "--notify-url", "http", "https");
        var template = parse.GetValue(NotifyTemplate);
        var chatId = parse.GetValue(NotifyChatId) ?? EnvironmentFallback.String("UPBITHFT_NOTIFY_CHAT_ID");
        if (notify is not null && template == AlertTemplate.Telegram && string.IsNullOrWhiteSpace(chatId))
        {
            throw new ArgumentException("--notify-template telegram needs --notify-chat-id (or UPBITHFT_NOTIFY_CHAT_ID).");
        }

        var feedDown = parse.GetValue(NotifyFeedDownAfter) is var d and >= 1 and <= 86_400 ? TimeSpan.FromSeconds(d) : throw new ArgumentException("--notify-feed-down-after must be between 1 and 86,400 seconds.");
        var maxMb = parse.GetValue(LogFileMaxMb) is var mb and >= 0.01 and <= 100_000 ? mb : throw new ArgumentException("--log-file-max-mb must be between 0.01 and 100,000.");
        var keep = parse.GetValue(LogFileKeep) is var k and >= 0 and <= 100 ? k : throw new ArgumentException("--log-file-keep must be between 0 and 100.");
        var sinks = new List<ILogSink> { new TextWriterSink(stderr) };
        if (parse.GetValue(LogFile) is { Length: > 0 } path)
        {
            try
            {
                sinks.Add(new JsonLinesFileSink(path, (long)(maxMb * 1024 * 1024), keep));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new ArgumentException($"--log-file {path}: {ex.Message}", ex);
            }
        }

        var pump = new LogPump(sinks, parse.GetValue(LogLevel), time);
        var logging = LoggerFactory.Create(b => b.SetMinimumLevel(pump.Minimum).AddProvider(pump));
        var notifier = notify is null ? null : new Notifier(new NotifierOptions { Url = notify, Template = template, ChatId = chatId }, logging.CreateLogger(typeof(Notifier).FullName!), time);
        return new OperationsRuntime(pump, logging, notifier, new OperationsSettings { MetricsEndpoint = endpoint, Notifier = notifier, FeedDownAlertAfter = feedDown });
    }

    private static IPEndPoint Endpoint(string? host, int port)
    {
        if (port is < 0 or > 65_535)
        {
            throw new ArgumentException($"--metrics-port must be between 0 and 65535 (got {port.ToString(CultureInfo.InvariantCulture)}).");
        }

        var address = host is "localhost" ? IPAddress.Loopback : IPAddress.TryParse(host, out var ip) ? ip
            : throw new ArgumentException($"--metrics-host must be an IP address such as 127.0.0.1, 0.0.0.0 or :: (got '{host}').");
        return new IPEndPoint(address, port);
    }
}

/// <summary>What <see cref="OperationsOptionSet.Start"/> started: disposed after the run (last alerts out, log flushed).</summary>
internal sealed class OperationsRuntime(LogPump pump, ILoggerFactory logging, Notifier? notifier, OperationsSettings settings) : IDisposable
{
    /// <summary>The run's logger factory (console + file).</summary>
    public ILoggerFactory Logging => logging;

    /// <summary>The status writer handed to the runners: every line becomes a log record (<see cref="LogTextWriter"/>).</summary>
    public TextWriter Status { get; } = new LogTextWriter(logging.CreateLogger("UpbitHft.Host"));

    /// <summary>For <c>LiveSettings.Operations</c>.</summary>
    public OperationsSettings Settings => settings;

    public void Dispose()
    {
        notifier?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Status.Dispose();
        logging.Dispose();
        pump.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}
