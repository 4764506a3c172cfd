using System.Globalization;
using System.Security.Cryptography;

namespace UpbitHft.Gateway.Orders;

/// <summary>
/// Upbit <c>identifier</c>s, unique for all time (Upbit remembers every one, even of failed requests: docs/upbit.md#identifiers):
/// <c>uh-{run}-{intent}-{attempt}</c>, where the run id is the start time in base 36 plus random characters, so two
/// runs never collide even after a restart; ≤ 64 characters of <c>[A-Za-z0-9-]</c> (no characters whose hashing
/// could be ambiguous, docs/upbit.md#query-hash).
/// </summary>
public sealed class OrderIdentifiers
{
    private const string Alphabet = "0123456789abcdefghijklmnopqrstuvwxyz";

    /// <summary>What every identifier the engine makes starts with (any run).</summary>
    public const string EnginePrefix = "uh-";

    /// <summary>Create attempts per intent the gateway makes by default (each under its own identifier).</summary>
    public const int DefaultMaxAttempts = 3;

    /// <summary>Creates the generator of one run.</summary>
    public OrderIdentifiers(TimeProvider? time = null)
    {
        var ms = (time ?? TimeProvider.System).GetUtcNow().ToUnixTimeMilliseconds();
        RunId = Base36(ms) + new string(RandomNumberGenerator.GetItems<char>(Alphabet, 6));
        RunPrefix = EnginePrefix + RunId + "-";
    }

    /// <summary>This run's id.</summary>
    public string RunId { get; }

    /// <summary>What every identifier of this run starts with: <c>uh-{run}-</c>.</summary>
    public string RunPrefix { get; }

    /// <summary>The identifier of attempt <paramref name="attempt"/> of intent <paramref name="intentId"/>.</summary>
    public string For(long intentId, int attempt) => Format(RunId, intentId, attempt);

    /// <summary>The identifier of test order <paramref name="n"/> of this run (<c>POST /v1/orders/test</c>: never an order).</summary>
    public string ForTest(long n) => string.Create(CultureInfo.InvariantCulture, $"{EnginePrefix}{RunId}-t{n}");

    /// <summary>The identifier of attempt <paramref name="attempt"/> of intent <paramref name="intentId"/> of run <paramref name="runId"/>.</summary>
    public static string Format(string runId, long intentId, int attempt) =>
        string.Create(CultureInfo.InvariantCulture, $"{EnginePrefix}{runId}-{intentId}-{attempt}");

    /// <summary>Whether an identifier was made by this engine (any run).</summary>
    public static bool IsEngines(string? identifier) => identifier?.StartsWith(EnginePrefix, StringComparison.Ordinal) == true;

    /// <summary>The intent id inside an engine identifier <c>uh-{run}-{intent}-{attempt}</c>; false for anything else.</summary>
    public static bool TryParseIntent(string? identifier, out long intentId)
    {
        intentId = 0;
        var parts = identifier?.Split('-');
        return IsEngines(identifier) && parts!.Length == 4
            && long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out intentId) && intentId > 0;
    }

    private static string Base36(long value)
    {
        Span<char> buffer = stackalloc char[16];
        var i = buffer.Length;
        do
        {
            buffer[--i] = Alphabet[(int)(value % 36)];
            value /= 36;
        }
        while (value > 0);
        return new string(buffer[i..]);
    }
}
