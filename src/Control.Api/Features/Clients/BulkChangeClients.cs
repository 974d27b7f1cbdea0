using Control.Api.Auth;
using Control.Api.Infrastructure;
using Control.Domain.Clients;
using Control.Domain.Contracts;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Control.Api.Features.Clients;

/// <summary>
/// Applies one change to every active client carrying a tag: one event per affected client, all under one correlation
/// id, in one transaction (all or nothing). Clients for which the change is already true are left alone.
/// </summary>
public static class BulkChangeClientsEndpoint
{
    public const int MaxClients = 5000;

    [Authorize(Policy = Policies.ManageClients)]
    [WolverinePost("/clients/bulk/{action}")]
    public static async Task<IResult> Post(
        string action, ClientChangeRequest request, IDocumentSession session, ClientChanges changes, TimeProvider clock, HttpContext http,
        CancellationToken cancellation)
    {
        var errors = changes.Validate(action, request);
        var tag = request?.Tag?.Trim().ToLowerInvariant();
        if (tag is null || !ClientDecider.TagPattern().IsMatch(tag))
        {
            errors["tag"] = ["Select the clients with a tag (e.g. --where tag=kiosk)."];
        }

        if (action is "unattended-password" && request?.Password is not null)
        {
            errors["password"] = ["A bulk rotation generates a different password per client; do not supply one."];
        }

        if (errors.Count > 0)
        {
            return Results.ValidationProblem(errors, title: "The request is not valid.");
        }

        var targets = await session.Query<Client>().Where(c => c.Status == ClientStatus.Active && c.Tags.Contains(tag!)).Take(MaxClients + 1).ToListAsync(cancellation);
        if (targets.Count > MaxClients)
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["tag"] = [$"More than {MaxClients} clients match; narrow the selection."] });
        }

        var actor = http.User.Actor();
        var now = clock.GetUtcNow();
        var results = new List<ClientChangeResponse>();
        foreach (var client in targets)
        {
            var stream = await session.Events.FetchForWriting<Client>(client.Id, cancellation);
            var (changed, refusal) = changes.Apply(stream, action, request!, actor, now);
            if (refusal is not null)
            {
                return Problems.From(refusal with { Message = $"{client.Alias ?? client.NumberText}: {refusal.Message}" }).ToResult();
            }

            results.Add(changed!);
        }

        return Results.Ok(new BulkChangeResponse(session.CorrelationId!, results));
    }
}
