using UpbitHft.Engine.Markets;

namespace UpbitHft.Engine.Decisions;

/// <summary>
/// Stale data, as designed: a held market whose feed is silent (seen by the timer) or whose socket is down is
/// watched over REST so its stop still fires, entries stop until it is fresh, and reconnecting one socket never
/// blinds a held market's stop.
/// </summary>
public sealed partial class DecisionCore
{
    /// <summary>
    /// Socket health. No entries unless both are up (without the private socket a resting take-profit's fill would go
    /// unseen). The public socket going down blinds every held market at once: each is watched over REST until its
    /// data is back, so reconnecting never blinds a stop. The private socket coming back: every order in flight is
    /// looked up (myOrder has no snapshot). Engine thread.
    /// </summary>
    public void OnFeedStatus(bool publicUp, bool privateUp, long nowMs, ActionBuffer actions)
    {
        if (!publicUp && _publicFeedUp)
        {
            foreach (var slot in _markets)
            {
                if (IsHeld(slot) && !slot.Watched)
                {
                    Watch(slot, nowMs, actions);
                }
            }
        }

        if (privateUp && !_privateFeedUp)
        {
            foreach (var slot in _markets)
            {
                var p = slot.Position;
                RefreshIfLive(slot, p.State == PositionState.Entering ? p.EntryIntentId : 0, nowMs, actions);
                RefreshIfLive(slot, p.TakeProfitResting ? p.TakeProfitIntentId : 0, nowMs, actions);
                RefreshIfLive(slot, p.ExitIntentId, nowMs, actions);
            }
        }

        _publicFeedUp = publicUp;
        _privateFeedUp = privateUp;
    }

    private static bool IsHeld(MarketSlot slot) => slot.Position.State is PositionState.Entering or PositionState.Open or PositionState.Exiting;

    /// <summary>Data arrived from the feed: a stale market is fresh again and its REST watch ends.</summary>
    private void MarkFresh(MarketSlot slot, ActionBuffer actions)
    {
        if (slot.Stale)
        {
            slot.Stale = false;
            _staleHeld--;
        }

        if (slot.Watched)
        {
            Unwatch(slot, slot.LastTradeMs, actions);
        }
    }

    private static void Watch(MarketSlot slot, long nowMs, ActionBuffer actions)
    {
        slot.Watched = true;
        ref var a = ref actions.Add(ActionKind.WatchMarket, slot.Id);
        a.TimestampMs = nowMs;
    }

    private static void Unwatch(MarketSlot slot, long nowMs, ActionBuffer actions)
    {
        slot.Watched = false;
        ref var a = ref actions.Add(ActionKind.UnwatchMarket, slot.Id);
        a.TimestampMs = nowMs;
    }

    private void RefreshIfLive(MarketSlot slot, long intentId, long nowMs, ActionBuffer actions)
    {
        if (intentId != 0 && _intents.TryGet(intentId, out _, out _))
        {
            ref var a = ref actions.Add(ActionKind.RefreshOrder, slot.Id);
            a.TargetIntentId = intentId;
            a.TimestampMs = nowMs;
        }
    }
}
