using System.Text.Json.Nodes;

namespace UpbitHft.TestSupport.FakeUpbit;

/// <summary>
/// Rewrites a DEFAULT-format private message (myOrder, myAsset) into Upbit's SIMPLE format, key by key from the
/// abbreviation table of docs/upbit.md#simple-format — what the exchange sends a client that subscribed with <c>"format":"SIMPLE"</c>.
/// </summary>
public static class SimpleFormat
{
    private static readonly Dictionary<string, string> s_keys = new(StringComparer.Ordinal)
    {
        // common
        ["type"] = "ty", ["code"] = "cd", ["timestamp"] = "tms", ["stream_type"] = "st",
        // myOrder
        ["uuid"] = "uid", ["ask_bid"] = "ab", ["order_type"] = "ot", ["state"] = "s", ["trade_uuid"] = "tuid",
        ["price"] = "p", ["avg_price"] = "ap", ["volume"] = "v", ["remaining_volume"] = "rv", ["executed_volume"] = "ev",
        ["trades_count"] = "tc", ["reserved_fee"] = "rsf", ["remaining_fee"] = "rmf", ["paid_fee"] = "pf", ["locked"] = "l",
        ["executed_funds"] = "ef", ["time_in_force"] = "tif", ["trade_fee"] = "tf", ["is_maker"] = "im", ["identifier"] = "id",
        ["smp_type"] = "smpt", ["prevented_volume"] = "pv", ["prevented_locked"] = "pl", ["trade_timestamp"] = "ttms",
        ["order_timestamp"] = "otms",
        // myAsset
        ["asset_uuid"] = "astuid", ["assets"] = "ast", ["asset_timestamp"] = "asttms",
    };

    private static readonly Dictionary<string, string> s_assetKeys = new(StringComparer.Ordinal)
    {
        ["currency"] = "cu", ["balance"] = "b", ["locked"] = "l",
    };

    public static byte[] Simplify(byte[] defaultFrame)
    {
        var source = JsonNode.Parse(defaultFrame)!.AsObject();
        var result = new JsonObject();
        foreach (var (key, value) in source)
        {
            var copy = value?.DeepClone();
            if (key == "assets" && copy is JsonArray assets)
            {
                copy = new JsonArray([.. assets.Select(a => (JsonNode?)Rename(a!.AsObject(), s_assetKeys))]);
            }

            result[s_keys.GetValueOrDefault(key, key)] = copy;
        }

        return System.Text.Encoding.UTF8.GetBytes(result.ToJsonString());
    }

    private static JsonObject Rename(JsonObject o, Dictionary<string, string> keys)
    {
        var r = new JsonObject();
        foreach (var (key, value) in o)
        {
            r[keys.GetValueOrDefault(key, key)] = value?.DeepClone();
        }

        return r;
    }
}
