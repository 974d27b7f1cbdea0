using Control.Api.Infrastructure;
using Control.Domain.Clients;
using Control.Domain.Common;
using Control.Domain.Contracts;
using FluentValidation;
using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Control.Api.Features.Clients;

/// <summary>The body of one change to one client (one file per change in this folder, e.g. <see cref="EnableAclEndpoint"/>).</summary>
public interface IClientChangeRequest : IReasonedRequest, IVersionedRequest
{
    ClientChangeCommand ToCommand();
}

/// <param name="RevealedPassword">A password the server generated for the command, shown once to the caller.</param>
public sealed record ClientChangeCommand(ClientCommand Command, string? RevealedPassword = null)
{
    public static implicit operator ClientChangeCommand(ClientCommand command) => new(command);
}

/// <summary>Every client change says why, and names the version it was made at, if any.</summary>
public abstract class ClientChangeValidator<T> : AbstractValidator<T>
    where T : IClientChangeRequest
{
    protected ClientChangeValidator()
    {
        RuleFor(x => x.Reason).Reason($"A reason (at most {ValidationRules.MaxReasonLength} characters) is required for every security change.");
        RuleFor(x => x.ExpectedVersion).ExpectedVersion();
    }
}

/// <summary>The stream of the client the route's <c>{client}</c> names (id, 9-digit number or alias), for writing.</summary>
public sealed class ClientStreamAttribute() : WriteStreamAttribute(typeof(ClientStream), "client");

public static class ClientStream
{
    public static async Task<(IEventStream<Client>? Stream, ProblemDetails Problem)> Load<TRequest>(
        IDocumentSession session, string key, TRequest request, CancellationToken cancellation)
    {
        var client = await ClientLookup.Find(session, key, cancellation);
        return client is null
            ? (null, Problems.NotFound("client"))
            : (await session.FetchForWriting<Client>(client.Id, request as IVersionedRequest, cancellation), WolverineContinue.NoProblems);
    }
}

public static class ClientChange
{
    /// <summary>The decider rules on the change; its events (and the reveal of a generated password) are appended.</summary>
    public static IResult Decide(IEventStream<Client> stream, ClientChangeCommand command, Actor actor, DateTimeOffset now)
    {
        var (changed, refusal) = Apply(stream, command, actor, now);
        return refusal is null ? Results.Ok(changed) : Problems.From(refusal).ToResult();
    }

    public static (ClientChangeResponse? Changed, Refusal? Refusal) Apply(IEventStream<Client> stream, ClientChangeCommand command, Actor actor, DateTimeOffset now)
    {
        var client = stream.Aggregate!;
        var decision = ClientDecider.Decide(command.Command, client, actor, now);
        if (decision.Refusal is { } refusal)
        {
            return (null, refusal);
        }

        stream.AppendMany(decision.Events.ToArray());
        if (command.RevealedPassword is not null)
        {
            stream.AppendOne(new SecretRevealed(client.Id, SecretKind.UnattendedPassword, actor, now));
        }

        var version = (stream.StartingVersion ?? 0) + decision.Events.Count + (command.RevealedPassword is null ? 0 : 1);
        return (new ClientChangeResponse(client.Id, client.NumberText, version, decision.Events.Count > 0, command.RevealedPassword), null);
    }
}
