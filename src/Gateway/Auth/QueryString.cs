using System.Text;

namespace UpbitHft.Gateway.Auth;

/// <summary>
/// Builds a request's parameters two ways at once, exactly as docs/upbit.md#query-hash says: the string that is hashed (original
/// order, not URL-encoded, arrays as repeated <c>key[]=v</c>, comma lists as one key) and the URL-encoded query that
/// is sent (values escaped — a <c>+</c> becomes <c>%2B</c> — but not the <c>[]</c> of array names). For POST, the same
/// key order gives the hash input of the JSON body (<c>k=v</c> joined by <c>&amp;</c>; null values dropped).
/// </summary>
public sealed class QueryString
{
    private readonly StringBuilder _hash = new();
    private readonly StringBuilder _url = new();
    private readonly List<KeyValuePair<string, string>> _pairs = [];

    /// <summary>Adds <c>key=value</c> (skipped when <paramref name="value"/> is null).</summary>
    public QueryString Add(string key, string? value)
    {
        if (value is not null)
        {
            Append(key, value);
        }

        return this;
    }

    /// <summary>Adds an array parameter as repeated <c>key[]=v</c>.</summary>
    public QueryString AddArray(string key, IEnumerable<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        foreach (var v in values)
        {
            Append(key + "[]", v);
        }

        return this;
    }

    /// <summary>The string whose SHA-512 goes into <c>query_hash</c>.</summary>
    public string HashInput => _hash.ToString();

    /// <summary>The query string to put after <c>?</c> in the URL.</summary>
    public string Encoded => _url.ToString();

    /// <summary>The parameters in order (for a JSON body, which must use the same order as the hash input).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Pairs => _pairs;

    private void Append(string key, string value)
    {
        if (_hash.Length > 0)
        {
            _hash.Append('&');
            _url.Append('&');
        }

        _hash.Append(key).Append('=').Append(value);
        _url.Append(key).Append('=').Append(Uri.EscapeDataString(value));
        _pairs.Add(new(key, value));
    }
}
