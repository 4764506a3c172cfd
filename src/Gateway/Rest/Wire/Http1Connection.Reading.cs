using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace UpbitHft.Gateway.Rest.Wire;

/// <summary>Reading an answer: status line, headers, and a body framed by Content-Length or chunks, gzip or not.</summary>
internal sealed partial class Http1Connection
{
    /// <summary>Reads one whole answer. Throws <see cref="IOException"/> when the connection ends or the answer is not HTTP/1.1.</summary>
    public async Task<Http1Response> ReadResponseAsync(CancellationToken cancel)
    {
        int headEnd;
        while ((headEnd = _in.AsSpan(_inStart, _inEnd - _inStart).IndexOf("\r\n\r\n"u8)) < 0)
        {
            await FillAsync(cancel).ConfigureAwait(false);
        }

        var lines = Encoding.ASCII.GetString(_in, _inStart, headEnd).Split("\r\n");
        _inStart += headEnd + 4;
        var statusParts = lines[0].Split(' ', 3);
        if (statusParts.Length < 2 || !statusParts[0].StartsWith("HTTP/1.", StringComparison.Ordinal) || !int.TryParse(statusParts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var status))
        {
            throw new IOException($"not an HTTP/1.1 status line: '{lines[0]}'");
        }

        var length = -1L;
        bool chunked = false, gzip = false, close = statusParts[0] == "HTTP/1.0";
        string? remainingReq = null;
        TimeSpan? retryAfter = null;
        foreach (var line in lines.AsSpan(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }

            var name = line.AsSpan(0, colon).Trim();
            var value = line.AsSpan(colon + 1).Trim();
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                length = long.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture);
            }
            else if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                chunked = value.Contains("chunked", StringComparison.OrdinalIgnoreCase);
            }
            else if (name.Equals("Content-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                gzip = value.Equals("gzip", StringComparison.OrdinalIgnoreCase);
            }
            else if (name.Equals("Connection", StringComparison.OrdinalIgnoreCase))
            {
                close |= value.Contains("close", StringComparison.OrdinalIgnoreCase);
            }
            else if (name.Equals("Remaining-Req", StringComparison.OrdinalIgnoreCase))
            {
                remainingReq = value.ToString();
            }
            else if (name.Equals("Retry-After", StringComparison.OrdinalIgnoreCase) && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            {
                retryAfter = TimeSpan.FromSeconds(seconds);
            }
        }

        byte[] body;
        if (chunked)
        {
            body = await ReadChunkedAsync(cancel).ConfigureAwait(false);
        }
        else if (length >= 0)
        {
            body = await ReadExactlyAsync((int)length, cancel).ConfigureAwait(false);
        }
        else
        {
            throw new IOException("an answer with neither Content-Length nor chunked encoding (its end could only be the connection's)");
        }

        if (gzip)
        {
            using var unzip = new GZipStream(new MemoryStream(body), CompressionMode.Decompress);
            using var plain = new MemoryStream();
            await unzip.CopyToAsync(plain, cancel).ConfigureAwait(false);
            body = plain.ToArray();
        }

        return new Http1Response(status, Encoding.UTF8.GetString(body), remainingReq, retryAfter, close);
    }

    private async Task<byte[]> ReadExactlyAsync(int length, CancellationToken cancel)
    {
        while (_inEnd - _inStart < length)
        {
            await FillAsync(cancel).ConfigureAwait(false);
        }

        var body = _in.AsSpan(_inStart, length).ToArray();
        _inStart += length;
        return body;
    }

    private async Task<byte[]> ReadChunkedAsync(CancellationToken cancel)
    {
        using var body = new MemoryStream();
        while (true)
        {
            int lineEnd;
            while ((lineEnd = _in.AsSpan(_inStart, _inEnd - _inStart).IndexOf("\r\n"u8)) < 0)
            {
                await FillAsync(cancel).ConfigureAwait(false);
            }

            var sizeText = Encoding.ASCII.GetString(_in, _inStart, lineEnd);
            var semicolon = sizeText.IndexOf(';', StringComparison.Ordinal);
            if (!int.TryParse(semicolon >= 0 ? sizeText[..semicolon] : sizeText, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var size) || size < 0)
            {
                throw new IOException($"bad chunk size '{sizeText}'");
            }

            _inStart += lineEnd + 2;
            if (size == 0)
            {
                // Trailers (none expected) end with an empty line.
                while ((lineEnd = _in.AsSpan(_inStart, _inEnd - _inStart).IndexOf("\r\n"u8)) != 0)
                {
                    if (lineEnd > 0)
                    {
                        _inStart += lineEnd + 2;
                        continue;
                    }

                    await FillAsync(cancel).ConfigureAwait(false);
                }

                _inStart += 2;
                return body.ToArray();
            }

            while (_inEnd - _inStart < size + 2)
            {
                await FillAsync(cancel).ConfigureAwait(false);
            }

            body.Write(_in, _inStart, size);
            _inStart += size + 2;
        }
    }

    private async Task FillAsync(CancellationToken cancel)
    {
        if (_idleReadPending)
        {
            await FinishIdleReadAsync(cancel).ConfigureAwait(false);
            return;
        }

        if (_inStart > 0)
        {
            Buffer.BlockCopy(_in, _inStart, _in, 0, _inEnd - _inStart);
            _inEnd -= _inStart;
            _inStart = 0;
        }

        if (_inEnd == _in.Length)
        {
            Array.Resize(ref _in, _in.Length * 2);
        }

        var got = await _stream.ReadAsync(_in.AsMemory(_inEnd), cancel).ConfigureAwait(false);
        if (got == 0)
        {
            throw new IOException("the server closed the connection before the answer was complete");
        }

        _inEnd += got;
    }

    /// <summary>
    /// The answer's first bytes come from the read left pending while the connection was idle. That read was started
    /// without a token, so a timeout breaks the connection (which ends the read) and is reported as the cancellation.
    /// </summary>
    private async Task FinishIdleReadAsync(CancellationToken cancel)
    {
        _idleReadPending = false;
        int got;
        using (cancel.UnsafeRegister(static state => ((Http1Connection)state!).Break(), this))
        {
            try
            {
                got = await _idleRead.ConfigureAwait(false);
            }
            catch (Exception) when (cancel.IsCancellationRequested)
            {
                throw new OperationCanceledException(cancel);
            }
        }

        // Broken by the timeout: a socket closed under a pending read can also end it with 0 bytes, not an error.
        cancel.ThrowIfCancellationRequested();
        if (got == 0)
        {
            throw new IOException("the server closed the connection before the answer was complete");
        }

        _inEnd += got;
    }
}
