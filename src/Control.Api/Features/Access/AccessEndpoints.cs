using Control.Api.Auth;
using Control.Api.Features.Clients;
using Control.Api.Features.People;
using Control.Api.Infrastructure;
using Control.Domain.Access;
using Control.Domain.Contracts;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Control.Api.Features.Access;

public static class WhoCanReachEndpoint
{
    /// <param name="at">Answer as of this time, replayed from the events up to it; now when absent.</param>
    [Authorize(Policy = Policies.ReadAccess)]
    [WolverineGet("/access/who-can-reach/{client}")]
    public static async Task<IResult> Get(
        string client, IQuerySession session, AccessEventLog log, TimeProvider clock, CancellationToken cancellation, DateTimeOffset? at = null)
    {
        if (AccessAsOf.Refuse(at, clock) is { } refused)
        {
            return refused.ToResult();
        }

        var target = await ClientLookup.Find(session, client, cancellation);
        if (target is null)
        {
            return Problems.NotFound("client").ToResult();
        }

        return Results.Ok(at is { } moment
            ? await AccessAsOf.WhoCanReach(log, session.TenantId, target, moment, cancellation)
            : (await AccessState.Load(session, cancellation)).WhoCanReach(target));
    }
}

public static class ReachableByEndpoint
{
    /// <param name="at">Answer as of this time, replayed from the events up to it; now when absent.</param>
    [Authorize(Policy = Policies.ReadAccess)]
    [WolverineGet("/access/reachable-by/{person}")]
    public static async Task<IResult> Get(
        string person, IQuerySession session, AccessEventLog log, TimeProvider clock, CancellationToken cancellation, DateTimeOffset? at = null)
    {
        if (AccessAsOf.Refuse(at, clock) is { } refused)
        {
            return refused.ToResult();
        }

        var target = await PersonLookup.Find(session, person, cancellation);
        if (target is null)
        {
            return Problems.NotFound("person").ToResult();
        }

        return Results.Ok(at is { } moment
            ? await AccessAsOf.ReachableBy(log, session.TenantId, target, moment, cancellation)
            : (await AccessState.Load(session, cancellation)).ReachableBy(target));
    }
}

public static class ExposureEndpoint
{
    [Authorize(Policy = Policies.ReadAccess)]
    [WolverineGet("/people/{key}/exposure")]
    public static async Task<IResult> Get(string key, IQuerySession session, CancellationToken cancellation)
    {
        var person = await PersonLookup.Find(session, key, cancellation);
        if (person is null)
        {
            return Problems.NotFound("person").ToResult();
        }

        var state = await AccessState.Load(session, cancellation);
        return Results.Ok(new ExposureResponse(person.Id, person.Name, state.Exposure(person)));
    }
}
