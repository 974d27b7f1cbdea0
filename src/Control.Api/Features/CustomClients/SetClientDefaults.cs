using Control.Api.Auth;
using Control.Api.Features.Organizations;
using Control.Api.Infrastructure;
using Control.Domain.Contracts;
using Control.Domain.CustomClients;
using Control.Domain.Organizations;
using FluentValidation;
using JasperFx.Events;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Control.Api.Features.CustomClients;

/// <summary>The settings every client enrolled with the license key starts with (organization-wide defaults).</summary>
public static class SetClientDefaultsEndpoint
{
    public sealed class Validator : AbstractValidator<ClientDefaultsRequest>
    {
        public Validator() =>
            RuleFor(x => x).Must(x => x.Defaults is not null && !string.IsNullOrWhiteSpace(x.Reason))
                .OverridePropertyName("defaults").WithMessage("The defaults and a reason are required.");
    }

    [Authorize(Policy = Policies.ManageClients)]
    [WolverinePost("/organization/client-defaults")]
    public static IResult Post(ClientDefaultsRequest request, [OrganizationStream] IEventStream<Organization> stream, HttpContext http, TimeProvider clock)
    {
        var preset = Presets.From(request.Defaults!);
        if (CustomClientDecider.PresetProblem(preset)?.Refusal is { } refusal)
        {
            return Problems.From(refusal).ToResult();
        }

        stream.AppendOne(new OrganizationClientDefaultsSet(stream.Id, preset, http.User.Actor(), clock.GetUtcNow()));
        return Results.Ok(Presets.ToDto(preset));
    }
}
