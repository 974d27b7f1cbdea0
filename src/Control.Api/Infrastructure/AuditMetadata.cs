using System.Diagnostics;
using System.Text.RegularExpressions;
using Control.Api.Auth;
using Control.Domain.Common;
using Control.Domain.Contracts;
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

    /// <summary>The signed-in operator changes something and says why in the request (see <see cref="AuditPolicy"/>).</summary>
    public static void RecordRequest<T>(IDocumentSession session, HttpContext http, T request)
        where T : IReasonedRequest =>
        RecordSignedIn(session, http, request?.Reason);

    /// <summary>As <see cref="RecordRequest{T}"/>, with the endpoint's own reason when the request gives none.</summary>
    public static void RecordRequestOr<T>(IDocumentSession session, HttpContext http, T request, string fallback)
        where T : IReasonedRequest =>
        RecordSignedIn(session, http, string.IsNullOrWhiteSpace(request?.Reason) ? fallback : request.Reason);

    /// <summary>The signed-in operator changes something for the given reason (see <see cref="AuditPolicy"/>).</summary>
    public static void RecordSignedIn(IDocumentSession session, HttpContext http, string? reason) =>
        session.RecordAs(http.User.Actor(), reason, http);

    /// <summary>For the flows whose actor is not the signed-in operator (sign-in, activation, setup, an agent).</summary>
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

    /// <summary>
    /// For an event the request's reason does not explain (a failed second-factor attempt). Marten's session interface can
    /// set a header but not remove one; every session it opens is a <c>QuerySession</c>, which can.
    /// </summary>
    public static void WithoutReason(IDocumentSession session) => (session as Marten.Internal.Sessions.QuerySession)?.Headers?.Remove(ReasonHeader);

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
