using System.Security.Claims;
using Control.Api.Hosting;
using Control.Api.Infrastructure;
using Control.Domain.Common;
using Control.Domain.Contracts;
using Control.Domain.Operators;
using Marten;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Control.Api.Auth;

/// <summary>
/// Short-lived access tokens (JWT, HMAC-SHA256 under a key derived from the master key) carrying the operator's
/// security stamp, and rotating refresh tokens whose secrets are stored only as hashes.
/// A refresh token reads <c>{organization}.{session id}.{secret}</c>, so it needs no other input to be redeemed.
/// </summary>
public sealed class TokenService(KeyRing keys, IOptions<ControlOptions> options, TimeProvider clock)
{
    public const string Issuer = "control";
    public const string Audience = "control-api";

    private readonly SymmetricSecurityKey _signingKey = new(keys.Derive("access-token/v1")) { KeyId = "access-token-v1" };
    private readonly ControlOptions _options = options.Value;

    public TokenValidationParameters ValidationParameters => new()
    {
        ValidIssuer = Issuer,
        ValidAudience = Audience,
        IssuerSigningKey = _signingKey,
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        ClockSkew = TimeSpan.FromSeconds(30),
        NameClaimType = ControlClaims.Username,
        RoleClaimType = ControlClaims.Role,
    };

    /// <summary>Issues a new access token and a new refresh session; the caller saves the session.</summary>
    public TokenResponse Issue(Operator account, IDocumentSession session)
    {
        var now = clock.GetUtcNow();
        var refresh = new RefreshSession
        {
            Id = Guid.CreateVersion7(),
            OperatorId = account.Id,
            SecurityStamp = account.SecurityStamp,
            CreatedAt = now,
            ExpiresAt = now + _options.RefreshTokenLifetime,
        };
        var secret = Secrets.NewToken();
        refresh.SecretHash = Secrets.HashToken(secret);
        session.Store(refresh);
        return Response(account, now, RefreshToken(account.OrganizationSlug, refresh.Id, secret), refresh.ExpiresAt);
    }

    /// <summary>Rotates the refresh session's secret and issues a fresh pair.</summary>
    public TokenResponse Rotate(Operator account, RefreshSession refresh, IDocumentSession session)
    {
        var now = clock.GetUtcNow();
        var secret = Secrets.NewToken();
        refresh.EarlierSecretHashes.Add(refresh.SecretHash);
        refresh.SecretHash = Secrets.HashToken(secret);
        session.Update(refresh);
        return Response(account, now, RefreshToken(account.OrganizationSlug, refresh.Id, secret), refresh.ExpiresAt);
    }

    private static string RefreshToken(string organization, Guid sessionId, string secret) => SessionTokens.Format(organization, sessionId, secret);

    private TokenResponse Response(Operator account, DateTimeOffset now, string refreshToken, DateTimeOffset refreshExpiresAt)
    {
        var expires = now + _options.AccessTokenLifetime;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = new SigningCredentials(_signingKey, SecurityAlgorithms.HmacSha256),
            Subject = new ClaimsIdentity(
            [
                new Claim(ControlClaims.Subject, account.Id.ToString()),
                new Claim(ControlClaims.Organization, account.OrganizationSlug),
                new Claim(ControlClaims.Username, account.Username),
                new Claim(ControlClaims.Role, account.Role.ToName()),
                new Claim(ControlClaims.SecurityStamp, account.SecurityStamp.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ]),
        };
        var accessToken = new JsonWebTokenHandler().CreateToken(descriptor);
        return new TokenResponse(accessToken, expires, refreshToken, refreshExpiresAt, WhoAmI(account));
    }

    public static WhoAmIResponse WhoAmI(Operator account) =>
        new(account.Id, account.Username, account.OrganizationSlug, account.Role.ToName(), account.TwoFactor.Enabled, account.TwoFactor.RecoveryCodesLeft);
}
