using System.Security.Cryptography;
using Control.Api.Auth;
using Control.Api.Features.Organizations;
using Control.Api.Features.CustomClients;
using Control.Api.Infrastructure;
using Control.Domain.Clients;
using Control.Domain.Common;
using Control.Domain.Contracts;
using Control.Domain.CustomClients;
using Control.Domain.Security;
using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Wolverine.Http;

namespace Control.Api.Features.Agents;

/// <summary>
/// A machine joins the organization with its license key, a public custom client's link, or a one-time ticket: it sends its own P-256 public key and receives its client id,
/// its API credential (shown only now; the server keeps its hash) and the organization's policy-signing key to pin.
/// </summary>
public static class EnrollEndpoint
{
    public sealed class Validator : AbstractValidator<EnrollRequest>
    {
        public Validator()
        {
            RuleFor(x => x.Token).NotEmpty().MaximumLength(200).WithMessage("A license key or registration token is required.");
            RuleFor(x => x.PublicKey).Must(PolicySignature.IsP256PublicKey).WithMessage("The public key must be an ECDSA P-256 key (SubjectPublicKeyInfo, base64).");
            RuleFor(x => x.Alias).Matches(ClientDecider.AliasNamePattern()).When(x => !string.IsNullOrEmpty(x.Alias))
                .WithMessage("An alias name is 1-32 lowercase letters, digits, '.', '_' or '-' (the namespace is added for you).");
            RuleFor(x => x.Hostname).MaximumLength(255);
        }
    }

    [AllowAnonymous]
    [EnableRateLimiting(RateLimits.SignIn)]
    [WolverinePost("/agent/enroll")]
    public static async Task<IResult> Post(
        EnrollRequest request, IDocumentStore store, TimeProvider clock, HttpContext http, CancellationToken cancellation)
    {
        if (!RegistrationTokens.TryParse(request.Token, out var kind, out var slug))
        {
            return InvalidToken();
        }

        var now = clock.GetUtcNow();
        await using var session = store.LightweightSession(slug);
        var organization = await session.Query<Domain.Organizations.Organization>().SingleOrDefaultAsync(cancellation);
        if (organization is null)
        {
            return InvalidToken();
        }

        // Which configuration the machine joins with: the organization's defaults (license key), or a custom client's.
        CustomClient? customClient = null;
        switch (kind)
        {
            case RegistrationTokenKind.LicenseKey when organization.LicenseKeyMatches(request.Token!):
                break;
            case RegistrationTokenKind.CustomClientLink:
                var hash = Secrets.HashToken(request.Token!);
                customClient = await session.Query<CustomClient>().FirstOrDefaultAsync(c => c.TokenHash == hash, cancellation);
                if (customClient is null || !customClient.LinkEnrols(request.Token!))
                {
                    return InvalidToken();
                }

                break;
            case RegistrationTokenKind.EnrolmentTicket:
                var ticket = await session.LoadAsync<EnrolmentTicket>(Secrets.HashToken(request.Token!), cancellation);
                customClient = ticket is { UsedAt: null } && now < ticket.ExpiresAt ? await session.LoadAsync<CustomClient>(ticket.CustomClientId, cancellation) : null;
                if (customClient is null || customClient.Deleted)
                {
                    return InvalidToken();
                }

                // Optimistic concurrency on the ticket: of two enrolments racing with one ticket, one gets a 409.
                ticket!.UsedAt = now;
                session.Update(ticket);
                break;
            default:
                return InvalidToken();
        }

        var aliasName = string.IsNullOrWhiteSpace(request.Alias) ? null : request.Alias.Trim().ToLowerInvariant();
        var alias = aliasName is null ? null : $"{aliasName}{customClient?.AliasSuffix}@{slug}";
        var aliasTaken = alias is not null && await session.Query<Client>().AnyAsync(c => c.Alias == alias && c.Status == ClientStatus.Active, cancellation);

        var clientId = Guid.CreateVersion7();
        var number = await NewClientNumber(session, cancellation);
        var credential = AgentAuthentication.NewCredential(slug, clientId);
        var actor = Actor.System("enrolment");
        var decision = ClientDecider.Enroll(
            new EnrollClient(clientId, organization.Id, slug, number, request.PublicKey!, Secrets.HashToken(credential), aliasName, customClient?.AliasSuffix,
                customClient?.Id, request.Hostname),
            aliasTaken, actor, now);
        if (decision.Refusal is { } refusal)
        {
            return Problems.From(refusal).ToResult();
        }

        var preset = customClient?.Preset ?? organization.ClientDefaults;
        var source = customClient is null ? "organization-defaults" : $"custom-client:{customClient.Name}";
        session.RecordAs(actor, $"enrolment ({source})", http);
        // The deployment-wide registry makes the 9-digit number unique; two enrolments drawing the same free number at the
        // same instant (about 1 in 900 million) leaves one of them a 409 to retry.
        session.Insert(new ClientNumberRegistration { Id = number, OrganizationSlug = slug, ClientId = clientId });
        session.Events.StartStream<Client>(clientId, [.. decision.Events, new ClientPresetApplied(clientId, preset, source, now)]);
        await session.SaveChangesAsync(cancellation);

        var enrolled = (ClientEnrolled)decision.Events[0];
        return Results.Ok(new EnrollResponse(clientId, number.ToString(System.Globalization.CultureInfo.InvariantCulture), slug, enrolled.Alias, credential,
            organization.SigningKey!.PublicKey, enrolled.KeyFingerprint));
    }

    /// <summary>
    /// A random 9-digit number no client has yet. Taken numbers are drawn again: among 10,000 clients a fresh draw is
    /// taken once in 90,000 enrolments, so a fleet's rollout meets it, and the agent must not get a 409 for our choice.
    /// </summary>
    private static async Task<long> NewClientNumber(IDocumentSession session, CancellationToken cancellation)
    {
        while (true)
        {
            long number = RandomNumberGenerator.GetInt32(100_000_000, 1_000_000_000);
            if (await session.LoadAsync<ClientNumberRegistration>(number, cancellation) is null)
            {
                return number;
            }
        }
    }

    private static IResult InvalidToken() => Results.Problem(
        statusCode: StatusCodes.Status401Unauthorized, title: "Enrolment refused.",
        detail: "The license key or registration token is not valid (wrong, reset or rotated).",
        extensions: new Dictionary<string, object?> { ["code"] = "enrolment.token_invalid" });
}

/// <summary>Deployment-wide registry of client numbers (single-tenanted): a number is unique across organizations.</summary>
public sealed class ClientNumberRegistration
{
    public long Id { get; set; }
    public string OrganizationSlug { get; set; } = "";
    public Guid ClientId { get; set; }
}
