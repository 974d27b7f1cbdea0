using Control.Api.Auth;
using Control.Api.Hosting;
using Control.Api.Infrastructure;
using Control.Domain.Common;
using Control.Domain.Contracts;
using Control.Domain.Operators;
using Control.Domain.Organizations;
using Control.Domain.Security;
using FluentValidation;
using JasperFx;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Wolverine.Http;

namespace Control.Api.Features.Viewers;

/// <summary>
/// A signed-in operator gets a short-lived viewer certificate for a key their viewer holds: <c>username@namespace</c>,
/// signed by the organization's viewer CA, which every client's policy carries. Agents accept it until it expires or
/// the organization revokes it (operator disabled, password or second factor reset).
/// </summary>
public static class IssueViewerCertificateEndpoint
{
    public const string Reason = "viewer sign-in";

    public sealed class Validator : AbstractValidator<ViewerCertificateRequest>
    {
        public Validator()
        {
            RuleFor(x => x.PublicKey).NotEmpty().WithMessage("The viewer's public key is required.")
                .Must(PolicySignature.IsP256PublicKey).WithMessage("The public key must be an ECDSA P-256 key in SubjectPublicKeyInfo form, base64.");
        }
    }

    // Rate-limited like sign-in: each certificate is a signature with the CA's key and an event.
    [Authorize(Policy = Policies.AnyOperator)]
    [EnableRateLimiting(RateLimits.SignIn)]
    [WolverinePost("/me/viewer-certificate")]
    public static async Task<IResult> Post(
        ViewerCertificateRequest request, IDocumentStore store, ViewerCertificateAuthority authority, IOptions<ControlOptions> options,
        TimeProvider clock, HttpContext http, CancellationToken cancellation)
    {
        var tenant = http.User.OrganizationSlug();
        var actor = http.User.Actor();

        // A viewer may ask for several certificates at once (parallel connects): each is appended at the operator
        // stream's version it read, so one that raced with a disable or a reset is re-decided on the new state (and
        // refused) instead of slipping past the revocation; one that raced with another issuance simply tries again.
        for (var attempt = 0; ; attempt++)
        {
            await using var session = store.LightweightSession(tenant);
            var stream = await session.Events.FetchForWriting<Operator>(http.User.OperatorId(), cancellation);
            if (stream.Aggregate is not { } account)
            {
                return Problems.NotFound("operator").ToResult();
            }

            // An offboarding released this alias: no certificate names it again (a wildcard such as *@acme then matches no one
            // holding it), even if the account were re-enabled; a returning person gets a new account.
            if (await session.Query<Domain.People.Person>().AnyAsync(p => p.ReleasedAliases.Contains(account.QualifiedName), cancellation))
            {
                return Problems.From(new Domain.Common.Refusal(Domain.Common.RefusalKind.Forbidden, "viewer.alias_released",
                    $"The alias {account.QualifiedName} was released by an offboarding; it gets no viewer certificate.")).ToResult();
            }

            var now = clock.GetUtcNow();
            var organization = await EnsureViewerCa(store, authority, tenant, account.OrganizationId, actor, http, now, cancellation);
            if (organization is null)
            {
                return Problems.NotFound("organization").ToResult();
            }

            using var certificate = authority.Issue(organization, account.Username, request.PublicKey!, now, options.Value.ViewerCertificateLifetime);
            var notAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);
            var decision = OperatorDecider.Decide(
                new IssueViewerCertificate(certificate.SerialNumber, PolicySignature.Fingerprint(request.PublicKey!), notAfter, TokenStamp(http)),
                account, actor, now);
            if (decision.Refusal is { } refusal)
            {
                return Problems.From(refusal).ToResult();
            }

            session.RecordAs(actor, Reason, http);
            stream.AppendMany(decision.Events.ToArray());
            try
            {
                await session.SaveChangesAsync(cancellation);
            }
            catch (Exception e) when (attempt < MaxAttempts && IsConcurrencyConflict(e))
            {
                continue;
            }

            return Results.Ok(new ViewerCertificateResponse(
                account.QualifiedName, certificate.SerialNumber, Convert.ToBase64String(certificate.RawData), organization.ViewerCa!.Certificate, notAfter));
        }
    }

    private const int MaxAttempts = 5;

    // The stamp claim was validated on the way in (SecurityStampCheck); -1 never matches an account.
    private static int TokenStamp(HttpContext http) =>
        int.TryParse(http.User.FindFirst(ControlClaims.SecurityStamp)?.Value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var stamp)
            ? stamp
            : -1;

    private static bool IsConcurrencyConflict(Exception e) => e is ConcurrencyException or JasperFx.Events.EventStreamUnexpectedMaxEventIdException;

    /// <summary>
    /// The organization with its viewer CA; an organization founded before viewer certificates existed gets one now, in its
    /// own transaction. Two first requests at once both try; the stream's optimistic concurrency lets one win and the
    /// other reads the winner's CA.
    /// </summary>
    private static async Task<Organization?> EnsureViewerCa(
        IDocumentStore store, ViewerCertificateAuthority authority, string tenant, Guid organizationId, Actor actor, HttpContext http,
        DateTimeOffset now, CancellationToken cancellation)
    {
        for (var attempt = 0; ; attempt++)
        {
            await using var session = store.LightweightSession(tenant);
            var stream = await session.Events.FetchForWriting<Organization>(organizationId, cancellation);
            if (stream.Aggregate is not { } organization || organization.ViewerCa is not null)
            {
                return stream.Aggregate;
            }

            var decision = OrganizationDecider.Decide(new CreateViewerCa(authority.NewCa(organization.Id, organization.Slug, now)), organization, now);
            session.RecordAs(actor, "viewer CA created on the first viewer certificate request", http);
            stream.AppendMany(decision.Events.ToArray());
            try
            {
                await session.SaveChangesAsync(cancellation);
                return decision.Events.Aggregate(organization, (state, e) => Organization.Evolve(state, e)!);
            }
            catch (Exception e) when (attempt < MaxAttempts && IsConcurrencyConflict(e))
            {
                // Another request created it (or changed the organization) meanwhile: read again.
            }
        }
    }
}
