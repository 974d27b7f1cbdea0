using Control.Api.Auth;
using Control.Api.Infrastructure;
using Control.Domain.Common;
using Control.Domain.Contracts;
using Control.Domain.Operators;
using FluentValidation;
using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Control.Api.Features.Operators;

/// <summary>The stream of the operator the route's <c>{id}</c> names, for an admin's change at the version the request expects.</summary>
public sealed class OperatorStreamAttribute() : WriteStreamAttribute(typeof(OperatorStream), "id");

/// <summary>The signed-in operator's own stream, for a change they make to their own account.</summary>
public sealed class SignedInOperatorStreamAttribute() : WriteStreamAttribute(typeof(SignedInOperatorStream), route: null);

public static class OperatorStream
{
    public static async Task<(IEventStream<Operator>? Stream, ProblemDetails Problem)> Load<TRequest>(
        IDocumentSession session, Guid key, TRequest request, CancellationToken cancellation)
    {
        var stream = await session.FetchForWriting<Operator>(key, request as IVersionedRequest, cancellation);
        return stream.Aggregate is null ? (null, Problems.NotFound("operator")) : (stream, WolverineContinue.NoProblems);
    }
}

public static class SignedInOperatorStream
{
    public static Task<IEventStream<Operator>> Load(IDocumentSession session, HttpContext http, CancellationToken cancellation) =>
        session.Events.FetchForWriting<Operator>(http.User.OperatorId(), cancellation);
}

/// <summary>The common part of an admin's change to an operator: the reason and the version it was made at.</summary>
public static class OperatorAction
{
    public sealed class Validator : AbstractValidator<OperatorActionRequest>
    {
        public Validator()
        {
            RuleFor(x => x.Reason).Reason();
            RuleFor(x => x.ExpectedVersion).ExpectedVersion();
        }
    }

    /// <summary>Appends an accepted decision and answers with the account after it (or <paramref name="response"/>'s shape).</summary>
    public static IResult Apply(IEventStream<Operator> stream, Decision decision, Func<Operator, long, object>? response = null)
    {
        if (decision.Refusal is { } refusal)
        {
            return Problems.From(refusal).ToResult();
        }

        var (state, version) = stream.Append(decision, Operator.Evolve);
        return Results.Ok(response?.Invoke(state, version)
            ?? new OperatorActionResponse(state.Id, state.Status.ToString().ToLowerInvariant(), version, decision.Events.Count > 0));
    }
}
