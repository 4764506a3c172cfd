using UpbitHft.Engine.Ring;
using UpbitHft.Engine.Runtime;

namespace UpbitHft.Engine.Tests.Runtime;

/// <summary>The arena copy: whole aligned lines of non-temporal stores, the last one rotated into place.</summary>
public class NonTemporalCopyTests
{
    [Fact]
    public void Every_length_up_to_a_slot_from_any_source_offset_lands_exactly_and_nothing_past_its_last_line_is_touched()
    {
        var slotBuffer = GC.AllocateUninitializedArray<byte>(SplitParse.Stride + 128, pinned: true);
        var start = CacheLines.AlignmentOffset(slotBuffer);
        var source = new byte[SplitParse.Stride + 64];
        new Random(7).NextBytes(source);
        for (var length = 0; length <= SplitParse.Stride; length++)
        {
            var offset = length % 61;
            var frame = source.AsSpan(offset, Math.Min(length, source.Length - offset));
            if (frame.Length != length)
            {
                continue;
            }

            var slot = slotBuffer.AsSpan(start, SplitParse.Stride);
            slotBuffer.AsSpan().Fill(0xEE);
            NonTemporalCopy.ToAlignedSlot(frame, slot);
            SplitParse.BeforePublish();
            Assert.True(frame.SequenceEqual(slot[..length]), $"length {length}");
            var touched = (length + 63) & ~63;
            Assert.True(slotBuffer.AsSpan(start + touched).IndexOfAnyExcept((byte)0xEE) < 0, $"length {length}: a byte past its last line");
            Assert.True(slotBuffer.AsSpan(0, start).IndexOfAnyExcept((byte)0xEE) < 0, $"length {length}: a byte before the slot");
        }
    }

    [Fact]
    public void A_slot_shorter_than_the_frames_whole_lines_is_refused_rather_than_overrun()
    {
        var frame = new byte[100];
        var slot = GC.AllocateUninitializedArray<byte>(256, pinned: true);
        var start = CacheLines.AlignmentOffset(slot);
        if (System.Runtime.Intrinsics.X86.Avx512Vbmi.IsSupported)
        {
            Assert.Throws<ArgumentException>(() => NonTemporalCopy.ToAlignedSlot(frame, slot.AsSpan(start, 120)));
        }

        NonTemporalCopy.ToAlignedSlot(frame, slot.AsSpan(start, 128)); // two whole lines: enough
    }
}
