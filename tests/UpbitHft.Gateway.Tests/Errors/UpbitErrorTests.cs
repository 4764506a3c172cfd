using UpbitHft.Gateway.Errors;

namespace UpbitHft.Gateway.Tests.Errors;

public class UpbitErrorTests
{
    [Theory]
    [InlineData(400, "{\"error\":{\"name\":\"insufficient_funds_bid\",\"message\":\"주문 가능한 금액(KRW)이 부족합니다.\"}}", UpbitErrorCode.InsufficientFunds)]
    [InlineData(400, "{\"error\":{\"name\":\"under_min_total_ask\",\"message\":\"x\"}}", UpbitErrorCode.UnderMinimum)]
    [InlineData(400, "{\"error\":{\"name\":\"over_krw_funds_bid\",\"message\":\"x\"}}", UpbitErrorCode.OverMaximum)]
    [InlineData(400, "{\"error\":{\"name\":\"invalid_price_bid\",\"message\":\"x\"}}", UpbitErrorCode.InvalidPrice)]
    [InlineData(400, "{\"error\":{\"name\":\"duplicated_identifier\",\"message\":\"x\"}}", UpbitErrorCode.DuplicatedIdentifier)]
    [InlineData(400, "{\"error\":{\"name\":\"invaild_parameter\",\"message\":\"x\"}}", UpbitErrorCode.InvalidParameter)]
    [InlineData(400, "{\"error\":{\"name\":\"notfoundmarket\",\"message\":\"다음 마켓에 없는 종목입니다: KRW-BTCs\"}}", UpbitErrorCode.MarketNotFound)]
    [InlineData(401, "{\"error\":{\"name\":\"nonce_used\",\"message\":\"x\"}}", UpbitErrorCode.NonceUsed)]
    [InlineData(401, "{\"error\":{\"name\":\"invalid_query_payload\",\"message\":\"Failed to verify the query of Jwt.\"}}", UpbitErrorCode.AuthenticationFailed)]
    [InlineData(401, "{\"error\":{\"name\":\"jwt_verification\",\"message\":\"x\"}}", UpbitErrorCode.AuthenticationFailed)]
    [InlineData(401, "{\"error\":{\"name\":\"no_authorization_i_p\",\"message\":\"This is not a verified IP.\"}}", UpbitErrorCode.IpNotAllowed)]
    [InlineData(403, "{\"error\":{\"name\":\"out_of_scope\",\"message\":\"x\"}}", UpbitErrorCode.OutOfScope)]
    [InlineData(401, "{\"error\":{\"name\":\"out_of_scope\",\"message\":\"x\"}}", UpbitErrorCode.OutOfScope)]
    [InlineData(403, "{\"error\":{\"name\":\"market_offline\",\"message\":\"x\"}}", UpbitErrorCode.MarketOffline)]
    [InlineData(404, "{\"error\":{\"name\":\"order_not_found\",\"message\":\"주문을 찾지 못했습니다.\"}}", UpbitErrorCode.OrderNotFound)]
    [InlineData(400, "{\"error\":{\"name\":400,\"message\":\"Invalid parameter. Check the given value!\"}}", UpbitErrorCode.InvalidParameter)]
    [InlineData(429, "Too many API requests.", UpbitErrorCode.RateLimited)]
    [InlineData(418, "", UpbitErrorCode.Blocked)]
    [InlineData(500, "{\"error\":{\"name\":\"internal_server_error\",\"message\":\"x\"}}", UpbitErrorCode.ServerError)]
    [InlineData(502, "<html>bad gateway</html>", UpbitErrorCode.ServerError)]
    public void Every_documented_error_body_maps_to_its_typed_error(int status, string body, UpbitErrorCode expected)
    {
        var error = UpbitError.FromResponse(status, body);
        Assert.Equal(expected, error.Code);
        Assert.Equal(status, error.HttpStatus);
    }

    [Fact]
    public void Numeric_names_and_plain_text_bodies_are_kept()
    {
        var numeric = UpbitError.FromResponse(404, "{\"error\":{\"name\":404,\"message\":\"Code not found\"}}");
        Assert.Equal("404", numeric.Name);
        Assert.Equal("Code not found", numeric.Message);
        var text = UpbitError.FromResponse(429, "Too many API requests.");
        Assert.Equal("Too many API requests.", text.Message);
        Assert.True(text.IsTransient);
        Assert.False(UpbitError.FromResponse(400, "{\"error\":{\"name\":\"duplicated_identifier\"}}").IsTransient);
    }
}
