using Control.Api.Auth;
using Control.Api.Infrastructure;
using Control.Domain.Common;
using Control.Domain.Contracts;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.RateLimiting;
using Wolverine.Http;

namespace Control.Api.Features.Auth;

public static class LogoutEndpoint
{
    /// <summary>
    /// Revokes a refresh session. Proof is the refresh token itself (its secret must match), so a client whose
    /// access token has expired can still log out without first rotating its tokens.
    /// </summary>
    [AllowAnonymous]
    [EnableRateLimiting(RateLimits.SignIn)]
    [WolverinePost("/auth/logout")]
    public static async Task<IResult> Post(LogoutRequest request, IDocumentStore store, TimeProvider clock, CancellationToken cancellation)
    {
        if (SessionTokens.TryParse(request.RefreshToken, out var organization, out var sessionId, out var secret))
        {
            await using var session = store.LightweightSession(organization);
            var refresh = await session.LoadAsync<RefreshSession>(sessionId, cancellation);
            if (refresh is { RevokedAt: null } && Secrets.TokenMatches(secret, refresh.SecretHash))
            {
                refresh.RevokedAt = clock.GetUtcNow();
                refresh.RevokedBecause = "logout";
                session.Update(refresh);
                await session.SaveChangesAsync(cancellation);
            }
        }

        // Same answer whether or not the token was valid: logging out reveals nothing.
        return Results.NoContent();
    }
}
