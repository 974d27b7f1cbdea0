using Control.Api.Auth;
using Control.Api.Features.Operators;
using Control.Api.Infrastructure;
using Control.Domain.Common;
using Control.Domain.Contracts;
using Control.Domain.Operators;
using FluentValidation;
using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Wolverine.Http;

namespace Control.Api.Features.TwoFactor;

/// <summary>Turns 2FA on with a first valid code and returns ten single-use recovery codes, shown once.</summary>
public static class ConfirmTwoFactorEndpoint
{
    public const int RecoveryCodeCount = 10;

    public sealed class Validator : AbstractValidator<TwoFactorCodeRequest>
    {
        public Validator() => RuleFor(x => x.Code).TotpCode();
    }

    // Rate-limited like sign-in, and a wrong code counts towards the lockout: a stolen token must not become a code oracle.
    [Authorize(Policy = Policies.AnyOperator)]
    [EnableRateLimiting(RateLimits.SignIn)]
    [WolverinePost("/me/2fa/confirm")]
    [AuditReason("two-factor enrolment confirmed")]
    public static IResult Post(
        TwoFactorCodeRequest request, [SignedInOperatorStream] IEventStream<Operator> stream, IDocumentSession session, SecretProtector protector,
        TimeProvider clock, HttpContext http)
    {
        var operatorId = http.User.OperatorId();
        var now = clock.GetUtcNow();
        var account = stream.Aggregate!;
        var pending = account.TwoFactor.PendingProtectedSecret is { } p ? protector.Unprotect(p, TwoFactorSecrets.Purpose(operatorId)) : [];
        var codes = NewRecoveryCodes();
        var decision = OperatorDecider.Decide(
            new ConfirmTwoFactor(pending, request.Code!, codes.Select(Secrets.HashCode).ToList(), AuditMetadata.SourceAddress(http)), account, http.User.Actor(), now);
        if (decision.Refusal is { } refusal)
        {
            return TwoFactorAttempts.Refused(session, stream, refusal, now, http);
        }
        stream.AppendMany(decision.Events.ToArray());
        return Results.Ok(new RecoveryCodesResponse(codes));
    }

    public static List<string> NewRecoveryCodes() => Enumerable.Range(0, RecoveryCodeCount).Select(_ => Secrets.NewCode()).ToList();
}
