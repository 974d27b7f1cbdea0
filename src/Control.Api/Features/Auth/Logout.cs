using Control.Api.Auth;
using Control.Domain.Contracts;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Control.Api.Features.Auth;

public static class LogoutEndpoint
{
    /// <summary>Revokes the caller's refresh session (the access token dies at its short expiry).</summary>
    [Authorize(Policy = Policies.AnyOperator)]
    [WolverinePost("/auth/logout")]
    public static async Task<IResult> Post(LogoutRequest request, IDocumentSession session, HttpContext http, TimeProvider clock, CancellationToken cancellation)
    {
        if (TokenService.TryParseRefreshToken(request.RefreshToken, out _, out var sessionId, out _))
        {
            var refresh = await session.LoadAsync<RefreshSession>(sessionId, cancellation);
            if (refresh is not null && refresh.OperatorId == http.User.OperatorId() && refresh.RevokedAt is null)
            {
                refresh.RevokedAt = clock.GetUtcNow();
                refresh.RevokedBecause = "logout";
                session.Update(refresh);
            }
        }

        return Results.NoContent();
    }
}
