using System.Globalization;
using System.Text.Json.Nodes;
using System.Text;
using Control.Api.Infrastructure;

namespace Control.Api.Features.Audit.Forwarding;

/// <summary>
/// One audit entry as an RFC 5424 syslog message, framed by octet counting (RFC 6587 3.4.1: "LEN SP MSG"). Facility 13
/// (log audit), severity 5 (notice); MSGID is the event type; structured data <c>audit@32473</c> (32473 is the private
/// enterprise number RFC 5612 reserves for examples: a SIEM keys on the SD-ID, and no number is registered for Control)
/// carries organization, chain entry, sequence, event id, stream, actor, reason and correlation; MSG is the event's
/// body as JSON, redacted exactly as <c>GET /audit/events</c> redacts it, in UTF-8 with the BOM RFC 5424 asks for.
/// </summary>
public static class SyslogMessage
{
    public const string StructuredDataId = "audit@32473";
    private const int Priority = (13 * 8) + 5;

    public sealed record Entry(
        string Organization, long Number, long Sequence, Guid EventId, string Type, Guid? Stream, DateTimeOffset Timestamp,
        string? Actor, string? Correlation, string? Headers, string Data);

    public static byte[] Frame(Entry entry, string appName, string hostname, AuditRedaction redaction)
    {
        var reason = entry.Headers is null ? null : JsonNode.Parse(entry.Headers)?[AuditMetadata.ReasonHeader]?.GetValue<string>();
        var message = new StringBuilder(512)
            .Append(CultureInfo.InvariantCulture, $"<{Priority}>1 {entry.Timestamp.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'} ")
            .Append(Header(hostname, 255)).Append(' ').Append(Header(appName, 48)).Append(" - ").Append(Header(entry.Type, 32)).Append(" [")
            .Append(StructuredDataId);
        Parameter(message, "org", entry.Organization);
        Parameter(message, "entry", entry.Number.ToString(CultureInfo.InvariantCulture));
        Parameter(message, "seq", entry.Sequence.ToString(CultureInfo.InvariantCulture));
        Parameter(message, "eventId", entry.EventId.ToString());
        Parameter(message, "stream", entry.Stream?.ToString());
        Parameter(message, "actor", entry.Actor);
        Parameter(message, "reason", reason);
        Parameter(message, "correlation", entry.Correlation);
        message.Append("] \uFEFF").Append(Encoding.UTF8.GetString(redaction.Redact(entry.Data).Span));

        var body = Encoding.UTF8.GetBytes(message.ToString());
        var length = Encoding.ASCII.GetBytes(body.Length.ToString(CultureInfo.InvariantCulture) + " ");
        return [.. length, .. body];
    }

    /// <summary>HOSTNAME, APP-NAME and MSGID are printable US-ASCII without spaces, bounded; "-" when empty.</summary>
    private static string Header(string value, int max)
    {
        var clean = new string(value.Where(c => c is >= '!' and <= '~').Take(max).ToArray());
        return clean.Length == 0 ? "-" : clean;
    }

    /// <summary>PARAM-VALUE escapes '"', '\' and ']' with a backslash (RFC 5424 6.3.3).</summary>
    private static void Parameter(StringBuilder message, string name, string? value)
    {
        if (value is null)
        {
            return;
        }

        message.Append(' ').Append(name).Append("=\"");
        foreach (var c in value)
        {
            if (c is '"' or '\\' or ']')
            {
                message.Append('\\');
            }

            message.Append(c);
        }

        message.Append('"');
    }
}
