using Control.Api.Auth;
using Control.Api.Infrastructure;
using Control.Domain.Contracts;
using Control.Domain.People;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Control.Api.Features.People;

public static class ListPeopleEndpoint
{
    [Authorize(Policy = Policies.ReadPeople)]
    [WolverineGet("/people")]
    public static async Task<IReadOnlyList<PersonResponse>> Get(IQuerySession session, CancellationToken cancellation)
    {
        var people = await session.Query<Person>().OrderBy(p => p.Name).ToListAsync(cancellation);
        return people.Select(PersonLookup.Response).ToList();
    }
}

public static class GetPersonEndpoint
{
    [Authorize(Policy = Policies.ReadPeople)]
    [WolverineGet("/people/{key}")]
    public static async Task<IResult> Get(string key, IQuerySession session, CancellationToken cancellation) =>
        await PersonLookup.Find(session, key, cancellation) is { } person
            ? Results.Ok(PersonLookup.Response(person))
            : Problems.NotFound("person").ToResult();
}
