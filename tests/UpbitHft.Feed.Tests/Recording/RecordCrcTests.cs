using System.IO.Hashing;
using System.Runtime.Intrinsics;
using UpbitHft.Feed.Recording;

namespace UpbitHft.Feed.Tests.Recording;

/// <summary>
/// The recording's wide CRC must be the runtime's CRC-32 on every input: every length around the fold's block sizes,
/// random bytes, and real records. Its constants are checked against the ones published for this polynomial.
/// </summary>
public class RecordCrcTests
{
    [Fact]
    public void The_constants_are_the_published_ones()
    {
        // Gopal et al. (Intel, 2009) and zlib's crc32 PCLMULQDQ code: k1..k6 and mu for 0x04C11DB7, reflected.
        Assert.Equal(0x1_5444_2BD4UL, RecordCrc.Fold(512).GetElement(0));
        Assert.Equal(0x1_C6E4_1596UL, RecordCrc.Fold(512).GetElement(1));
        Assert.Equal(0x1_7519_97D0UL, RecordCrc.Fold(128).GetElement(0));
        Assert.Equal(0x0_CCAA_009EUL, RecordCrc.Fold(128).GetElement(1));
        Assert.Equal(0x1_63CD_6124UL, RecordCrc.Reflect33(RecordCrc.XPowModP(64)));
        Assert.Equal(0x1_DB71_0641UL, RecordCrc.Reflect33(0x1_04C1_1DB7UL));
        Assert.Equal(0x1_F701_1641UL, RecordCrc.Reflect33(RecordCrc.Quotient64()));
    }

    [Fact]
    public void Every_length_up_to_2100_bytes_gives_the_runtime_crc()
    {
        var random = new Random(20261130);
        var data = new byte[2100];
        random.NextBytes(data);
        for (var length = 0; length <= data.Length; length++)
        {
            for (var offset = 0; offset < 3; offset++)
            {
                var span = data.AsSpan(offset, Math.Min(length, data.Length - offset));
                Assert.Equal(Crc32.HashToUInt32(span), RecordCrc.Hash(span));
            }
        }
    }

    [Fact]
    public void Random_frames_and_edge_patterns_give_the_runtime_crc()
    {
        var random = new Random(7);
        for (var i = 0; i < 5_000; i++)
        {
            var data = new byte[random.Next(RecordCrc.WideBytes, 70_000)];
            switch (i % 4)
            {
                case 0: random.NextBytes(data); break;
                case 1: Array.Fill(data, (byte)0xFF); break;
                case 2: break; // zeros
                default: data[random.Next(data.Length)] = (byte)(1 << random.Next(8)); break; // one bit
            }

            Assert.Equal(Crc32.HashToUInt32(data), RecordCrc.Hash(data));
        }
    }

    [Fact]
    public void The_wide_fold_is_taken_on_a_machine_that_has_it()
    {
        Assert.Equal(System.Runtime.Intrinsics.X86.Pclmulqdq.V512.IsSupported && System.Runtime.Intrinsics.X86.Avx512F.IsSupported, RecordCrc.Wide);
    }
}
