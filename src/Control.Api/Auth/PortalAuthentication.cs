using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Control.Api.Hosting;
using Control.Api.Infrastructure;
using Control.Domain.Common;
using Control.Domain.Operators;
using Marten;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Control.Api.Auth;

/// <summary>
/// The portal's cookie scheme. The cookie (HttpOnly, SameSite=Strict, Secure and <c>__Host-</c> prefixed over HTTPS)
/// names a server-side <see cref="PortalSession"/>; no token that script could read or replay as a bearer ever reaches
/// the browser. Each request re-checks the session (not ended, not idle, not expired) and the operator's security stamp
/// and status, exactly as <see cref="SecurityStampCheck"/> does for bearer tokens, so disabling an operator ends their
/// portal session on the next request on every API process.
/// </summary>
public sealed class PortalAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IDocumentStore store, PortalSessions sessions,
    TimeProvider clock)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ControlPortal";

    /// <summary>The portal session's id, among the claims of a cookie-authenticated principal.</summary>
    public const string SessionClaim = "sid";

    // Writing "last seen" on every request would make every page view a database write; a minute's precision is plenty
    // for an idle timeout measured in minutes.
    private static readonly TimeSpan LastSeenResolution = TimeSpan.FromMinutes(1);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Cookies.TryGetValue(PortalSessions.CookieName(Request), out var cookie))
        {
            return AuthenticateResult.NoResult();
        }

        if (!SessionTokens.TryParse(cookie, out var organization, out var sessionId, out var secret))
        {
            return AuthenticateResult.Fail("Malformed portal session cookie.");
        }

        var now = clock.GetUtcNow();
        await using var session = store.LightweightSession(organization);
        var portal = await session.LoadAsync<PortalSession>(sessionId, Context.RequestAborted);
        if (portal is null || !Secrets.TokenMatches(secret, portal.SecretHash) || !sessions.IsLive(portal, now))
        {
            return AuthenticateResult.Fail("The portal session ended.");
        }

        var account = await SecurityStampCheck.CurrentAccount(session, portal.OperatorId, portal.SecurityStamp, Context.RequestAborted);
        if (account is null)
        {
            return AuthenticateResult.Fail("The portal session was revoked.");
        }

        if (now - portal.LastSeenAt >= LastSeenResolution)
        {
            portal.LastSeenAt = now;
            session.Store(portal);
            await session.SaveChangesAsync(Context.RequestAborted);
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(PortalSessions.Claims(account, portal.Id), SchemeName, ControlClaims.Username, ControlClaims.Role));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        // A cookie that no longer opens a session is useless to the browser: drop it.
        if (Request.Cookies.ContainsKey(PortalSessions.CookieName(Request)))
        {
            PortalSessions.DeleteCookie(Context);
        }

        await Problems.Write(Context, StatusCodes.Status401Unauthorized, "Not signed in.",
            "Sign in (the portal, or control login and a Bearer token). Sessions end on sign-out, when idle, and when the account is disabled or its password or 2FA is reset.");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Problems.Write(Context, StatusCodes.Status403Forbidden, "Not allowed.", "Your role may not do this.");
}

/// <summary>Starting and ending portal sessions, their cookie, and their anti-forgery token.</summary>
public sealed class PortalSessions(KeyRing keys, IOptions<ControlOptions> options, TimeProvider clock)
{
    public const string CsrfHeader = "X-CSRF-Token";
    private const string PlainCookieName = "control-session";

    // Over HTTPS the __Host- prefix makes the browser refuse the cookie unless it is Secure, host-only and for path "/",
    // so neither a sibling subdomain nor a plain-HTTP response can plant or overwrite it.
    private const string HostCookieName = "__Host-control-session";

    private readonly byte[] _csrfKey = keys.Derive("portal-csrf/v1");
    private readonly ControlOptions _options = options.Value;

    public static string CookieName(HttpRequest request) => request.IsHttps ? HostCookieName : PlainCookieName;

    public bool IsLive(PortalSession session, DateTimeOffset now) =>
        session.EndedAt is null && now < session.ExpiresAt && now - session.LastSeenAt < _options.PortalIdleTimeout;

    /// <summary>A new session for a signed-in operator (saved with <paramref name="session"/>) and its cookie on the response.</summary>
    public PortalSession Start(Operator account, IDocumentSession session, HttpContext http)
    {
        var now = clock.GetUtcNow();
        var secret = Secrets.NewToken();
        var portal = new PortalSession
        {
            Id = Guid.CreateVersion7(),
            OperatorId = account.Id,
            SecretHash = Secrets.HashToken(secret),
            SecurityStamp = account.SecurityStamp,
            CreatedAt = now,
            LastSeenAt = now,
            ExpiresAt = now + _options.PortalSessionLifetime,
            Source = AuditMetadata.SourceAddress(http),
        };
        session.Store(portal);
        http.Response.Cookies.Append(CookieName(http.Request), SessionTokens.Format(account.OrganizationSlug, portal.Id, secret), Cookie(http));
        return portal;
    }

    public static void DeleteCookie(HttpContext http) => http.Response.Cookies.Delete(CookieName(http.Request), Cookie(http));

    /// <summary>
    /// The session's anti-forgery token: an HMAC of its id under a key derived from the master key. Another site can
    /// make the browser send the cookie (not with SameSite=Strict, but defence in depth) yet cannot read this token
    /// (it is only in same-origin responses) nor compute it.
    /// </summary>
    public string CsrfToken(Guid sessionId) => Secrets.Base64Url(HMACSHA256.HashData(_csrfKey, sessionId.ToByteArray()));

    public bool CsrfTokenMatches(Guid sessionId, string? presented) =>
        presented is { Length: > 0 and < 100 }
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(CsrfToken(sessionId)), Encoding.ASCII.GetBytes(presented));

    public static IEnumerable<Claim> Claims(Operator account, Guid sessionId) =>
    [
        new(ControlClaims.Subject, account.Id.ToString()),
        new(ControlClaims.Organization, account.OrganizationSlug),
        new(ControlClaims.Username, account.Username),
        new(ControlClaims.Role, account.Role.ToName()),
        new(ControlClaims.SecurityStamp, account.SecurityStamp.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new(PortalAuthentication.SessionClaim, sessionId.ToString()),
    ];

    // No Expires: a browser-session cookie, gone when the browser closes; the server ends the session anyway (idle, lifetime).
    private static CookieOptions Cookie(HttpContext http) => new()
    {
        HttpOnly = true,
        Secure = http.Request.IsHttps,
        SameSite = SameSiteMode.Strict,
        Path = "/",
        IsEssential = true,
    };
}
