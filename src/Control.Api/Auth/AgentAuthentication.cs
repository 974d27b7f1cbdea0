using System.Security.Claims;
using System.Text.Encodings.Web;
using Control.Domain.Clients;
using Control.Domain.Common;
using Control.Domain.Organizations;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Control.Api.Auth;

/// <summary>
/// Agents authenticate with the credential issued at enrolment: <c>Authorization: ControlAgent ctl-agent.{org}.{client id}.{secret}</c>.
/// Only the SHA-256 of the secret is stored. A removed client still authenticates, to learn from its signed tombstone
/// policy that it was removed and to acknowledge it (the proof that the removal took effect on the machine), and carries
/// <see cref="RemovedClaim"/> so that <see cref="Policies.ActiveAgent"/> endpoints (session facts, recordings) refuse it.
/// </summary>
public sealed class AgentAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, Features.PolicyDelivery.PolicySnapshots snapshots)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ControlAgent";
    public const string CredentialPrefix = "ctl-agent.";
    public const string AgentRole = "agent";

    /// <summary>Present (value "true") when the client was removed: its credential then speaks only about its removal.</summary>
    public const string RemovedClaim = "client_removed";

    public static string NewCredential(string organization, Guid clientId) => $"{CredentialPrefix}{organization}.{clientId:N}.{Secrets.NewToken()}";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith(SchemeName + " ", StringComparison.Ordinal))
        {
            return AuthenticateResult.NoResult();
        }

        var credential = header[(SchemeName.Length + 1)..].Trim();
        var parts = credential.StartsWith(CredentialPrefix, StringComparison.Ordinal) ? credential[CredentialPrefix.Length..].Split('.') : [];
        if (parts.Length != 3 || !OrganizationRules.IsValidSlug(parts[0]) || !Guid.TryParseExact(parts[1], "N", out var clientId))
        {
            return AuthenticateResult.Fail("Malformed agent credential.");
        }

        // The cached snapshot is dropped on every committed change of the client (LISTEN/NOTIFY), so a removal or a
        // re-enrolment takes effect at once without a database read per poll.
        var client = await snapshots.Client(parts[0], clientId);
        if (client is null || !Secrets.TokenMatches(credential, client.CredentialHash))
        {
            return AuthenticateResult.Fail("Unknown agent credential.");
        }

        var claims = new List<Claim>
        {
            new(ControlClaims.Subject, clientId.ToString()),
            new(ControlClaims.Organization, parts[0]),
            new(ControlClaims.Role, AgentRole),
        };
        if (client.Status == ClientStatus.Removed)
        {
            claims.Add(new Claim(RemovedClaim, "true"));
        }

        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        return Response.WriteAsJsonAsync(
            new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = 401, Title = "Agent not recognized.", Detail = "The agent credential is missing, malformed or revoked; enrol again." },
            options: null, contentType: "application/problem+json");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return Response.WriteAsJsonAsync(
            new Microsoft.AspNetCore.Mvc.ProblemDetails
            {
                Status = 403, Title = "Not allowed.",
                Detail = "This client was removed: its credential may only fetch the removal policy and acknowledge it.",
            },
            options: null, contentType: "application/problem+json");
    }
}
