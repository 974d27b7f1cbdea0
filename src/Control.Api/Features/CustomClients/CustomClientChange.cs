using Control.Api.Auth;
using Control.Api.Infrastructure;
using Control.Domain.Common;
using Control.Domain.Contracts;
using Control.Domain.CustomClients;
using FluentValidation;
using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Control.Api.Features.CustomClients;

/// <summary>The body of one change to a custom client (one file per change in this folder).</summary>
public interface ICustomClientChangeRequest : IReasonedRequest;

public abstract class CustomClientChangeValidator<T> : AbstractValidator<T>
    where T : ICustomClientChangeRequest
{
    protected CustomClientChangeValidator() => RuleFor(x => x.Reason).Reason(ValidationRules.ReasonRequired);
}

/// <summary>The stream of the (not deleted) custom client the route's <c>{name}</c> names, for writing.</summary>
public sealed class CustomClientStreamAttribute() : WriteStreamAttribute(typeof(CustomClientStream), "name");

public static class CustomClientStream
{
    public static async Task<(IEventStream<CustomClient>? Stream, ProblemDetails Problem)> Load<TRequest>(
        IDocumentSession session, string key, TRequest request, CancellationToken cancellation)
    {
        var name = key.Trim().ToLowerInvariant();
        var target = await session.Query<CustomClient>().FirstOrDefaultAsync(c => c.Name == name && !c.Deleted, cancellation);
        return target is null
            ? (null, Problems.NotFound("custom client"))
            : (await session.FetchForWriting<CustomClient>(target.Id, request as IVersionedRequest, cancellation), WolverineContinue.NoProblems);
    }
}

/// <summary>Each change has its own route (<c>/custom-clients/{name}/rotate</c>, ...): any other action is a 400 that lists them.</summary>
public static class UnknownCustomClientActionEndpoint
{
    [Authorize(Policy = Policies.ManageClients)]
    [WolverinePost("/custom-clients/{name}/{action}")]
    public static IResult Post(string name, string action) => Problems.Field("action", "Actions: make-private, make-public, rotate, delete, ticket.").ToResult();
}

public static class CustomClientChange
{
    /// <summary>The decider rules on the change; its events (and the reveal of a new token, shown once) are appended.</summary>
    public static (IResult Result, bool Applied) Decide(
        IEventStream<CustomClient> stream, object command, Actor actor, DateTimeOffset now, string? token = null, DateTimeOffset? expiresAt = null)
    {
        var decision = CustomClientDecider.Decide(command, stream.Aggregate!, actor, now);
        if (decision.Refusal is { } refusal)
        {
            return (Problems.From(refusal).ToResult(), false);
        }

        stream.AppendMany(decision.Events.ToArray());
        if (token is not null)
        {
            stream.AppendOne(new SecretRevealed(stream.Id, SecretKind.CustomClientLink, actor, now));
        }

        var state = decision.Events.Aggregate(stream.Aggregate!, (current, e) => CustomClient.Evolve(current, e)!);
        var version = (stream.StartingVersion ?? 0) + decision.Events.Count + (token is null ? 0 : 1);
        return (Results.Ok(new CustomClientActionResponse(state.Id, state.Name, state.Public, state.Deleted, version, token, expiresAt)), true);
    }
}
