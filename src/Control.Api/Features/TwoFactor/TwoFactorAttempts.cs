using System.Globalization;
using Control.Api.Auth;
using Control.Api.Infrastructure;
using Control.Domain.Common;
using Control.Domain.Operators;
using JasperFx.Events;
using Marten;

namespace Control.Api.Features.TwoFactor;

/// <summary>The refusal of a code given to a signed-in endpoint: a wrong one is recorded as a failed attempt (the lockout counts it).</summary>
public static class TwoFactorAttempts
{
    public static IResult Refused(IDocumentSession session, IEventStream<Operator> stream, Refusal refusal, DateTimeOffset now, HttpContext http)
    {
        var source = AuditMetadata.SourceAddress(http);
        if (OperatorDecider.FailedAttempt(stream.Aggregate!, refusal, source, now) is { } failure)
        {
            // A failed attempt is not what the request gave a reason for.
            AuditMetadata.WithoutReason(session);
            stream.AppendOne(failure);
        }

        if (refusal.Kind == RefusalKind.TooManyAttempts && stream.Aggregate!.LockedUntil(source, now) is { } until)
        {
            http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling((until - now).TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        return Problems.From(refusal).ToResult();
    }
}
