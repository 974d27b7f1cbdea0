using System.Diagnostics;
using System.Text.RegularExpressions;
using Control.Domain.Common;
using Marten;

namespace Control.Api.Infrastructure;

/// <summary>
/// The audit envelope of every appended event, in Marten's event metadata: who (user name), why (the "reason"
/// header) and the correlation id (from the caller's X-Correlation-Id, or the request's trace id).
/// </summary>
public static partial class AuditMetadata
{
    public const string CorrelationHeader = "X-Correlation-Id";
    public const string ReasonHeader = "reason";
    public const string ActorIdHeader = "actor-id";
    public const string SourceHeader = "source";

    public static void RecordAs(this IDocumentSession session, Actor actor, string? reason, HttpContext http)
    {
        session.LastModifiedBy = actor.Name;
        session.CorrelationId = CorrelationId(http);
        if (actor.OperatorId is { } id)
        {
            session.SetHeader(ActorIdHeader, id.ToString());
        }

        if (!string.IsNullOrWhiteSpace(reason))
        {
            session.SetHeader(ReasonHeader, reason.Trim());
        }

        session.SetHeader(SourceHeader, SourceAddress(http));
    }

    public static string SourceAddress(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    public static string CorrelationId(HttpContext http)
    {
        var given = http.Request.Headers[CorrelationHeader].ToString();
        if (given.Length is > 0 and <= 64 && SafeCorrelation().IsMatch(given))
        {
            return given;
        }

        return Activity.Current?.TraceId.ToString() ?? http.TraceIdentifier;
    }

    [GeneratedRegex("^[A-Za-z0-9._:-]+$")]
    private static partial Regex SafeCorrelation();
}
