using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using UpbitHft.Gateway.Auth;
using UpbitHft.Gateway.Errors;
using UpbitHft.Gateway.RateLimits;

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
    private readonly UpbitRestOptions _options;
    private readonly JwtSigner? _signer;
    private readonly TimeProvider _time;
    private readonly Action<string> _log;
    private readonly IReadOnlyDictionary<string, RateLimiter> _limiters;
    private readonly Dictionary<string, SemaphoreSlim> _gates = new(StringComparer.Ordinal);

    /// <summary>Creates a client; <paramref name="signer"/> is needed for Exchange (private) endpoints only.</summary>
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

        _http = new HttpClient(handler ?? new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AutomaticDecompression = DecompressionMethods.GZip,
            ConnectTimeout = TimeSpan.FromSeconds(5),
        })
        {
            BaseAddress = options.BaseUrl,
            Timeout = Timeout.InfiniteTimeSpan, // per-request timeouts below
        };
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
    }

    /// <summary>The limiter of a group (for status and tests).</summary>
    public RateLimiter Limiter(string group) => _limiters[group];

    /// <summary>Requests refused or failed for rate-limit reasons (429/418 seen).</summary>
    public long RateLimitHits { get; private set; }

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

    private async Task<RestResult<T>> SendAsync<T>(HttpMethod method, string path, QueryString? query, JsonTypeInfo<T> type, string group, bool signed, bool jsonBody, CancellationToken cancel, Action? onBuilt = null)
    {
        var gate = _gates[group];
        var limiter = _limiters[group];
        int slot;
        await gate.WaitAsync(cancel).ConfigureAwait(false);
        try
        {
            // Wait in order for the group's budget (the gate keeps callers of one group in line).
            var deadline = NowMs + (long)_options.MaxRateLimitWait.TotalMilliseconds;
            while (!TryTake(limiter, out slot))
            {
                long next;
                lock (limiter)
                {
                    next = limiter.NextAvailableMs(NowMs);
                }

                if (next > deadline)
                {
                    return RestResult<T>.Fail(new UpbitError(UpbitErrorCode.NotSent, 0, "rate_limit_wait",
                        string.Create(CultureInfo.InvariantCulture, $"group '{group}' has no budget for {next - NowMs} ms; request refused by policy")));
                }

                await Task.Delay(TimeSpan.FromMilliseconds(Math.Max(1, next - NowMs)), _time, cancel).ConfigureAwait(false);
            }
        }
        finally
        {
            gate.Release();
        }

        using var request = BuildRequest(method, path, query, signed, jsonBody);
        onBuilt?.Invoke(); // the signed request is complete: the point tick-to-order latency ends (docs/design.md#performance-goals)
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        timeout.CancelAfter(_options.RequestTimeout);
        try
        {
            return await ExchangeAsync(request, type, group, timeout.Token, cancel).ConfigureAwait(false);
        }
        finally
        {
            lock (limiter)
            {
                limiter.Complete(slot, NowMs); // the token returns one window after the answer (see RateLimiter)
            }
        }
    }

    private bool TryTake(RateLimiter limiter, out int slot)
    {
        lock (limiter)
        {
            return limiter.TryAcquire(NowMs, out slot);
        }
    }

    private async Task<RestResult<T>> ExchangeAsync<T>(HttpRequestMessage request, JsonTypeInfo<T> type, string group, CancellationToken timeoutToken, CancellationToken cancel)
    {
        var timeout = timeoutToken;
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout).ConfigureAwait(false);
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

    private void ApplyRateLimitHeaders(string group, HttpResponseMessage response)
    {
        if (response.Headers.TryGetValues("Remaining-Req", out var values)
            && RemainingReq.TryParse(values.FirstOrDefault(), out var reportedGroup, out var remaining)
            && _limiters.TryGetValue(reportedGroup, out var limiter))
        {
            lock (limiter)
            {
                limiter.Correct(remaining, NowMs);
            }
        }
        else if (response.Headers.Contains("Remaining-Req"))
        {
            _log($"gateway: unusable Remaining-Req header on a '{group}' response: {string.Join(",", response.Headers.GetValues("Remaining-Req"))}");
        }
    }

    private UpbitError OnError(string group, HttpResponseMessage response, string body)
    {
        var error = UpbitError.FromResponse((int)response.StatusCode, body);
        var limiter = _limiters[group];
        if (error.Code == UpbitErrorCode.RateLimited)
        {
            RateLimitHits++;
            Interlocked.Increment(ref _tooManyRequests);
            lock (limiter)
            {
                limiter.OnTooManyRequests(NowMs);
            }

            _log($"gateway: 429 Too Many Requests on group '{group}': waiting for the next second and lowering the rate");
        }
        else if (error.Code == UpbitErrorCode.Blocked)
        {
            RateLimitHits++;
            Interlocked.Increment(ref _blocked);
            var block = response.Headers.RetryAfter?.Delta ?? _options.DefaultBlock;
            // Upbit may block by IP, account or connection (docs/upbit.md#rate-limits), not only the group that tripped: stop every group.
            var until = NowMs + (long)block.TotalMilliseconds;
            foreach (var l in _limiters.Values)
            {
                lock (l)
                {
                    l.Block(until);
                }
            }

            _log($"gateway: *** 418 BLOCKED by Upbit (on group '{group}') for {block.TotalSeconds:0} s — every request is stopped until then ***");
        }

        return error;
    }

    public void Dispose()
    {
        _http.Dispose();
        foreach (var gate in _gates.Values)
        {
            gate.Dispose();
        }
    }
}
