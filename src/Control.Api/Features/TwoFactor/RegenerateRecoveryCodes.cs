using Control.Api.Auth;
using Control.Api.Features.Operators;
using Control.Api.Infrastructure;
using Control.Domain.Common;
using Control.Domain.Contracts;
using Control.Domain.Operators;
using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Wolverine.Http;

namespace Control.Api.Features.TwoFactor;

/// <summary>Replaces all recovery codes (the old ones die), proven with a current TOTP code.</summary>
public static class RegenerateRecoveryCodesEndpoint
{

    // Rate-limited like sign-in, and a wrong code counts towards the lockout: a stolen token must not become a code oracle.
    [Authorize(Policy = Policies.AnyOperator)]
    [EnableRateLimiting(RateLimits.SignIn)]
    [WolverinePost("/me/2fa/recovery-codes")]
    [AuditReason("recovery codes regenerated")]
    public static IResult Post(
        TwoFactorCodeRequest request, [SignedInOperatorStream] IEventStream<Operator> stream, IDocumentSession session, SecretProtector protector,
        TimeProvider clock, HttpContext http)
    {
        var operatorId = http.User.OperatorId();
        var now = clock.GetUtcNow();
        var account = stream.Aggregate!;
        var secret = account.TwoFactor.ProtectedSecret is { } p ? protector.Unprotect(p, TwoFactorSecrets.Purpose(operatorId)) : [];
        var codes = ConfirmTwoFactorEndpoint.NewRecoveryCodes();
        var decision = OperatorDecider.Decide(
            new RegenerateRecoveryCodes(secret, request.Code!, codes.Select(Secrets.HashCode).ToList(), AuditMetadata.SourceAddress(http)), account, http.User.Actor(), now);
        if (decision.Refusal is { } refusal)
        {
            return TwoFactorAttempts.Refused(session, stream, refusal, now, http);
        }
        stream.AppendMany(decision.Events.ToArray());
        return Results.Ok(new RecoveryCodesResponse(codes));
    }
}
