using Control.Api.Auth;
using Control.Api.Features.Agents;
using Control.Api.Features.Receipts;
using Control.Api.Features.Clients;
using Control.Api.Infrastructure;
using Control.Domain.Clients;
using Control.Domain.Contracts;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Control.Api.Features.ClientDirectory;

/// <summary>
/// Where a client accepts sessions and which key the viewer must pin: <c>target</c> is an alias (<c>name@namespace</c>,
/// or <c>name</c> in the caller's namespace), a 9-digit client number or the client id.
/// </summary>
public static class GetDirectoryEntryEndpoint
{
    [Authorize(Policy = Policies.UseDirectory)]
    [WolverineGet("/directory/{target}")]
    public static async Task<IResult> Get(string target, IQuerySession session, PresenceTracker presenceTracker, TimeProvider clock, CancellationToken cancellation)
    {
        // Conjoined tenancy: another organization's client is simply not found here.
        var client = await ClientLookup.Find(session, target, cancellation);
        if (client is null || client.Status == ClientStatus.Removed)
        {
            return Problems.NotFound("client").ToResult();
        }

        var endpoint = await session.LoadAsync<AgentEndpoint>(client.Id, cancellation);
        if (endpoint is null)
        {
            return new ProblemDetails
            {
                Status = StatusCodes.Status404NotFound,
                Title = "No session endpoint.",
                Detail = $"client {client.Alias ?? client.NumberText} has not registered a session endpoint; is control-agent run --listen running?",
                Type = "https://control.invalid/problems/directory/no-endpoint",
                Extensions = { ["code"] = "directory.no_endpoint" },
            }.ToResult();
        }

        var presence = await session.LoadAsync<ClientPresence>(client.Id, cancellation);
        var lastSeen = ClientPresence.LastSeen(presence, presenceTracker.UnwrittenSeen(session.TenantId, client.Id));
        var online = ClientPresence.IsOnline(lastSeen, clock.GetUtcNow());
        return Results.Ok(new DirectoryEntry(
            client.Id, client.NumberText, client.Alias, endpoint.Host, endpoint.Port, client.KeyFingerprint, online, lastSeen));
    }
}
