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
using Microsoft.AspNetCore.RateLimiting;
using Wolverine.Http;

namespace Control.Api.Features.Auth;

/// <summary>
/// Self-service password change; every token of the operator (including this one) dies, so they sign in again, and their
/// viewer certificates are revoked.
/// </summary>
public static class ChangePasswordEndpoint
{
    public sealed class Validator : AbstractValidator<ChangePasswordRequest>
    {
        public Validator(Passwords passwords, IHttpContextAccessor http)
        {
            RuleFor(x => x.CurrentPassword).NotEmpty().WithMessage("The current password is required.");
            RuleFor(x => x.NewPassword).Password();
            RuleFor(x => x.NewPassword).StrongPassword(passwords, _ =>
                [http.HttpContext?.User.FindFirst(ControlClaims.Username)?.Value, http.HttpContext?.User.OrganizationSlug()]);
            RuleFor(x => x.Reason).MaximumLength(ValidationRules.MaxReasonLength);
        }
    }

    // Rate-limited like sign-in: a stolen access token must not become a free password oracle.
    [Authorize(Policy = Policies.AnyOperator)]
    [EnableRateLimiting(RateLimits.SignIn)]
    [WolverinePost("/me/password")]
    [AuditReason("password change")]
    public static async Task<IResult> Post(
        ChangePasswordRequest request, [SignedInOperatorStream] IEventStream<Operator> stream, IDocumentSession session, Passwords passwords, TimeProvider clock,
        HttpContext http, CancellationToken cancellation)
    {
        var account = stream.Aggregate!;
        var now = clock.GetUtcNow();
        var decision = OperatorDecider.Decide(
            new ChangePassword(passwords.Verify(account.PasswordHash, request.CurrentPassword!), passwords.Hash(request.NewPassword!)),
            account, http.User.Actor(), now);
        if (decision.Refusal is { } refusal)
        {
            return Problems.From(refusal).ToResult();
        }
        stream.AppendMany(decision.Events.ToArray());
        // Whoever made the operator change their password may hold their viewer key and certificate as well.
        await ViewerCertificateRevocation.Append(session, account, decision, http.User.Actor(), now, cancellation);
        return Results.NoContent();
    }
}
