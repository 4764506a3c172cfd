using System.Buffers;

namespace UpbitHft.TestSupport;

/// <summary>Helpers that cut a byte buffer into a multi-segment <see cref="ReadOnlySequence{T}"/>, the way a pipe may hand it over.</summary>
public static class Bytes
{
    /// <summary>Splits <paramref name="data"/> at the given offsets (ascending, each in 0..Length) into one segment per piece.</summary>
    public static ReadOnlySequence<byte> Split(ReadOnlyMemory<byte> data, params int[] cuts)
    {
        if (cuts.Length == 0)
        {
            return new ReadOnlySequence<byte>(data);
        }

        Segment? first = null, last = null;
        var start = 0;
        foreach (var cut in cuts.Append(data.Length))
        {
            // Copy each piece so segments do not share one array (as real pipe segments do not).
            var piece = data[start..cut].ToArray();
            if (first is null)
            {
                first = last = new Segment(piece, 0);
            }
            else
            {
                last = last!.Append(piece);
            }

            start = cut;
        }

        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
