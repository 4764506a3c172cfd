using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using UpbitHft.Gateway.Auth;
using UpbitHft.Gateway.Errors;
using UpbitHft.Gateway.RateLimits;
using UpbitHft.Gateway.Rest.Wire;
using UpbitHft.Gateway.Signing;

namespace UpbitHft.Gateway.Rest;

/// <summary>
/// Upbit's REST API (docs/upbit.md): one keep-alive connection pool, a timeout per request, no <c>Origin</c> header
/// (it would cut the limits to 1 per 10 s), gzip accepted, a rate-limit group per endpoint that the client never
/// exceeds (requests wait in order up to <see cref="UpbitRestOptions.MaxRateLimitWait"/>, else are refused), each
/// response's <c>Remaining-Req</c> applied, 429 and 418 handled. Every call returns a <see cref="RestResult{T}"/>.
/// Thread-safe; meant for the gateway's worker and start-up, never the engine thread.
/// </summary>
public sealed partial class UpbitRestClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly HttpClient _orderHttp;
    private readonly UpbitRestOptions _options;
    private readonly JwtSigner? _signer;
    private readonly TimeProvider _time;
    private readonly Action<string> _log;
    private readonly IReadOnlyDictionary<string, RateLimiter> _limiters;
    private readonly Dictionary<string, SemaphoreSlim> _gates = new(StringComparer.Ordinal);
    private long _orderConnectionsOpened;
    private readonly OrderConnectionPool? _orderWire;

    /// <summary>
    /// Creates a client; <paramref name="signer"/> is needed for Exchange (private) endpoints only. Orders
    /// (<c>order</c> and <c>order-test</c> groups) travel on their own connections (<see cref="OrderConnectionsOpened"/>),
    /// never closed for idleness or age, so an order never waits behind a poll or pays for a new connection.
    /// </summary>
    public UpbitRestClient(UpbitRestOptions options, JwtSigner? signer = null, TimeProvider? time = null, Action<string>? log = null, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _signer = signer;
        _time = time ?? TimeProvider.System;
        _log = log ?? (line => Console.Error.WriteLine(line));
        _limiters = options.RateLimits.CreateLimiters();
        foreach (var group in _limiters.Keys)
        {
            _gates[group] = new SemaphoreSlim(1, 1);
        }

        var general = handler ?? new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AutomaticDecompression = DecompressionMethods.GZip,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            SslOptions = { RemoteCertificateValidationCallback = options.ServerCertificateValidation },
        };
        var orders = handler is null
            ? new SocketsHttpHandler
            {
                PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
                PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
                AutomaticDecompression = DecompressionMethods.GZip,
                ConnectTimeout = TimeSpan.FromSeconds(5),
                ConnectCallback = (context, cancel) => OrderConnection.ConnectAsync(context, () => Interlocked.Increment(ref _orderConnectionsOpened), cancel),
                SslOptions = { RemoteCertificateValidationCallback = options.ServerCertificateValidation },
            }
            : handler;
        _http = NewClient(general, disposeHandler: true);
        _orderHttp = NewClient(orders, disposeHandler: handler is null); // a handler given by the caller is disposed once, by _http
        if (handler is null && options.OrderConnections > 0)
        {
            _orderWire = new OrderConnectionPool(options.BaseUrl, options.OrderConnections, options.ServerCertificateValidation, TimeSpan.FromSeconds(5), _time,
                () => Interlocked.Increment(ref _orderConnectionsOpened), _log);
        }
    }

    /// <summary>The signer of private requests (null without keys).</summary>
    internal JwtSigner? Signer => _signer;

    /// <summary>The limiter of a group (for status and tests).</summary>
    public RateLimiter Limiter(string group) => _limiters[group];

    /// <summary>Requests refused or failed for rate-limit reasons (429/418 seen).</summary>
    public long RateLimitHits { get; private set; }

    /// <summary>Order connections opened so far (the kept-open ones, their replacements, and any the fallback client opened).</summary>
    public long OrderConnectionsOpened => Interlocked.Read(ref _orderConnectionsOpened);

    /// <summary>Order connections open and usable now.</summary>
    public int OrderConnectionsOpen => _orderWire?.Open ?? 0;

    /// <summary>Opens the order connections now (start-up), so the first order does not pay for a handshake.</summary>
    public Task OpenOrderConnectionsAsync(CancellationToken cancel = default) => _orderWire?.OpenAsync(cancel) ?? Task.CompletedTask;

    /// <summary>Metrics: the rate-limit groups, their free tokens now (read under the group's lock), 429 and 418 answers.</summary>
    public IEnumerable<string> RateLimitGroups => _limiters.Keys;

    /// <inheritdoc cref="RateLimitGroups"/>
    public int TokensAvailable(string group)
    {
        var limiter = _limiters[group];
        lock (limiter)
        {
            return limiter.Available(NowMs);
        }
    }

    /// <inheritdoc cref="RateLimitGroups"/>
    public long TooManyRequestsAnswers => Interlocked.Read(ref _tooManyRequests);

    /// <inheritdoc cref="RateLimitGroups"/>
    public long BlockedAnswers => Interlocked.Read(ref _blocked);

    private long _tooManyRequests;
    private long _blocked;

    private long NowMs => (long)_time.GetElapsedTime(0, _time.GetTimestamp()).TotalMilliseconds;

    private HttpClient NewClient(HttpMessageHandler handler, bool disposeHandler)
    {
        var client = new HttpClient(handler, disposeHandler)
        {
            BaseAddress = _options.BaseUrl,
            Timeout = Timeout.InfiniteTimeSpan, // per-request timeouts below
        };
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return client;
    }

    private HttpClient ClientFor(string group) => group is "order" or "order-test" ? _orderHttp : _http;

    private async Task<RestResult<T>> SendAsync<T>(HttpMethod method, string path, QueryString? query, JsonTypeInfo<T> type, string group, bool signed, bool jsonBody, CancellationToken cancel)
    {
        var (slot, refused) = await AcquireAsync(group, cancel).ConfigureAwait(false);
        if (refused is not null)
        {
            return RestResult<T>.Fail(refused);
        }

        using var request = BuildRequest(method, path, query, signed, jsonBody);
        return await ExchangeAsync(ClientFor(group), request, type, group, slot, cancel).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends an order request built and signed beforehand (<see cref="SignedOrderRequest"/>) on the order
    /// connections; <paramref name="written"/>, when given, receives the moment its bytes were written to the socket.
    /// </summary>
    private async Task<RestResult<T>> SendSignedAsync<T>(string path, SignedOrderRequest signed, JsonTypeInfo<T> type, string group, WriteStamp? written, CancellationToken cancel)
    {
        var (slot, refused) = await AcquireAsync(group, cancel).ConfigureAwait(false);
        if (refused is not null)
        {
            return RestResult<T>.Fail(refused);
        }

        // A kept-open order connection when one is free (test orders take the longest idle, to keep each one warm).
        if (_orderWire?.TryTake(leastRecentlyUsed: group == "order-test") is { } wire)
        {
            return await SendOnWireAsync(wire, path, signed, type, group, written, slot, cancel).ConfigureAwait(false);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(signed.Body, 0, signed.BodyLength) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.TryAddWithoutValidation("Authorization", Encoding.ASCII.GetString(signed.AuthorizationSpan));
        OrderConnection.Current.Value = written; // flows into the connection's writes; this method's end restores the caller's
        return await ExchangeAsync(_orderHttp, request, type, group, slot, cancel).ConfigureAwait(false);
    }

    /// <summary>Sends with the request timeout and reads the answer; the group's token returns one window after it (see <see cref="RateLimiter"/>).</summary>
    private async Task<RestResult<T>> ExchangeAsync<T>(HttpClient client, HttpRequestMessage request, JsonTypeInfo<T> type, string group, int slot, CancellationToken cancel)
    {
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        timeoutSource.CancelAfter(_options.RequestTimeout);
        try
        {
            return await ExchangeCoreAsync(client, request, type, group, timeoutSource.Token, cancel).ConfigureAwait(false);
        }
        finally
        {
            var limiter = _limiters[group];
            lock (limiter)
            {
                limiter.Complete(slot, NowMs);
            }
        }
    }

    private async Task<RestResult<T>> ExchangeCoreAsync<T>(HttpClient client, HttpRequestMessage request, JsonTypeInfo<T> type, string group, CancellationToken timeout, CancellationToken cancel)
    {
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout).ConfigureAwait(false);
            ApplyRateLimitHeaders(group, response);
            var body = await response.Content.ReadAsStringAsync(timeout).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return RestResult<T>.Fail(OnError(group, response, body));
            }

            var value = JsonSerializer.Deserialize(body, type);
            return value is null
                ? RestResult<T>.Fail(new UpbitError(UpbitErrorCode.Unknown, (int)response.StatusCode, "empty_body", "the response had no body"))
                : RestResult<T>.Ok(value);
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            return RestResult<T>.Fail(new UpbitError(UpbitErrorCode.Timeout, 0, "timeout", $"no answer within {_options.RequestTimeout.TotalMilliseconds:0} ms"));
        }
        catch (HttpRequestException ex)
        {
            return RestResult<T>.Fail(new UpbitError(UpbitErrorCode.ConnectionFailed, 0, "connection", ex.Message));
        }
        catch (JsonException ex)
        {
            return RestResult<T>.Fail(new UpbitError(UpbitErrorCode.Unknown, 0, "bad_json", ex.Message));
        }
    }

    private HttpRequestMessage BuildRequest(HttpMethod method, string path, QueryString? query, bool signed, bool jsonBody)
    {
        HttpRequestMessage request;
        if (jsonBody)
        {
            request = new HttpRequestMessage(method, path)
            {
                Content = new StringContent(JsonBody(query!), Encoding.UTF8, "application/json"),
            };
        }
        else
        {
            var url = query is { Encoded.Length: > 0 } ? path + "?" + query.Encoded : path;
            request = new HttpRequestMessage(method, url);
        }

        if (signed)
        {
            if (_signer is null)
            {
                throw new InvalidOperationException("This endpoint needs API keys (UPBIT_ACCESS_KEY / UPBIT_SECRET_KEY).");
            }

            request.Headers.TryAddWithoutValidation("Authorization", _signer.AuthorizationHeader(query?.HashInput ?? ""));
        }

        return request;
    }

    /// <summary>A JSON body with the same keys in the same order as the hash input, values as strings (docs/upbit.md#identifiers, §2.1).</summary>
    internal static string JsonBody(QueryString query)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            foreach (var (key, value) in query.Pairs)
            {
                w.WriteString(key, value);
            }

            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    public void Dispose()
    {
        _orderWire?.Dispose();
        _orderHttp.Dispose();
        _http.Dispose();
        foreach (var gate in _gates.Values)
        {
            gate.Dispose();
        }
    }
}
