using System.Security.Claims;
using Control.Api.Auth;
using Control.Api.Features.Auth;
using Control.Api.Hosting;
using Control.Api.Infrastructure;
using Control.Domain.Contracts;
using Control.Domain.Operators;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Wolverine.Http;

namespace Control.Api.Features.Portal;

/// <summary>
/// Sign-in to the portal: the CLI's sign-in (same checks, lockout, rate limit and events), but the credential is a
/// server-side session behind an HttpOnly cookie instead of tokens in the response body.
/// </summary>
public static class StartPortalSessionEndpoint
{

    [AllowAnonymous]
    [EnableRateLimiting(RateLimits.SignIn)]
    [WolverinePost("/portal/session")]
    public static Task<IResult> Post(
        LoginRequest request, IDocumentStore store, Passwords passwords, SecretProtector protector, PortalSessions sessions,
        IOptions<ControlOptions> options, TimeProvider clock, HttpContext http, CancellationToken cancellation) =>
        LoginEndpoint.SignIn(request, store, passwords, protector, clock, http, async (account, session) =>
        {
            var portal = sessions.Start(account, session, http);
            var principal = new ClaimsPrincipal(new ClaimsIdentity(PortalSessions.Claims(account, portal.Id), PortalAuthentication.SchemeName));
            return Results.Ok(await PortalSessionView.Describe(account, principal, sessions.CsrfToken(portal.Id), http, options.Value));
        }, cancellation);
}

public static class GetPortalSessionEndpoint
{
    [Authorize(Policy = Policies.AnyOperator)]
    [WolverineGet("/portal/session")]
    public static async Task<PortalSessionResponse> Get(
        IQuerySession session, PortalSessions sessions, IOptions<ControlOptions> options, HttpContext http, CancellationToken cancellation)
    {
        var account = await session.LoadAsync<Operator>(http.User.OperatorId(), cancellation);
        var csrf = PortalSessionView.SessionId(http.User) is { } id ? sessions.CsrfToken(id) : null;
        return await PortalSessionView.Describe(account!, http.User, csrf, http, options.Value);
    }
}

/// <summary>Signs this browser out: its session ends server-side (the cookie alone would be no proof of anything) and the cookie goes.</summary>
public static class EndPortalSessionEndpoint
{
    [Authorize(Policy = Policies.AnyOperator)]
    [WolverineDelete("/portal/session")]
    public static async Task<IResult> Delete(IDocumentSession session, TimeProvider clock, HttpContext http, CancellationToken cancellation)
    {
        if (PortalSessionView.SessionId(http.User) is { } id && await session.LoadAsync<PortalSession>(id, cancellation) is { EndedAt: null } portal)
        {
            portal.EndedAt = clock.GetUtcNow();
            portal.EndedBecause = "sign-out";
            session.Store(portal);
        }

        PortalSessions.DeleteCookie(http);
        return Results.NoContent();
    }
}

public static class PortalSessionView
{
    public static Guid? SessionId(ClaimsPrincipal user) =>
        user.Identity?.AuthenticationType == PortalAuthentication.SchemeName && Guid.TryParse(user.FindFirst(PortalAuthentication.SessionClaim)?.Value, out var id)
            ? id
            : null;

    /// <summary>The same policy evaluation as the endpoints', so what the portal shows is exactly what the API allows.</summary>
    public static async Task<PortalSessionResponse> Describe(
        Operator account, ClaimsPrincipal user, string? csrfToken, HttpContext http, ControlOptions options)
    {
        // Resolved here, not injected: the framework's implementation is internal, which Wolverine's generated code cannot name.
        var authorization = http.RequestServices.GetRequiredService<IAuthorizationService>();
        var permitted = new List<string>();
        foreach (var policy in Policies.OperatorPolicies)
        {
            if ((await authorization.AuthorizeAsync(user, policy)).Succeeded)
            {
                permitted.Add(policy);
            }
        }

        return new PortalSessionResponse(
            TokenService.WhoAmI(account), csrfToken, permitted, (int)options.PortalIdleTimeout.TotalSeconds, OperatorDecider.GrantableRoles(account.Role));
    }
}
