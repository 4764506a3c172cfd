namespace UpbitHft.Engine.Notifications;

/// <summary>
/// One alert: what happened (<see cref="Event"/>: <c>entry</c>, <c>exit</c>, <c>kill_switch</c>, <c>daily_loss_stop</c>,
/// <c>feed_down</c>, <c>feed_up</c>, <c>journal_failure</c>, <c>journal_recovered</c>), a sentence for people
/// (<see cref="Text"/>) and the facts behind it for machines (the optional fields, in the plain JSON template).
/// </summary>
public sealed record Alert(string Event, string Text, DateTimeOffset Time)
{
    /// <summary>The market (<c>KRW-BTC</c>), when the alert is about one.</summary>
    public string? Market { get; init; }

    /// <summary>Why: the exit reason (<c>take_profit</c>, <c>stop_loss</c>, …), the stop's reason, the socket.</summary>
    public string? Reason { get; init; }

    /// <summary>The price: the entry's fill (entry), the exit's (exit).</summary>
    public double? Price { get; init; }

    /// <summary>The volume bought or sold.</summary>
    public decimal? Volume { get; init; }

    /// <summary>P&amp;L after fees, KRW: the trade's (exit) or the day's (daily loss stop).</summary>
    public decimal? PnlKrw { get; init; }

    /// <summary>How long, seconds (a feed down).</summary>
    public double? Seconds { get; init; }
}
