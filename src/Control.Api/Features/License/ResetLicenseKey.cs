using Control.Api.Auth;
using Control.Api.Features.Organizations;
using Control.Api.Infrastructure;
using Control.Domain.Common;
using Control.Domain.Contracts;
using Control.Domain.Organizations;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Control.Api.Features.License;

/// <summary>Replaces the license key: the old one enrols nothing from now on; the new one is shown once, to the caller.</summary>
public static class ResetLicenseKeyEndpoint
{
    [Authorize(Policy = Policies.ManageLicense)]
    [WolverinePost("/license/reset")]
    public static async Task<IResult> Post(ReasonRequest request, IDocumentSession session, TimeProvider clock, HttpContext http, CancellationToken cancellation)
    {
        if (string.IsNullOrWhiteSpace(request.Reason) || request.Reason.Length > ValidationRules.MaxReasonLength)
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["reason"] = ["A reason is required for every security change."] });
        }

        var organization = await session.Query<Organization>().SingleAsync(cancellation);
        var stream = await session.Events.FetchForWriting<Organization>(organization.Id, cancellation);
        var key = RegistrationTokens.New(RegistrationTokenKind.LicenseKey, organization.Slug);
        var actor = http.User.Actor();
        var now = clock.GetUtcNow();
        var decision = OrganizationDecider.Decide(new ResetLicenseKey(Secrets.HashToken(key)), organization, actor, now);
        stream.AppendMany([.. decision.Events, new SecretRevealed(organization.Id, SecretKind.LicenseKey, actor, now)]);
        return Results.Ok(new LicenseKeyResponse(key));
    }
}
