using Control.Api.Auth;
using Control.Api.Infrastructure;
using Control.Domain.Common;
using Control.Domain.Contracts;
using Control.Domain.Operators;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.RateLimiting;
using Wolverine.Http;

namespace Control.Api.Features.Auth;

public static class RefreshEndpoint
{
    [AllowAnonymous]
    [EnableRateLimiting(RateLimits.SignIn)]
    [WolverinePost("/auth/refresh")]
    public static async Task<IResult> Post(RefreshRequest request, IDocumentStore store, TokenService tokens, TimeProvider clock, CancellationToken cancellation)
    {
        if (!SessionTokens.TryParse(request.RefreshToken, out var organization, out var sessionId, out var secret))
        {
            return Invalid();
        }

        var now = clock.GetUtcNow();
        await using var session = store.LightweightSession(organization);
        var refresh = await session.LoadAsync<RefreshSession>(sessionId, cancellation);
        if (refresh is null || refresh.RevokedAt is not null || now >= refresh.ExpiresAt)
        {
            return Invalid();
        }

        if (!Secrets.TokenMatches(secret, refresh.SecretHash))
        {
            if (Secrets.TokenMatchesAny(secret, refresh.EarlierSecretHashes))
            {
                // An already-rotated secret came back: someone holds a copy. Kill the family for both parties.
                refresh.RevokedAt = now;
                refresh.RevokedBecause = "reuse-detected";
                session.Update(refresh);
                await session.SaveChangesAsync(cancellation);
            }

            return Invalid();
        }

        var account = await session.LoadAsync<Operator>(refresh.OperatorId, cancellation);
        if (account is null || account.Status != OperatorStatus.Active || account.SecurityStamp != refresh.SecurityStamp)
        {
            return Invalid();
        }

        var response = tokens.Rotate(account, refresh, session);
        await session.SaveChangesAsync(cancellation);
        return Results.Ok(response);
    }

    private static IResult Invalid() => Results.Problem(
        statusCode: StatusCodes.Status401Unauthorized, title: "Session expired.", detail: "The refresh token is not valid any more. Sign in again.",
        extensions: new Dictionary<string, object?> { ["code"] = "refresh.invalid" });
}
