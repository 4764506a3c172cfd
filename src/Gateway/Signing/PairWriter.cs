using System.Buffers.Text;

namespace UpbitHft.Gateway.Signing;

/// <summary>
/// Writes request parameters in order, either as Upbit's hash input (<c>k=v&amp;k=v</c>, not URL-encoded) or as a
/// JSON object of string values (<c>{"k":"v",…}</c>). Values are plain ASCII (market codes, identifiers, numbers),
/// so neither form needs escaping. Decimals are written as Upbit expects them: invariant, no trailing zeros.
/// </summary>
internal ref struct PairWriter(Span<byte> output, bool json)
{
    private readonly Span<byte> _output = output;
    private readonly bool _json = json;
    private int _length;
    private bool _any;

    public void Add(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        Separator();
        Key(key);
        value.CopyTo(_output[_length..]);
        _length += value.Length;
        Close();
    }

    public void AddNumber(ReadOnlySpan<byte> key, decimal value)
    {
        Separator();
        Key(key);
        if (!Utf8Formatter.TryFormat(value, _output[_length..], out var written))
        {
            throw new InvalidOperationException("a number does not fit the request buffer");
        }

        // Upbit's text has no trailing zeros: 500000.00 → 500000, 0.50000000 → 0.5 (OrderValidator.Text does the same).
        var text = _output.Slice(_length, written);
        var dot = text.IndexOf((byte)'.');
        if (dot >= 0)
        {
            var end = written;
            while (end > dot + 1 && text[end - 1] == (byte)'0')
            {
                end--;
            }

            written = end == dot + 1 ? dot : end;
        }

        _length += written;
        Close();
    }

    /// <summary>Closes the object (JSON) and returns the length written.</summary>
    public int Finish()
    {
        if (_json)
        {
            _output[_length++] = (byte)'}';
        }

        return _length;
    }

    private void Separator()
    {
        if (_any)
        {
            _output[_length++] = _json ? (byte)',' : (byte)'&';
        }
        else if (_json)
        {
            _output[_length++] = (byte)'{';
        }

        _any = true;
    }

    private void Key(ReadOnlySpan<byte> key)
    {
        if (_json)
        {
            _output[_length++] = (byte)'"';
        }

        key.CopyTo(_output[_length..]);
        _length += key.Length;
        if (_json)
        {
            "\":\""u8.CopyTo(_output[_length..]);
            _length += 3;
        }
        else
        {
            _output[_length++] = (byte)'=';
        }
    }

    private void Close()
    {
        if (_json)
        {
            _output[_length++] = (byte)'"';
        }
    }
}
