namespace UpbitHft.Gateway.Auth;

/// <summary>An Upbit API key pair. The secret never appears in <see cref="ToString"/>, logs or the journal.</summary>
public sealed class UpbitCredentials
{
    /// <summary>Creates credentials; both parts must be non-empty.</summary>
    public UpbitCredentials(string accessKey, string secretKey)
    {
        if (string.IsNullOrWhiteSpace(accessKey) || string.IsNullOrWhiteSpace(secretKey))
        {
            throw new ArgumentException("Both the Upbit access key and the secret key are required.");
        }

        AccessKey = accessKey;
        SecretKey = secretKey;
    }

    /// <summary>The access key (sent in every JWT).</summary>
    public string AccessKey { get; }

    /// <summary>The secret key: the HMAC key, used as its raw UTF-8 bytes (it is not Base64; docs/upbit.md#authentication).</summary>
    internal string SecretKey { get; }

    /// <summary>Reads <c>UPBIT_ACCESS_KEY</c> / <c>UPBIT_SECRET_KEY</c>; null when either is missing.</summary>
    public static UpbitCredentials? FromEnvironment()
    {
        var access = Environment.GetEnvironmentVariable("UPBIT_ACCESS_KEY");
        var secret = Environment.GetEnvironmentVariable("UPBIT_SECRET_KEY");
        return string.IsNullOrWhiteSpace(access) || string.IsNullOrWhiteSpace(secret) ? null : new UpbitCredentials(access, secret);
    }

    /// <summary>The access key's first 4 characters and nothing of the secret.</summary>
    public override string ToString() => $"UpbitCredentials(access={(AccessKey.Length > 4 ? AccessKey[..4] : "")}…, secret=***)";
}
