using Control.Api.Auth;
using Control.Api.Features.Clients;
using Control.Api.Infrastructure;
using Control.Domain.Access;
using Control.Domain.Contracts;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Control.Api.Features.Access;

/// <summary>
/// A client's ACL history as a diff list, oldest first: each change with who made it, why, its correlation, and what it
/// added, removed or switched, including the organization-wide entries' changes (marked) while the client was enrolled.
/// </summary>
public static class GetAclHistoryEndpoint
{
    [Authorize(Policy = Policies.ReadAudit)]
    [WolverineGet("/clients/{client}/acl/history")]
    public static async Task<IResult> Get(string client, IQuerySession session, AccessEventLog log, CancellationToken cancellation)
    {
        var target = await ClientLookup.Find(session, client, cancellation);
        if (target is null)
        {
            return Problems.NotFound("client").ToResult();
        }

        var envelopes = await log.ClientAndOrganization(session.TenantId, target.Id, cancellation);
        var bySequence = envelopes.ToDictionary(e => e.Event.Sequence);
        var changes = AclHistory.Of(target.Id, envelopes.Select(e => e.Event)).Select(change =>
        {
            var envelope = bySequence[change.Event.Sequence];
            return new AclHistoryEntry(
                change.Event.Sequence, change.Event.Timestamp, envelope.Actor, envelope.Reason, envelope.Correlation, envelope.TypeName,
                change.OrganizationWide, change.Added, change.Removed, change.AclEnabled);
        }).ToList();
        return Results.Ok(new AclHistoryResponse(target.Id, AccessReview.Label(target), changes));
    }
}
