using System.Text;
using System.Text.Json;
using UpbitHft.Feed.Replay;

namespace UpbitHft.Feed.Tests.Replay;

/// <summary>
/// The direct decoder of usual capture lines gives exactly what a general JSON reader gives, and hands everything
/// unusual to it; the streaming reader handles lines that straddle its blocks.
/// </summary>
public class CaptureLineTests
{
    private static (byte[] Frame, double Ts) Reference(string line)
    {
        using var doc = JsonDocument.Parse(line);
        return (Encoding.UTF8.GetBytes(doc.RootElement.GetProperty("frame").GetString()!), doc.RootElement.GetProperty("recv_ts").GetDouble());
    }

    private static string Line(string frame, double ts, bool frameFirst = false, string space = " ")
    {
        var f = JsonSerializer.Serialize(frame); // escapes quotes, backslashes, controls, and (by default) non-ASCII as \u
        var t = ts.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        return frameFirst ? $"{{\"frame\":{space}{f},{space}\"recv_ts\":{space}{t}}}" : $"{{\"recv_ts\":{space}{t},{space}\"frame\":{space}{f}}}";
    }

    public static TheoryData<string> UsualLines() =>
    [
        File.ReadLines(Path.Combine(AppContext.BaseDirectory, "TestData", "Samples", "upbit-simple-2021-04-17.jsonl")).First(),
        File.ReadLines(Path.Combine(AppContext.BaseDirectory, "TestData", "Samples", "upbit-simple-2021-04-17.jsonl")).Last(),
        """{"recv_ts": 1793577600.021, "frame": "{\"ty\":\"trade\",\"cd\":\"KRW-BTC\",\"tp\":1.5E8}"}""",
        """{"frame": "a\"b\\c\/d\be\ff\ng\rh\ti", "recv_ts": 1}""",
        "{\"recv_ts\":1.25,\"frame\":\"raw é and 한글\"}   \r",
        "\t{ \"recv_ts\" : 2 , \"frame\" : \"\" }",
    ];

    [Theory]
    [MemberData(nameof(UsualLines))]
    public void A_usual_line_decodes_exactly_as_a_json_reader_reads_it(string line)
    {
        var buffer = new byte[4096];
        Assert.Equal(CaptureLine.Result.Ok, CaptureLine.TryDecode(Encoding.UTF8.GetBytes(line), buffer, out var length, out var ts));
        var (frame, refTs) = Reference(line);
        Assert.Equal(frame, buffer.AsSpan(0, length).ToArray());
        Assert.Equal(refTs, ts);
    }

    [Theory]
    [InlineData("""{"recv_ts": 1, "frame": "caf\u00e9"}""")] // \u escapes: the general reader
    [InlineData("""{"recv_ts": 1, "frame": "x", "extra": 2}""")]
    [InlineData("""{"recv_ts": 1, "frame": "x"} trailing""")]
    [InlineData("""{"recv_ts": "1", "frame": "x"}""")]
    [InlineData("""{"recv_ts": 1, "recv_ts": 2, "frame": "x"}""")]
    [InlineData("""{"recv_ts": 1, "frame": "unterminated""")]
    [InlineData("""{"frame": "x"}""")]
    [InlineData("garbage")]
    public void An_unusual_line_is_left_to_the_general_reader(string line)
    {
        Assert.Equal(CaptureLine.Result.Unusual, CaptureLine.TryDecode(Encoding.UTF8.GetBytes(line), new byte[4096], out _, out _));
    }

    /// <summary>
    /// The line's string is checked for UTF-8, not the unescaped frame: the two must agree on every input. Random
    /// strings of ASCII, escapes, valid multi-byte characters and stray bytes (lead bytes without their continuation,
    /// lone continuation bytes, bytes never valid), including escapes written right after a lead byte.
    /// </summary>
    /// <summary>
    /// An all-ASCII string skips the UTF-8 check, so every way the unescaping reads a byte (64 bytes at a time, 16 at a
    /// time, one by one at the end) must see a byte with its high bit set: a stray byte or a valid character put at each
    /// position of a real frame's escaped string in turn (but inside an escape) is refused or kept exactly as the check
    /// says.
    /// </summary>
    [Fact]
    public void A_non_ascii_byte_anywhere_in_a_real_frame_is_seen()
    {
        const string Real = "{\"ty\":\"orderbook\",\"cd\":\"KRW-BTC\",\"tms\":1,\"obu\":[{\"ap\":356,\"bp\":355,\"as\":22870.03759468,\"bs\":18341.18771756},{\"ap\":357,\"bp\":354,\"as\":64210.84939541,\"bs\":45441.54731257}],\"st\":\"REALTIME\"}";
        var body = Encoding.ASCII.GetBytes(Real.Replace("\"", "\\\"", StringComparison.Ordinal)); // escaped as a capture writes it
        var frame = new byte[4096];
        Assert.Equal(CaptureLine.Result.Ok, CaptureLine.TryDecode(Line(body), frame, out _, out _));
        byte[][] inserts = [[0xFF], [0xC3], [0x80], [0xC3, 0xA9], [0xE2, 0x82, 0xAC]];
        foreach (var insert in inserts)
        {
            for (var at = 0; at <= body.Length; at++)
            {
                if (at > 0 && body[at - 1] == (byte)'\\')
                {
                    continue; // between a backslash and the byte it escapes: not a JSON string any more
                }

                byte[] changed = [.. body[..at], .. insert, .. body[at..]];
                var expected = System.Text.Unicode.Utf8.IsValid(changed) ? CaptureLine.Result.Ok : CaptureLine.Result.Unusual;
                Assert.Equal(expected, CaptureLine.TryDecode(Line(changed), frame, out _, out _));
            }
        }

        static byte[] Line(byte[] body) => [.. "{\"recv_ts\": 1, \"frame\": \""u8.ToArray(), .. body, .. "\"}"u8.ToArray()];
    }

    [Fact]
    public void The_frame_is_text_exactly_when_its_escaped_string_is()
    {
        var random = new Random(20261130);
        string[] pieces = ["a", "7", "{", ":", @"\""", @"\\", @"\/", @"\n", @"\t", @"\r", @"\b", @"\f", "한", "é", "€", "😀"];
        byte[][] stray = [[0xC3], [0xA9], [0xE2, 0x82], [0xF0, 0x9F], [0xFF], [0xC0, 0xAF], [0xED, 0xA0, 0x80]];
        var frame = new byte[4096];
        int valid = 0, invalid = 0;
        for (var n = 0; n < 20_000; n++)
        {
            var body = new List<byte>();
            var count = random.Next(0, 200);
            for (var k = 0; k < count; k++)
            {
                body.AddRange(random.Next(12) == 0 ? stray[random.Next(stray.Length)] : Encoding.UTF8.GetBytes(pieces[random.Next(pieces.Length)]));
            }

            byte[] line = [.. Encoding.UTF8.GetBytes("{\"recv_ts\": 1, \"frame\": \""), .. body, .. Encoding.UTF8.GetBytes("\"}")];
            var result = CaptureLine.TryDecode(line, frame, out var length, out _);
            var bodyValid = System.Text.Unicode.Utf8.IsValid(body.ToArray());
            Assert.Equal(bodyValid ? CaptureLine.Result.Ok : CaptureLine.Result.Unusual, result);
            if (result == CaptureLine.Result.Ok)
            {
                Assert.True(System.Text.Unicode.Utf8.IsValid(frame.AsSpan(0, length)));
                valid++;
            }
            else
            {
                invalid++;
            }
        }

        Assert.True(valid > 1_000 && invalid > 1_000, $"{valid} valid, {invalid} invalid: the mix does not test both sides");
    }

    [Fact]
    public void A_raw_control_character_or_invalid_utf8_is_unusual()
    {
        var control = Encoding.UTF8.GetBytes("{\"recv_ts\": 1, \"frame\": \"a\u0001b\"}");
        Assert.Equal(CaptureLine.Result.Unusual, CaptureLine.TryDecode(control, new byte[64], out _, out _));
        byte[] invalid = [.. Encoding.UTF8.GetBytes("{\"recv_ts\": 1, \"frame\": \"a"), 0xC3, 0x28, .. Encoding.UTF8.GetBytes("\"}")];
        Assert.Equal(CaptureLine.Result.Unusual, CaptureLine.TryDecode(invalid, new byte[64], out _, out _));
    }

    /// <summary>
    /// Frames escaped as captures escape them (a backslash before each quote, some slashes escaped, now and then a
    /// backslash or a control escape), at every offset against the decoder's sixteen-byte blocks.
    /// </summary>
    [Fact]
    public void Generated_capture_style_escapes_decode_as_the_reference()
    {
        var random = new Random(11);
        const string alphabet = "\"\"\"{}[]:,0123456789.abKRW-/";
        for (var n = 0; n < 5_000; n++)
        {
            var frame = new string([.. Enumerable.Range(0, random.Next(0, 300)).Select(_ => random.Next(50) == 0 ? "\\\n\t"[random.Next(3)] : alphabet[random.Next(alphabet.Length)])]);
            var escaped = new StringBuilder();
            foreach (var ch in frame)
            {
                escaped.Append(ch switch
                {
                    '"' => "\\\"",
                    '\\' => "\\\\",
                    '/' when random.Next(2) == 0 => "\\/",
                    '\n' => "\\n",
                    '\t' => "\\t",
                    _ => ch.ToString(),
                });
            }

            var line = "{\"recv_ts\": 1.5, \"frame\": \"" + escaped + "\"}" + new string(' ', random.Next(3));
            var bytes = Encoding.UTF8.GetBytes(line);
            var buffer = new byte[bytes.Length];
            Assert.Equal(CaptureLine.Result.Ok, CaptureLine.TryDecode(bytes, buffer, out var length, out _));
            Assert.Equal(Encoding.UTF8.GetBytes(frame), buffer.AsSpan(0, length).ToArray());
            Assert.Equal(Reference(line).Frame, buffer.AsSpan(0, length).ToArray());
        }
    }

    [Fact]
    public void A_raw_control_character_anywhere_in_a_long_frame_is_unusual()
    {
        // Long enough for the sixteen-byte blocks: the control byte is seen in every block position and in the tail.
        for (var at = 0; at < 100; at++)
        {
            var frame = new string('x', at) + "\u0001" + new string('y', 99 - at);
            var line = Encoding.UTF8.GetBytes("{\"recv_ts\": 1, \"frame\": \"" + frame + "\"}");
            Assert.Equal(CaptureLine.Result.Unusual, CaptureLine.TryDecode(line, new byte[line.Length], out _, out _));
        }
    }

    [Fact]
    public void Generated_frames_with_every_short_escape_decode_as_the_reference_in_either_key_order()
    {
        var random = new Random(7);
        const string alphabet = "ab\"\\/\b\f\n\r\t{}[]:,0123456789.eE-한";
        for (var n = 0; n < 2_000; n++)
        {
            var frame = new string([.. Enumerable.Range(0, random.Next(0, 200)).Select(_ => alphabet[random.Next(alphabet.Length)])]);
            var line = Line(frame, random.Next() / 1000.0, frameFirst: n % 2 == 0, space: n % 3 == 0 ? "" : " ");
            var bytes = Encoding.UTF8.GetBytes(line);
            var buffer = new byte[bytes.Length];
            var result = CaptureLine.TryDecode(bytes, buffer, out var length, out var ts);
            if (line.Contains("\\u", StringComparison.Ordinal))
            {
                Assert.Equal(CaptureLine.Result.Unusual, result); // JsonSerializer writes non-ASCII and some escapes as \u
                continue;
            }

            Assert.Equal(CaptureLine.Result.Ok, result);
            var (expected, expectedTs) = Reference(line);
            Assert.Equal(expected, buffer.AsSpan(0, length).ToArray());
            Assert.Equal(expectedTs, ts);
        }
    }

    [Fact]
    public void Lines_straddling_the_readers_blocks_are_read_whole()
    {
        // ~6 MB of lines of varying length: many cross a block boundary, and a few are longer than a block.
        var sb = new StringBuilder();
        var frames = new List<string>();
        for (var i = 0; sb.Length < 6 * 1024 * 1024; i++)
        {
            var pad = i % 1000 == 7 ? CaptureReader.BlockBytes + (i * 31 % CaptureReader.BlockBytes) : i % 997;
            var frame = "{\"ty\":\"trade\",\"n\":" + i + ",\"pad\":\"" + new string('x', pad) + "\"}";
            frames.Add(frame);
            sb.Append(Line(frame, i)).Append(i % 5 == 0 ? "\r\n" : "\n");
        }

        var reader = new CaptureReader(Encoding.UTF8.GetBytes(sb.ToString()));
        var k = 0;
        while (reader.TryReadNext(out var frame, out var ts))
        {
            Assert.Equal(frames[k], Encoding.UTF8.GetString(frame));
            Assert.Equal(k, ts);
            k++;
        }

        Assert.Equal(frames.Count, k);
        Assert.Equal(0, reader.MalformedLines);
    }

    /// <summary>
    /// The receive time is read by the parser's exact number path when it is a JSON number and by the runtime's UTF-8
    /// parser otherwise: same value, same end, bit for bit, as the runtime alone gives, for every spelling.
    /// </summary>
    [Theory]
    [InlineData("1793577600.152,")]
    [InlineData("1617646620.849474}")]
    [InlineData("1793577600 ,")]
    [InlineData("1.7935776001521E9,")]
    [InlineData("0.1,")]
    [InlineData("12345678901234567890.123,")]
    [InlineData("-5.5,")]
    [InlineData("01.5,")]
    [InlineData("+1.5,")]
    [InlineData("1.,")]
    [InlineData("-0,")]
    [InlineData("0,")]
    [InlineData("1e400,")]
    [InlineData("1.5e,")]
    [InlineData("1e5x,")]
    [InlineData("NaN,")]
    [InlineData("-Infinity,")]
    [InlineData("1793577600.152")]
    public void A_receive_time_reads_as_the_runtime_reads_it(string text) => AssertTimeReadsAsTheRuntime(text);

    private static void AssertTimeReadsAsTheRuntime(string text)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        var p = 0;
        var ours = CaptureLine.TryReadTime(bytes, ref p, out var value);
        var theirs = System.Buffers.Text.Utf8Parser.TryParse(bytes, out double expected, out var used);
        Assert.Equal(theirs, ours);
        if (ours)
        {
            Assert.Equal(used, p);
            Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(value));
        }
    }

    /// <summary>A crafted number whose exponent the scan saturates is left to the runtime: the value is the runtime's.</summary>
    [Fact]
    public void A_huge_crafted_receive_time_reads_as_the_runtime_reads_it()
    {
        AssertTimeReadsAsTheRuntime("1" + new string('0', 100_000) + "e-100001,");
        AssertTimeReadsAsTheRuntime("0." + new string('0', 99_999) + "1e1000000000,");
    }

    [Fact]
    public void Random_receive_times_read_as_the_runtime_reads_them()
    {
        var random = new Random(7);
        for (var i = 0; i < 20_000; i++)
        {
            var seconds = 1_600_000_000 + (random.NextDouble() * 300_000_000);
            AssertTimeReadsAsTheRuntime(seconds.ToString(random.Next(3) switch { 0 => "R", 1 => "F3", _ => "F6" }, System.Globalization.CultureInfo.InvariantCulture) + ",");
        }
    }

    /// <summary>
    /// The 64-byte step (where the CPU has it) drops the backslashes of escaped quotes a block at a time: escaped quotes
    /// at every offset, a backslash in a block's last byte, an escaped backslash or slash or a newline escape next to
    /// them, all decode as the general reader decodes them.
    /// </summary>
    [Fact]
    public void Escaped_quotes_at_every_offset_of_a_64_byte_block_decode_as_the_reference()
    {
        // Meaningful where the CPU has the 64-byte step (AVX-512 VBMI2, as the development box); elsewhere it checks the
        // 16-byte path on the same lines.
        var frame = new byte[512];
        foreach (var extra in new[] { "", "\\", "/", "\n", "\t", "\u0001" })
        {
            for (var offset = 0; offset < 140; offset++)
            {
                var text = "{\"ty\":\"trade\"," + new string('x', offset) + "\"cd\":\"KRW-BTC\"" + extra + new string('y', 150 - offset) + "\"k\":\"v\"}";
                // Capture style: quotes and backslashes escaped with a backslash (as Python's json.dumps writes them), and a
                // newline, a tab and a slash escaped too.
                var line = "{\"recv_ts\": 1793577600.152, \"frame\": \"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)
                    .Replace("\n", "\\n", StringComparison.Ordinal).Replace("\t", "\\t", StringComparison.Ordinal).Replace("/", "\\/", StringComparison.Ordinal) + "\"}" + new string(' ', offset % 70);
                var result = CaptureLine.TryDecode(Encoding.UTF8.GetBytes(line), frame, out var length, out var ts);
                if (extra == "\u0001")
                {
                    Assert.Equal(CaptureLine.Result.Unusual, result); // a raw control byte: the general reader judges
                    continue;
                }

                Assert.Equal(CaptureLine.Result.Ok, result);
                var (expected, expectedTs) = Reference(line);
                Assert.Equal(expected, frame.AsSpan(0, length).ToArray());
                Assert.Equal(expectedTs, ts);
            }
        }
    }

    /// <summary>
    /// A line decoded where it lies in the reader's block, with the next line behind it: the string's closing quote falls
    /// at every offset of a 64-byte step, after escaped quotes, slashes, backslashes and newlines; what follows the quote
    /// (the object's end, the newline, a next line with quotes, backslashes, control and non-ASCII bytes) is never taken
    /// for the string's.
    /// </summary>
    [Fact]
    public void A_string_ending_anywhere_in_a_64_byte_step_with_the_next_line_behind_it_decodes_as_the_reference()
    {
        var random = new Random(5);
        const string alphabet = "\"\"\"{}[]:,0123456789.abKRW-/";
        var next = "\n{\"recv_ts\": 2.5, \"frame\": \"\\\"x\\\\\u0001한\"}\n" + new string('z', 80);
        var buffer = new byte[4096];
        for (var size = 0; size < 300; size++)
        {
            for (var n = 0; n < 4; n++)
            {
                var frame = new string([.. Enumerable.Range(0, size).Select(_ => random.Next(40) == 0 ? "\\\n"[random.Next(2)] : alphabet[random.Next(alphabet.Length)])]);
                var escaped = frame.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)
                    .Replace("\n", "\\n", StringComparison.Ordinal).Replace("/", n % 2 == 0 ? "\\/" : "/", StringComparison.Ordinal);
                var line = "{\"recv_ts\": 1.5, \"frame\": \"" + escaped + "\"}";
                var text = Encoding.UTF8.GetBytes(line + next);
                Assert.Equal(CaptureLine.Result.Ok, CaptureLine.TryDecodeObject(text, buffer, out var length, out var ts, out var end));
                Assert.Equal(Encoding.UTF8.GetByteCount(line), end);
                Assert.Equal(Reference(line).Frame, buffer.AsSpan(0, length).ToArray());
                Assert.Equal(1.5, ts);
            }
        }
    }

    /// <summary>
    /// The usual spelling's head is read directly; the same line spelled otherwise (no spaces) takes the general member
    /// loop. Both give the same answer — the same time, bit for bit, or both unusual — for times of every shape: integers,
    /// fractions, 19 digits and more, leading zeros, exponents, signs, a point with nothing after it.
    /// </summary>
    [Fact]
    public void The_usual_head_reads_every_time_as_the_general_path_does()
    {
        var random = new Random(31);
        string[] fixedTimes = ["0", "0.5", "00.5", "01", "1.", ".5", "-1.5", "1e3", "1.5E-2", "12345678901234567890.5", "9007199254740993",
            "9007199254740993.1", "1793577600.021", "1793577600.0210000000001", "0.0000000000000000000000001", "1" + new string('0', 30)];
        var frame = new byte[64];
        for (var n = 0; n < 20_000; n++)
        {
            var time = n < fixedTimes.Length ? fixedTimes[n] : RandomTime(random);
            var usual = Encoding.UTF8.GetBytes("{\"recv_ts\": " + time + ", \"frame\": \"x\"}");
            var general = Encoding.UTF8.GetBytes("{\"recv_ts\":" + time + ",\"frame\":\"x\"}");
            var a = CaptureLine.TryDecode(usual, frame, out var lengthA, out var tsA);
            var b = CaptureLine.TryDecode(general, frame, out var lengthB, out var tsB);
            Assert.Equal(b, a);
            if (a == CaptureLine.Result.Ok)
            {
                Assert.Equal((1, BitConverter.DoubleToInt64Bits(tsB)), (lengthA, BitConverter.DoubleToInt64Bits(tsA)));
                Assert.Equal(double.Parse(time, System.Globalization.CultureInfo.InvariantCulture), tsA);
            }
        }

        static string RandomTime(Random random)
        {
            var whole = random.Next(4) == 0 ? random.NextInt64(0, 100).ToString(System.Globalization.CultureInfo.InvariantCulture)
                : random.NextInt64(1_000_000_000, 9_999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var digits = random.Next(0, 14);
            var fraction = digits == 0 ? "" : "." + new string([.. Enumerable.Range(0, digits).Select(_ => (char)('0' + random.Next(10)))]);
            return whole + fraction;
        }
    }
}
