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
    [Authorize(Policy = Policies.ReadAccess)]
    [WolverineGet("/access/who-can-reach/{client}")]
    public static async Task<IResult> Get(string client, IQuerySession session, CancellationToken cancellation)
    {
        var target = await ClientLookup.Find(session, client, cancellation);
        if (target is null)
        {
            return Problems.NotFound("client").ToResult();
        }

        var state = await AccessState.Load(session, cancellation);
        var paths = state.Review().WhoCanReach(target).Select(p => AccessState.Dto(p, state.People)).ToList();
        return Results.Ok(new WhoCanReachResponse(
            target.Id, AccessReview.Label(target), target.AclEnabled, target.AclEntries.Concat(state.Organization.AclEntries).Distinct().ToList(), paths));
    }
}

public static class ReachableByEndpoint
{
    [Authorize(Policy = Policies.ReadAccess)]
    [WolverineGet("/access/reachable-by/{person}")]
    public static async Task<IResult> Get(string person, IQuerySession session, CancellationToken cancellation)
    {
        var target = await PersonLookup.Find(session, person, cancellation);
        if (target is null)
        {
            return Problems.NotFound("person").ToResult();
        }

        return Results.Ok((await AccessState.Load(session, cancellation)).ReachableBy(target));
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
