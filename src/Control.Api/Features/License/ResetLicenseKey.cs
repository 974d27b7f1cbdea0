using Control.Api.Auth;
using Control.Api.Features.Organizations;
using Control.Api.Infrastructure;
using Control.Domain.Common;
using Control.Domain.Contracts;
using Control.Domain.Organizations;
using FluentValidation;
using JasperFx.Events;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Control.Api.Features.License;

public sealed record ResetLicenseKeyRequest(string? Reason) : IReasonedRequest;

/// <summary>Replaces the license key: the old one enrols nothing from now on; the new one is shown once, to the caller.</summary>
public static class ResetLicenseKeyEndpoint
{
    public sealed class Validator : AbstractValidator<ResetLicenseKeyRequest>
    {
        public Validator() => RuleFor(x => x.Reason).Reason(ValidationRules.ReasonRequired);
    }

    [Authorize(Policy = Policies.ManageLicense)]
    [WolverinePost("/license/reset")]
    public static IResult Post(ResetLicenseKeyRequest request, [OrganizationStream] IEventStream<Organization> stream, TimeProvider clock, HttpContext http)
    {
        var organization = stream.Aggregate!;
        var key = RegistrationTokens.New(RegistrationTokenKind.LicenseKey, organization.Slug);
        var actor = http.User.Actor();
        var now = clock.GetUtcNow();
        var decision = OrganizationDecider.Decide(new ResetLicenseKey(Secrets.HashToken(key)), organization, actor, now);
        stream.AppendMany([.. decision.Events, new SecretRevealed(organization.Id, SecretKind.LicenseKey, actor, now)]);
        return Results.Ok(new LicenseKeyResponse(key));
    }
}
