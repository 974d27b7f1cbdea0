using Control.Api.Auth;
using Control.Api.Features.Operators;
using Control.Api.Infrastructure;
using Control.Domain.Contracts;
using Control.Domain.Operators;
using FluentValidation;
using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Control.Api.Features.Auth;

/// <summary>
/// Ends every session of the caller at once: the security stamp moves, so every access token, refresh token and portal
/// session dies on its next use on every API process, and the viewer certificates are revoked like on a disable.
/// </summary>
public static class SignOutEverywhereEndpoint
{
    public sealed class Validator : AbstractValidator<SignOutEverywhereRequest>
    {
        public Validator() => RuleFor(x => x.Reason).MaximumLength(ValidationRules.MaxReasonLength);
    }

    [Authorize(Policy = Policies.AnyOperator)]
    [WolverinePost("/me/sign-out-everywhere")]
    [AuditReason("signed out everywhere")]
    public static async Task<IResult> Post(
        SignOutEverywhereRequest request, [SignedInOperatorStream] IEventStream<Operator> stream, IDocumentSession session, TimeProvider clock, HttpContext http,
        CancellationToken cancellation)
    {
        var account = stream.Aggregate!;
        var actor = http.User.Actor();
        var now = clock.GetUtcNow();
        var decision = OperatorDecider.Decide(new SignOutEverywhere(), account, actor, now);
        if (decision.Refusal is { } refusal)
        {
            return Problems.From(refusal).ToResult();
        }
        stream.AppendMany(decision.Events.ToArray());
        await ViewerCertificateRevocation.Append(session, account, decision, actor, now, cancellation);
        PortalSessions.DeleteCookie(http);
        return Results.NoContent();
    }
}
