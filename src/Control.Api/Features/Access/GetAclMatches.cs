using Control.Api.Auth;
using Control.Api.Infrastructure;
using Control.Domain.Access;
using Control.Domain.Clients;
using Control.Domain.Contracts;
using Control.Domain.Operators;
using Control.Domain.People;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Control.Api.Features.Access;

/// <summary>
/// <c>GET /acl/matches?entry=</c>: the known identities of the caller's organization (operators, people's linked
/// aliases and client numbers, enrolled clients) that an ACL entry or wildcard admits, matched by the domain's
/// <see cref="AclEntry.Matches"/> exactly as the agent matches. The ACL editor's live preview; it reads only.
/// </summary>
public static class GetAclMatchesEndpoint
{
    [Authorize(Policy = Policies.ManageClients)]
    [WolverineGet("/acl/matches")]
    public static async Task<IResult> Get(IQuerySession session, CancellationToken cancellation, string? entry = null)
    {
        if (!AclEntry.TryParse(entry, out var parsed, out var error))
        {
            return Problems.Field("entry", error).ToResult();
        }

        var operators = await session.Query<Operator>().ToListAsync(cancellation);
        var people = await session.Query<Person>().ToListAsync(cancellation);
        var clients = await session.Query<Client>().Where(c => c.Status == ClientStatus.Active).ToListAsync(cancellation);
        var matches = KnownIdentities.MatchedBy(parsed, operators, people, clients);
        return Results.Ok(new AclMatchesResponse(
            parsed.Value, KindName(parsed.Kind),
            matches.Take(AclMatchesLimits.MaxListed).Select(m => new AclIdentityMatch(m.Identity, m.KnownAs, m.People, m.OffboardedPeople)).ToList(),
            matches.Count));
    }

    private static string KindName(AclEntryKind kind) => kind switch
    {
        AclEntryKind.ClientNumber => "client-number",
        _ => kind.ToString().ToLowerInvariant(),
    };
}
