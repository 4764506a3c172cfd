using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using UpbitHft.Feed.Events;
using UpbitHft.Gateway.Errors;
using UpbitHft.Gateway.Rest.Wire;
using UpbitHft.Gateway.Signing;

namespace UpbitHft.Gateway.Rest;

/// <summary>Orders on the kept-open order connections (<see cref="OrderConnectionPool"/>), with HttpClient as the fallback.</summary>
public sealed partial class UpbitRestClient
{
    /// <summary>
    /// The request written on the caller's thread in one system call, the answer read asynchronously, both on a kept-open
    /// connection. An answer that does not come back whole (timeout, connection cut, not HTTP) breaks the connection —
    /// a late answer must never be read as the next request's — and leaves the outcome unknown, as with the fallback.
    /// </summary>
    private async Task<RestResult<T>> SendOnWireAsync<T>(Http1Connection wire, string path, SignedOrderRequest signed, JsonTypeInfo<T> type, string group, WriteStamp? written, int slot, CancellationToken cancel)
    {
        var broken = true;
        try
        {
            try
            {
                wire.WritePost(path == "/v1/orders" ? "/v1/orders"u8 : "/v1/orders/test"u8, signed);
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException or System.Net.Sockets.SocketException)
            {
                return RestResult<T>.Fail(new UpbitError(UpbitErrorCode.ConnectionFailed, 0, "connection", "order connection: " + ex.Message));
            }

            if (written is not null)
            {
                written.Ns = LatencyClock.NowNs();
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            timeout.CancelAfter(_options.RequestTimeout);
            Http1Response response;
            try
            {
                response = await wire.ReadResponseAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
            {
                return RestResult<T>.Fail(new UpbitError(UpbitErrorCode.Timeout, 0, "timeout", $"no answer within {_options.RequestTimeout.TotalMilliseconds:0} ms"));
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException or System.Net.Sockets.SocketException or FormatException or OverflowException or InvalidDataException)
            {
                return RestResult<T>.Fail(new UpbitError(UpbitErrorCode.ConnectionFailed, 0, "connection", "order connection: " + ex.Message));
            }

            broken = response.ServerCloses;
            ApplyRemainingReq(group, response.RemainingReq);
            if (response.Status is < 200 or > 299)
            {
                return RestResult<T>.Fail(OnError(group, response.Status, response.RetryAfter, response.Body));
            }

            try
            {
                var value = JsonSerializer.Deserialize(response.Body, type);
                return value is null
                    ? RestResult<T>.Fail(new UpbitError(UpbitErrorCode.Unknown, response.Status, "empty_body", "the response had no body"))
                    : RestResult<T>.Ok(value);
            }
            catch (JsonException ex)
            {
                return RestResult<T>.Fail(new UpbitError(UpbitErrorCode.Unknown, 0, "bad_json", ex.Message));
            }
        }
        finally
        {
            _orderWire!.Return(wire, broken);
            var limiter = _limiters[group];
            lock (limiter)
            {
                limiter.Complete(slot, NowMs);
            }
        }
    }
}
