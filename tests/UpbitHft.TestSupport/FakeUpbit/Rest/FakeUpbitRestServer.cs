using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace UpbitHft.TestSupport.FakeUpbit.Rest;

/// <summary>
/// A fake Upbit REST exchange on 127.0.0.1 (Kestrel, an ephemeral port): it verifies the JWT and query hash exactly
/// like Upbit (docs/upbit.md#authentication), enforces the per-group limits with 429 and then 418, counts every request that went over
/// a limit, answers with Upbit's bodies and <c>Remaining-Req</c> headers, fills market orders at a set price (a
/// market buy that cannot spend its whole amount ends in <c>cancel</c>, like Upbit), and has fault switches.
/// </summary>
public sealed partial class FakeUpbitRestServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, FakeOrder> _orders = new();
    private readonly ConcurrentDictionary<string, byte> _identifiers = new();
    private readonly ConcurrentDictionary<string, byte> _nonces = new();
    private readonly Dictionary<string, Queue<long>> _windows = new(StringComparer.Ordinal);
    private readonly Queue<long> _recent429 = new();
    private readonly Lock _limitLock = new();
    private long _blockedUntilMs;
    private int _violations;
    private int _requests;

    private FakeUpbitRestServer(WebApplication app, FakeUpbitRestOptions options)
    {
        _app = app;
        Options = options;
    }

    public FakeUpbitRestOptions Options { get; }

    public Uri BaseUrl { get; private set; } = null!;

    private long _downUntilMs;

    /// <summary>A restart of the REST side: every request is answered 503 for <paramref name="downtime"/> (not a violation).</summary>
    public void GoDown(TimeSpan downtime) => Volatile.Write(ref _downUntilMs, Environment.TickCount64 + (long)downtime.TotalMilliseconds);

    /// <summary>Requests answered 503 while down.</summary>
    public int AnsweredWhileDown => Volatile.Read(ref _whileDown);

    private int _whileDown;

    /// <summary>Requests that arrived while their group was over its limit (what a well-behaved client never causes).</summary>
    public int Violations => Volatile.Read(ref _violations);

    public int Requests => Volatile.Read(ref _requests);

    private readonly ConcurrentDictionary<string, int> _requestCounts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _responseCounts = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _orderBodies = new();

    /// <summary>Requests that reached each REST endpoint, keyed <c>"METHOD path"</c> (e.g. <c>"POST /v1/orders"</c>), whatever they were answered.</summary>
    public IReadOnlyDictionary<string, int> RequestCounts => _requestCounts;

    /// <summary>Answers per endpoint and status, keyed <c>"METHOD path STATUS"</c> (e.g. <c>"GET /v1/order 404"</c>).</summary>
    public IReadOnlyDictionary<string, int> ResponseCounts => _responseCounts;

    /// <summary>Requests to <paramref name="methodAndPath"/> so far (<c>"DELETE /v1/order"</c>); 0 when none.</summary>
    public int RequestCount(string methodAndPath) => _requestCounts.GetValueOrDefault(methodAndPath);

    /// <summary>Answers of <paramref name="status"/> to <paramref name="methodAndPath"/> so far; 0 when none.</summary>
    public int ResponseCount(string methodAndPath, int status) =>
        _responseCounts.GetValueOrDefault(string.Create(CultureInfo.InvariantCulture, $"{methodAndPath} {status}"));

    /// <summary>Every order-create body as it arrived (the JSON text), in order.</summary>
    public IReadOnlyCollection<string> OrderBodies => _orderBodies;

    /// <summary>Every order ever created, in creation order.</summary>
    public IReadOnlyList<FakeOrder> Orders => [.. _orders.Values.OrderBy(o => o.CreatedAt).ThenBy(o => o.Uuid, StringComparer.Ordinal)];

    public static async Task<FakeUpbitRestServer> StartAsync(FakeUpbitRestOptions? options = null)
    {
        options ??= new FakeUpbitRestOptions();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var connections = FakeKestrel.Configure(builder, options);
        var app = builder.Build();
        var server = new FakeUpbitRestServer(app, options) { Connections = connections };
        server.MapEndpoints();
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = new Uri(address);
        return server;
    }

    /// <summary>Maps the REST endpoints onto a server someone else owns (the one-server fake exchange).</summary>
    internal static FakeUpbitRestServer MapOn(WebApplication app, FakeUpbitRestOptions? options, ConnectionCounter connections)
    {
        var server = new FakeUpbitRestServer(app, options ?? new FakeUpbitRestOptions()) { _ownsApp = false, Connections = connections };
        server.MapEndpoints();
        return server;
    }

    internal void SetBaseUrl(Uri url) => BaseUrl = url;

    /// <summary>TCP connections the server accepted (REST and WebSocket alike, when they share the server).</summary>
    public ConnectionCounter Connections { get; private init; } = new();

    private bool _ownsApp = true;

    public async ValueTask DisposeAsync()
    {
        if (_ownsApp)
        {
            await _app.StopAsync().ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static long NowMs => Environment.TickCount64;

    /// <summary>Counts the request against its group; null when allowed, else the status to answer (429 or 418).</summary>
    private int? CheckLimit(string group, HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        lock (_limitLock)
        {
            var now = NowMs;
            if (!_windows.TryGetValue(group, out var window))
            {
                _windows[group] = window = new Queue<long>();
            }

            while (window.Count > 0 && now - window.Peek() >= 1000)
            {
                window.Dequeue();
            }

            var limit = Options.Limits.GetValueOrDefault(group, 10);
            var remaining = Math.Max(0, limit - window.Count - 1);
            if (Options.SendRemainingReq)
            {
                context.Response.Headers["Remaining-Req"] = string.Create(CultureInfo.InvariantCulture, $"group={group}; min=1800; sec={remaining}");
            }

            if (now < _blockedUntilMs)
            {
                _violations++;
                return 418;
            }

            if (group == "order" && Options.TooManyNextOrders > 0)
            {
                Options.TooManyNextOrders--;
                return 429;
            }

            if (group == "order" && Options.TeapotNextOrders > 0)
            {
                Options.TeapotNextOrders--;
                _blockedUntilMs = now + (Options.BlockSeconds * 1000L);
                context.Response.Headers.RetryAfter = Options.BlockSeconds.ToString(CultureInfo.InvariantCulture);
                return 418;
            }

            if (window.Count >= limit)
            {
                _violations++;
                _recent429.Enqueue(now);
                while (_recent429.Count > 0 && now - _recent429.Peek() > 10_000)
                {
                    _recent429.Dequeue();
                }

                if (_recent429.Count >= Options.TooManyBeforeTeapot)
                {
                    _blockedUntilMs = now + (Options.BlockSeconds * 1000L);
                    context.Response.Headers.RetryAfter = Options.BlockSeconds.ToString(CultureInfo.InvariantCulture);
                    return 418;
                }

                return 429;
            }

            window.Enqueue(now);
            return null;
        }
    }

    /// <summary>Verifies the Bearer JWT and its query hash like Upbit; returns the Upbit error name, or null when valid.</summary>
    private string? VerifyJwt(HttpContext context, string? hashInput) => VerifyJwt(context.Request.Headers.Authorization.ToString(), hashInput);

    /// <summary>Verifies an <c>Authorization</c> header like Upbit (signature, access key, fresh nonce, query hash); the error name, or null when valid.</summary>
    public string? VerifyJwt(string header, string? hashInput)
    {
        try
        {
            return VerifyJwtCore(header, hashInput);
        }
        catch (Exception ex) when (ex is FormatException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return "jwt_verification"; // not a JWT at all
        }
    }

    private string? VerifyJwtCore(string header, string? hashInput)
    {
        if (!header.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return "no_authorization_token";
        }

        var parts = header["Bearer ".Length..].Split('.');
        if (parts.Length != 3)
        {
            return "jwt_verification";
        }

        using var head = JsonDocument.Parse(Base64UrlDecode(parts[0]));
        var alg = head.RootElement.GetProperty("alg").GetString();
        var key = Encoding.UTF8.GetBytes(Options.SecretKey);
        var input = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
        byte[] expected = alg switch
        {
            "HS512" => HMACSHA512.HashData(key, input),
            "HS256" => HMACSHA256.HashData(key, input),
            _ => [],
        };
        if (expected.Length == 0 || !CryptographicOperations.FixedTimeEquals(expected, Base64UrlDecode(parts[2])))
        {
            return "jwt_verification";
        }

        using var payload = JsonDocument.Parse(Base64UrlDecode(parts[1]));
        var p = payload.RootElement;
        if (p.GetProperty("access_key").GetString() != Options.AccessKey)
        {
            return "invalid_access_key";
        }

        if (!_nonces.TryAdd(p.GetProperty("nonce").GetString() ?? "", 0))
        {
            return "nonce_used";
        }

        var hasHash = p.TryGetProperty("query_hash", out var hash);
        if (string.IsNullOrEmpty(hashInput))
        {
            return hasHash ? "invalid_query_payload" : null;
        }

        var want = Convert.ToHexStringLower(SHA512.HashData(Encoding.UTF8.GetBytes(hashInput)));
        return hasHash && hash.GetString() == want && p.TryGetProperty("query_hash_alg", out var a) && a.GetString() == "SHA512" ? null : "invalid_query_payload";
    }

    /// <summary>The hash input of a GET/DELETE: the query as sent, URL-decoded (docs/upbit.md#query-hash).</summary>
    private static string QueryHashInput(HttpRequest request) =>
        request.QueryString.HasValue ? Uri.UnescapeDataString(request.QueryString.Value![1..]) : "";

    private static byte[] Base64UrlDecode(string s)
    {
        var b = s.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(b.PadRight(b.Length + ((4 - (b.Length % 4)) % 4), '='));
    }

    private static IResult Error(int status, string name, string message) =>
        Results.Json(new JsonObject { ["error"] = new JsonObject { ["name"] = name, ["message"] = message } }, statusCode: status);
}
