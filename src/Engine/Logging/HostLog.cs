using Microsoft.Extensions.Logging;

namespace UpbitHft.Engine.Logging;

/// <summary>
/// The engine's host-level log messages, source-generated (no boxing or formatting unless the level is enabled). Ids
/// by area: 1xx journal, 2xx control socket, 3xx start-up reconciliation, 4xx run loop, 5xx alerts, 6xx metrics, 9xx
/// lines adapted from components that still log through <c>Action&lt;string&gt;</c> (<see cref="LogTextWriter"/>).
/// The texts are the lines the engine printed before, so the console reads the same.
/// </summary>
internal static partial class HostLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Warning, Message = "journal: *** write failed ({Error}); new entries are stopped, exits continue; {Records} record(s) kept and retried ***")]
    public static partial void JournalWriteFailed(ILogger logger, string error, int records);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "journal: writing again after {Failures} failed attempt(s); nothing was lost")]
    public static partial void JournalRecovered(ILogger logger, long failures);

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "journal: checkpoint at close failed ({Error}); the WAL file is kept and read next time")]
    public static partial void JournalCheckpointFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 200, Level = LogLevel.Warning, Message = "control: kill — selling every position and stopping")]
    public static partial void ControlKill(ILogger logger);

    [LoggerMessage(EventId = 201, Level = LogLevel.Information, Message = "control: pause — no new entries; exits continue")]
    public static partial void ControlPause(ILogger logger);

    [LoggerMessage(EventId = 202, Level = LogLevel.Information, Message = "control: resume — entries allowed again")]
    public static partial void ControlResume(ILogger logger);

    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "reconcile: {Note}")]
    public static partial void ReconcileNote(ILogger logger, string note);

    [LoggerMessage(EventId = 301, Level = LogLevel.Information, Message = "reconcile: KRW {Krw:N0} free, {Positions} position(s) restored, {Cancelled} order(s) cancelled, {Resolved} journal order(s) resolved, {Recovered} recovered")]
    public static partial void ReconcileDone(ILogger logger, decimal krw, int positions, int cancelled, int resolved, int recovered);

    [LoggerMessage(EventId = 302, Level = LogLevel.Warning, Message = "reconcile: lookup {Attempt} of {Identifier} failed ({Error}); the order stays unknown, asking again (nothing is sent meanwhile)")]
    public static partial void ReconcileLookupFailed(ILogger logger, int attempt, string identifier, string error);

    [LoggerMessage(EventId = 303, Level = LogLevel.Warning, Message = "reconcile: cancel of {Identifier} answered {Error}; looking it up and sending it again")]
    public static partial void ReconcileCancelFailed(ILogger logger, string? identifier, string error);

    [LoggerMessage(EventId = 400, Level = LogLevel.Warning, Message = "kill switch: every position is sold; stopping")]
    public static partial void KillSwitchDone(ILogger logger);

    [LoggerMessage(EventId = 500, Level = LogLevel.Warning, Message = "notify: alert '{Event}' dropped: the alert queue is full ({Dropped} dropped so far)")]
    public static partial void AlertDropped(ILogger logger, string @event, long dropped);

    [LoggerMessage(EventId = 501, Level = LogLevel.Warning, Message = "notify: alert '{Event}' not delivered after {Attempts} attempt(s): {Error}")]
    public static partial void AlertFailed(ILogger logger, string @event, int attempts, string error);

    [LoggerMessage(EventId = 502, Level = LogLevel.Information, Message = "notify: alerts go to {Host} as {Template}")]
    public static partial void NotifierStarted(ILogger logger, string host, string template);

    [LoggerMessage(EventId = 600, Level = LogLevel.Information, Message = "metrics: serving /metrics and /healthz on http://{Endpoint}")]
    public static partial void MetricsListening(ILogger logger, string endpoint);

    [LoggerMessage(EventId = 900, Message = "{Line}")]
    public static partial void Line(ILogger logger, LogLevel level, string line);
}
