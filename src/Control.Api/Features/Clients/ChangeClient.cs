using Control.Api.Auth;
using Control.Api.Infrastructure;
using Control.Domain.Clients;
using Control.Domain.Contracts;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Control.Api.Features.Clients;

/// <summary>Changes one client's security settings (see <see cref="ClientChanges.Actions"/>); each change is an event.</summary>
public static class ChangeClientEndpoint
{
    [Authorize(Policy = Policies.ManageClients)]
    [WolverinePost("/clients/{client}/{action}")]
    public static async Task<IResult> Post(
        string client, string action, ClientChangeRequest request, IDocumentSession session, ClientChanges changes, TimeProvider clock,
        HttpContext http, CancellationToken cancellation)
    {
        var errors = changes.Validate(action, request);
        if (errors.Count > 0)
        {
            return Results.ValidationProblem(errors, title: "The request is not valid.");
        }

        var target = await ClientLookup.Find(session, client, cancellation);
        if (target is null)
        {
            return Problems.NotFound("client").ToResult();
        }

        var stream = request.ExpectedVersion is { } expected
            ? await session.Events.FetchForWriting<Client>(target.Id, expected, cancellation)
            : await session.Events.FetchForWriting<Client>(target.Id, cancellation);
        var actor = http.User.Actor();
        var (changed, refusal) = changes.Apply(stream, action, request, actor, clock.GetUtcNow());
        return refusal is null ? Results.Ok(changed) : Problems.From(refusal).ToResult();
    }
}
