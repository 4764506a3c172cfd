using UpbitHft.Gateway.Errors;

namespace UpbitHft.Gateway.Rest;

/// <summary>A REST answer: a value, or a typed error. HTTP failures are results, never exceptions.</summary>
public readonly record struct RestResult<T>(T? Value, UpbitError? Error)
{
    public bool IsSuccess => Error is null;

    public static RestResult<T> Ok(T value) => new(value, null);

    public static RestResult<T> Fail(UpbitError error) => new(default, error);
}
