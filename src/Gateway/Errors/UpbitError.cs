using System.Globalization;
using System.Text.Json;

namespace UpbitHft.Gateway.Errors;

/// <summary>
/// A typed Upbit error: the body <c>{"error":{"name":…,"message":…}}</c> where <c>name</c> is a string on Exchange
/// endpoints and an integer on Quotation ones (docs/upbit.md#errors). The engine branches on <see cref="Code"/>, not on the
/// HTTP status alone (<c>out_of_scope</c> comes as 401 or 403).
/// </summary>
public sealed record UpbitError(UpbitErrorCode Code, int HttpStatus, string Name, string Message)
{
    /// <summary>Whether retrying later may succeed (rate limits, server errors, maintenance).</summary>
    public bool IsTransient => Code is UpbitErrorCode.RateLimited or UpbitErrorCode.Blocked or UpbitErrorCode.ServerError or UpbitErrorCode.MarketOffline
        or UpbitErrorCode.Timeout or UpbitErrorCode.ConnectionFailed;

    /// <summary>Whether the request may have been executed even though no answer says so (look it up before retrying).</summary>
    public bool OutcomeUnknown => Code is UpbitErrorCode.Timeout or UpbitErrorCode.ConnectionFailed or UpbitErrorCode.ServerError;

    /// <summary>Builds the error of a failed response from its status and body (any body, even not JSON).</summary>
    public static UpbitError FromResponse(int httpStatus, string? body)
    {
        var (name, message) = TryReadBody(body);
        return new UpbitError(Map(httpStatus, name), httpStatus, name, message ?? body?.Trim() ?? "");
    }

    /// <summary>The error Upbit would give for <paramref name="name"/> (a paper refusal, say), without a response to read.</summary>
    public static UpbitError Refusal(string name, string message, int httpStatus = 400) => new(Map(httpStatus, name), httpStatus, name, message);

    private static (string Name, string? Message) TryReadBody(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return ("", null);
        }

        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
            {
                var name = error.TryGetProperty("name", out var n)
                    ? n.ValueKind switch
                    {
                        JsonValueKind.String => n.GetString() ?? "",
                        JsonValueKind.Number => n.GetRawText(),
                        _ => "",
                    }
                    : "";
                var message = error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
                return (name, message);
            }
        }
        catch (JsonException)
        {
            // A 429/418/5xx may come with a plain-text or HTML body (format UNCONFIRMED, docs/upbit.md#unconfirmed): keep it as the message.
        }

        return ("", null);
    }

    private static UpbitErrorCode Map(int status, string name)
    {
        var code = name switch
        {
            "insufficient_funds_ask" or "insufficient_funds_bid" => UpbitErrorCode.InsufficientFunds,
            "under_min_total_ask" or "under_min_total_bid" => UpbitErrorCode.UnderMinimum,
            "over_krw_funds_bid" => UpbitErrorCode.OverMaximum,
            "invalid_price_ask" or "invalid_price_bid" => UpbitErrorCode.InvalidPrice,
            "invalid_time_in_force" => UpbitErrorCode.InvalidTimeInForce,
            "invalid_post_only" => UpbitErrorCode.InvalidPostOnly,
            "duplicated_identifier" => UpbitErrorCode.DuplicatedIdentifier,
            "validation_error" or "invalid_parameter" or "invaild_parameter" or "create_ask_error" or "create_bid_error"
                or "bad_request" or "QUERY_PARAMETER_NOT_SUPPORTED" => UpbitErrorCode.InvalidParameter,
            "notfoundmarket" => UpbitErrorCode.MarketNotFound,
            "nonce_used" => UpbitErrorCode.NonceUsed,
            "invalid_query_payload" or "jwt_verification" or "expired_access_key" or "no_authorization_token" or "invalid_access_key" => UpbitErrorCode.AuthenticationFailed,
            "no_authorization_ip" or "no_authorization_i_p" => UpbitErrorCode.IpNotAllowed,
            "out_of_scope" or "thirdparty_agreement_required" => UpbitErrorCode.OutOfScope,
            "market_offline" => UpbitErrorCode.MarketOffline,
            "order_not_found" => UpbitErrorCode.OrderNotFound,
            "internal_server_error" => UpbitErrorCode.ServerError,
            _ => UpbitErrorCode.Unknown,
        };
        if (code != UpbitErrorCode.Unknown)
        {
            return code;
        }

        return status switch
        {
            429 => UpbitErrorCode.RateLimited,
            418 => UpbitErrorCode.Blocked,
            >= 500 => UpbitErrorCode.ServerError,
            404 => UpbitErrorCode.OrderNotFound,
            400 => UpbitErrorCode.InvalidParameter,
            401 => UpbitErrorCode.AuthenticationFailed,
            _ => UpbitErrorCode.Unknown,
        };
    }

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Code} (HTTP {HttpStatus}, {Name}): {Message}");
}
