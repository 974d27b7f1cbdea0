using Control.Api.Auth;
using Control.Api.Features.Operators;
using Control.Api.Infrastructure;
using Control.Domain.Contracts;
using Control.Domain.Operators;
using FluentValidation;
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
        public Validator()
        {
            RuleFor(x => x.CurrentPassword).NotEmpty().WithMessage("The current password is required.");
            RuleFor(x => x.NewPassword).Password();
            RuleFor(x => x.Reason).MaximumLength(ValidationRules.MaxReasonLength);
        }
    }

    private static readonly Validator Rules = new();

    public static ProblemDetails Validate(ChangePasswordRequest request, Passwords passwords, HttpContext http) =>
        Problems.Validate(Rules, request,
            ("newPassword", passwords.Check(request?.NewPassword, http.User.FindFirst(ControlClaims.Username)?.Value, http.User.OrganizationSlug())));

    // Rate-limited like sign-in: a stolen access token must not become a free password oracle.
    [Authorize(Policy = Policies.AnyOperator)]
    [EnableRateLimiting(RateLimits.SignIn)]
    [WolverinePost("/me/password")]
    public static async Task<IResult> Post(
        ChangePasswordRequest request, IDocumentSession session, Passwords passwords, TimeProvider clock, HttpContext http, CancellationToken cancellation)
    {
        var stream = await session.Events.FetchForWriting<Operator>(http.User.OperatorId(), cancellation);
        var account = stream.Aggregate!;
        var now = clock.GetUtcNow();
        var decision = OperatorDecider.Decide(
            new ChangePassword(passwords.Verify(account.PasswordHash, request.CurrentPassword!), passwords.Hash(request.NewPassword!)),
            account, http.User.Actor(), now);
        if (decision.Refusal is { } refusal)
        {
            return Problems.From(refusal).ToResult();
        }

        session.RecordAs(http.User.Actor(), request.Reason ?? "password change", http);
        stream.AppendMany(decision.Events.ToArray());
        // Whoever made the operator change their password may hold their viewer key and certificate as well.
        await ViewerCertificateRevocation.Append(session, account, decision, http.User.Actor(), now, cancellation);
        return Results.NoContent();
    }
}
