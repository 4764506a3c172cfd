using UpbitHft.Engine.Execution;
using UpbitHft.Gateway.Orders;

namespace UpbitHft.Engine.Tests.Execution;

/// <summary>The mailbox of foreseen entries and the gateway thread's idle work on it.</summary>
public class EntryHintsTests
{
    private static EntryHint Hint(int market, long intent, decimal amount = 500_000m) => new(market, $"KRW-C{market}", intent, amount);

    [Fact]
    public void A_reader_gets_the_newest_set_once_and_never_a_set_torn_by_a_concurrent_post()
    {
        var hints = new EntryHints();
        var read = new EntryHint[4];
        long seen = 0;
        Assert.False(hints.TryRead(read, ref seen, out _)); // nothing posted yet
        hints.Post([Hint(1, 1), Hint(2, 1)]);
        hints.Post([Hint(3, 2)]); // replaces the first set: a mailbox, not a queue
        Assert.True(hints.TryRead(read, ref seen, out var n));
        Assert.Equal([Hint(3, 2)], read.AsSpan(0, n).ToArray());
        Assert.False(hints.TryRead(read, ref seen, out _)); // once

        // One writer posting sets whose members all carry the set's number; the reader must never see two numbers in a set.
        const int Sets = 200_000;
        var writer = new Thread(() =>
        {
            for (var i = 1; i <= Sets; i++)
            {
                var k = (i % 4) + 1;
                Span<EntryHint> set = [Hint(0, i, i), Hint(1, i, i), Hint(2, i, i), Hint(3, i, i)];
                hints.Post(set[..k]);
            }
        });
        writer.Start();
        long reads = 0;
        long last = 0;
        while (true)
        {
            var done = !writer.IsAlive; // read before the attempt: after the writer ended, one more read finds its last set
            if (hints.TryRead(read, ref seen, out n))
            {
                reads++;
                var id = read[0].IntentId;
                Assert.Equal((int)(id % 4) + 1, n);
                for (var j = 0; j < n; j++)
                {
                    Assert.Equal((j, $"KRW-C{j}", id, (decimal)id), (read[j].MarketId, read[j].Market, read[j].IntentId, read[j].AmountKrw));
                }

                Assert.True(id > last, "sets come newest last");
                last = id;
            }
            else if (done)
            {
                break;
            }
        }

        writer.Join();
        Assert.True(reads > 0);
        Assert.Equal(Sets, last); // the last set is always read in the end
        Assert.Equal(Sets + 2, hints.Posted);
    }

    [Fact]
    public void Idle_work_signs_one_foreseen_entry_a_turn_and_rehearses_when_none_is_left_at_most_once_a_period()
    {
        var hints = new EntryHints();
        var signed = new List<OrderCommand>();
        var rehearsals = 0;
        var idle = new GatewayIdleWork(hints, c => { signed.Add(c); return true; }, () => rehearsals++, TimeSpan.FromHours(1));

        idle.Run();
        Assert.Equal(1, rehearsals); // nothing foreseen: rehearse
        idle.Run();
        Assert.Equal(1, rehearsals); // not again within the period
        Assert.False(idle.HasWork);

        hints.Post([Hint(1, 7), Hint(2, 7, 400_000m)]);
        Assert.True(idle.HasWork);
        idle.Run();
        Assert.Equal([new OrderCommand(OrderCommandKind.MarketBuy, 7, 1, "KRW-C1", AmountKrw: 500_000m)], signed);
        Assert.True(idle.HasWork); // one left
        idle.Run();
        Assert.Equal(new OrderCommand(OrderCommandKind.MarketBuy, 7, 2, "KRW-C2", AmountKrw: 400_000m), signed[1]);
        Assert.False(idle.HasWork); // the set is done: an idle turn is not urgent any more
        idle.Run();
        Assert.Equal((2, 1), (signed.Count, rehearsals));
        Assert.Equal(2, idle.SignedAhead);
    }

    [Fact]
    public void A_newer_set_replaces_what_is_left_of_an_older_one()
    {
        var hints = new EntryHints();
        var signed = new List<long>();
        var idle = new GatewayIdleWork(hints, c => { signed.Add(c.IntentId * 10 + c.MarketId); return true; }, null, TimeSpan.Zero);
        hints.Post([Hint(1, 7), Hint(2, 7), Hint(3, 7)]);
        idle.Run(); // signs market 1 of intent 7
        hints.Post([Hint(2, 8)]); // the first entry went out: the rest of the old set is stale
        idle.Run();
        idle.Run();
        Assert.Equal([71L, 82L], signed);
        Assert.False(idle.HasWork);
    }

    [Fact]
    public void No_idle_work_is_made_when_there_is_nothing_to_do_and_a_parked_thread_looks_for_hints_every_millisecond()
    {
        Assert.Null(GatewayIdleWork.Create(null, _ => true, () => { }, TimeSpan.Zero, null)); // sign-ahead off, rehearsal off: park as long as the strategy likes
        Assert.Equal(TimeSpan.FromMilliseconds(5), GatewayIdleWork.Create(null, _ => true, () => { }, TimeSpan.FromMilliseconds(5), null)!.Every); // the rehearsal's own period
        Assert.Equal(GatewayIdleWork.HintLook, GatewayIdleWork.Create(new EntryHints(), _ => true, () => { }, TimeSpan.FromMilliseconds(5), null)!.Every);
        Assert.Equal(GatewayIdleWork.HintLook, GatewayIdleWork.Create(new EntryHints(), _ => true, () => { }, TimeSpan.Zero, null)!.Every); // rehearsal off
        Assert.Equal(TimeSpan.FromMilliseconds(0.5), GatewayIdleWork.Create(new EntryHints(), _ => true, () => { }, TimeSpan.FromMilliseconds(0.5), null)!.Every);
    }
}
