using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace UpbitHft.Engine.Notifications;

/// <summary>The body an alert is POSTed as (<c>--notify-template</c>).</summary>
public enum AlertTemplate
{
    /// <summary><c>{"event","market","text","time",…}</c>: every field of the <see cref="Alert"/> that is set.</summary>
    Json,

    /// <summary>A Slack incoming webhook: <c>{"text": …}</c>.</summary>
    Slack,

    /// <summary>A Discord webhook: <c>{"content": …}</c>.</summary>
    Discord,

    /// <summary>Telegram's bot API <c>sendMessage</c>: <c>{"chat_id": …, "text": …}</c> (<c>--notify-chat-id</c>).</summary>
    Telegram,
}

/// <summary>Alert bodies per template.</summary>
public static class AlertBodies
{
    private static readonly JsonWriterOptions s_json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The UTF-8 JSON body of <paramref name="alert"/> in <paramref name="template"/>.</summary>
    public static byte[] Format(Alert alert, AlertTemplate template, string? chatId = null)
    {
        ArgumentNullException.ThrowIfNull(alert);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, s_json))
        {
            json.WriteStartObject();
            switch (template)
            {
                case AlertTemplate.Slack:
                    json.WriteString("text", alert.Text);
                    break;
                case AlertTemplate.Discord:
                    json.WriteString("content", alert.Text);
                    break;
                case AlertTemplate.Telegram:
                    // A numeric chat id goes as a number, a channel name (@name) as a string: the bot API takes both.
                    if (long.TryParse(chatId, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var id))
                    {
                        json.WriteNumber("chat_id", id);
                    }
                    else
                    {
                        json.WriteString("chat_id", chatId);
                    }

                    json.WriteString("text", alert.Text);
                    break;
                default:
                    WritePlain(json, alert);
                    break;
            }

            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>The body as text (tests, logs).</summary>
    public static string FormatText(Alert alert, AlertTemplate template, string? chatId = null) => Encoding.UTF8.GetString(Format(alert, template, chatId));

    private static void WritePlain(Utf8JsonWriter json, Alert alert)
    {
        json.WriteString("event", alert.Event);
        if (alert.Market is not null)
        {
            json.WriteString("market", alert.Market);
        }

        json.WriteString("text", alert.Text);
        json.WriteString("time", alert.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        if (alert.Reason is not null)
        {
            json.WriteString("reason", alert.Reason);
        }

        if (alert.Price is { } price && double.IsFinite(price))
        {
            json.WriteNumber("price", price);
        }

        if (alert.Volume is { } volume)
        {
            json.WriteNumber("volume", volume);
        }

        if (alert.PnlKrw is { } pnl)
        {
            json.WriteNumber("pnl_krw", pnl);
        }

        if (alert.Seconds is { } seconds && double.IsFinite(seconds))
        {
            json.WriteNumber("seconds", Math.Round(seconds, 1));
        }
    }
}
