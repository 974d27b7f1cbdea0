using Control.Api.Auth;
using Control.Api.Features.Receipts;
using Control.Api.Infrastructure;
using Control.Domain.Clients;
using Control.Domain.Contracts;
using Control.Domain.Organizations;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Control.Api.Features.Clients;

/// <summary>The address book (Clients tab): every client of the organization with its policy and liveness.</summary>
public static class ListClientsEndpoint
{
    [Authorize(Policy = Policies.ReadClients)]
    [WolverineGet("/clients")]
    public static async Task<IReadOnlyList<ClientSummary>> Get(
        IQuerySession session, PresenceTracker presenceTracker, TimeProvider clock, CancellationToken cancellation, string? tag = null, bool removed = false)
    {
        var query = session.Query<Client>().Where(c => removed || c.Status == ClientStatus.Active);
        if (!string.IsNullOrWhiteSpace(tag))
        {
            var normalized = tag.Trim().ToLowerInvariant();
            query = query.Where(c => c.Tags.Contains(normalized));
        }

        var clients = await query.OrderBy(c => c.Number).ToListAsync(cancellation);
        var organization = await session.Query<Organization>().SingleAsync(cancellation);
        var presence = (await session.LoadManyAsync<ClientPresence>(cancellation, clients.Select(c => c.Id))).ToDictionary(p => p.Id);
        var now = clock.GetUtcNow();
        return clients.Select(c => ClientLookup.Summary(
            c, organization, presence.GetValueOrDefault(c.Id), presenceTracker.UnwrittenSeen(session.TenantId, c.Id), now)).ToList();
    }
}

public static class GetClientEndpoint
{
    [Authorize(Policy = Policies.ReadClients)]
    [WolverineGet("/clients/{client}")]
    public static async Task<IResult> Get(string client, IQuerySession session, PresenceTracker presenceTracker, TimeProvider clock, CancellationToken cancellation)
    {
        var found = await ClientLookup.Find(session, client, cancellation);
        if (found is null)
        {
            return Problems.NotFound("client").ToResult();
        }

        var organization = await session.Query<Organization>().SingleAsync(cancellation);
        var presence = await session.LoadAsync<ClientPresence>(found.Id, cancellation);
        return Results.Ok(ClientLookup.Detail(found, organization, presence, presenceTracker.UnwrittenSeen(session.TenantId, found.Id), clock.GetUtcNow()));
    }
}
