using Control.Api.Auth;
using Control.Api.Infrastructure;
using Control.Domain.Clients;
using Control.Domain.Common;
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
        var (command, generated) = changes.Command(action, request);
        var actor = http.User.Actor();
        var now = clock.GetUtcNow();
        var decision = ClientDecider.Decide(command, stream.Aggregate!, actor, now);
        if (decision.Refusal is { } refusal)
        {
            return Problems.From(refusal).ToResult();
        }

        session.RecordAs(actor, request.Reason, http);
        stream.AppendMany(decision.Events.ToArray());
        if (generated is not null)
        {
            stream.AppendOne(new SecretRevealed(target.Id, SecretKind.UnattendedPassword, actor, now));
        }

        var version = (stream.StartingVersion ?? 0) + decision.Events.Count + (generated is null ? 0 : 1);
        return Results.Ok(new ClientChangeResponse(target.Id, target.NumberText, version, decision.Events.Count > 0, generated));
    }
}
