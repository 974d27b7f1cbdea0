using Control.Api.Auth;
using Control.Api.Infrastructure;
using Control.Domain.Contracts;
using Control.Domain.Organizations;
using FluentValidation;
using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Control.Api.Features.Organizations;

/// <summary><c>GET /organization/session-settings</c>: whether sessions need a justification and whether shells are recorded.</summary>
public static class GetSessionSettingsEndpoint
{
    [Authorize(Policy = Policies.AnyOperator)]
    [WolverineGet("/organization/session-settings")]
    public static async Task<SessionSettingsView> Get(IQuerySession session, CancellationToken cancellation)
    {
        var organization = await session.Query<Organization>().SingleAsync(cancellation);
        return View(organization.SessionSettings, organization.Version);
    }

    public static SessionSettingsView View(SessionSettings settings, long version) =>
        new(settings.RequireJustification, settings.RecordShellSessions, version);
}

/// <summary>
/// <c>PUT /organization/session-settings</c>: one change reaches every client's policy (every agent's long poll wakes).
/// </summary>
public static class ChangeSessionSettingsEndpoint
{
    public sealed class Validator : AbstractValidator<ChangeSessionSettingsRequest>
    {
        public Validator()
        {
            RuleFor(x => x.Reason).Reason();
            RuleFor(x => x.ExpectedVersion).ExpectedVersion();
            RuleFor(x => x).Must(x => x.RequireJustification is not null || x.RecordShellSessions is not null)
                .OverridePropertyName("settings").WithMessage("Give requireJustification, recordShellSessions or both (true or false).");
        }
    }

    [Authorize(Policy = Policies.ManageSessionSettings)]
    [WolverinePut("/organization/session-settings")]
    public static IResult Put(
        ChangeSessionSettingsRequest request, [OrganizationStream] IEventStream<Organization> stream, TimeProvider clock, HttpContext http)
    {
        var decision = OrganizationDecider.Decide(
            new ChangeSessionSettings(request.RequireJustification, request.RecordShellSessions), stream.Aggregate!, http.User.Actor(), clock.GetUtcNow());
        if (decision.Refusal is { } refusal)
        {
            return Problems.From(refusal).ToResult();
        }

        var (state, version) = stream.Append(decision, Organization.Evolve);
        return Results.Ok(new SessionSettingsChangeResponse(GetSessionSettingsEndpoint.View(state.SessionSettings, version), decision.Events.Count > 0));
    }
}
