using Control.Api.Auth;
using Control.Api.Infrastructure;
using Control.Domain.Common;
using Control.Domain.Contracts;
using Control.Domain.Operators;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Control.Api.Features.TwoFactor;

/// <summary>Replaces all recovery codes (the old ones die), proven with a current TOTP code.</summary>
public static class RegenerateRecoveryCodesEndpoint
{
    private static readonly ConfirmTwoFactorEndpoint.Validator Rules = new();

    public static ProblemDetails Validate(TwoFactorCodeRequest request) => Problems.Validate(Rules, request);

    [Authorize(Policy = Policies.AnyOperator)]
    [WolverinePost("/me/2fa/recovery-codes")]
    public static async Task<IResult> Post(
        TwoFactorCodeRequest request, IDocumentSession session, SecretProtector protector, TimeProvider clock, HttpContext http,
        CancellationToken cancellation)
    {
        var operatorId = http.User.OperatorId();
        var stream = await session.Events.FetchForWriting<Operator>(operatorId, cancellation);
        var account = stream.Aggregate!;
        var secret = account.TwoFactor.ProtectedSecret is { } p ? protector.Unprotect(p, TwoFactorSecrets.Purpose(operatorId)) : [];
        var codes = ConfirmTwoFactorEndpoint.NewRecoveryCodes();
        var decision = OperatorDecider.Decide(
            new RegenerateRecoveryCodes(secret, request.Code!, codes.Select(Secrets.HashCode).ToList()), account, http.User.Actor(), clock.GetUtcNow());
        if (decision.Refusal is { } refusal)
        {
            return Problems.From(refusal).ToResult();
        }

        session.RecordAs(http.User.Actor(), request.Reason ?? "recovery codes regenerated", http);
        stream.AppendMany(decision.Events.ToArray());
        return Results.Ok(new RecoveryCodesResponse(codes));
    }
}
