using Control.Api.Auth;
using Control.Api.Infrastructure;
using Control.Domain.Common;
using Control.Domain.Contracts;
using Control.Domain.Operators;
using FluentValidation;
using Marten;
using JasperFx.Events;
using Microsoft.AspNetCore.Mvc;

namespace Control.Api.Features.Operators;

/// <summary>
/// The common path of an admin action on an operator: load the stream at the version the caller saw (a stale
/// version is a 409), let the decider rule, record actor/reason/correlation, append.
/// </summary>
public static class OperatorAction
{
    public sealed class Validator : AbstractValidator<OperatorActionRequest>
    {
        public Validator()
        {
            RuleFor(x => x.Reason).Reason();
            RuleFor(x => x.ExpectedVersion).GreaterThan(0).When(x => x.ExpectedVersion is not null)
                .WithMessage("The expected version is the positive version number you read.");
        }
    }

    public static async Task<(IEventStream<Operator>? Stream, IResult? Problem)> Load(
        IDocumentSession session, Guid id, OperatorActionRequest request, CancellationToken cancellation)
    {
        var stream = request.ExpectedVersion is { } expected
            ? await session.Events.FetchForWriting<Operator>(id, expected, cancellation)
            : await session.Events.FetchForWriting<Operator>(id, cancellation);
        return stream.Aggregate is null ? (null, Problems.NotFound("operator").ToResult()) : (stream, null);
    }

    public static IResult Apply(
        IDocumentSession session, IEventStream<Operator> stream, Decision decision, OperatorActionRequest request, HttpContext http,
        Func<Operator, long, object>? response = null)
    {
        if (decision.Refusal is { } refusal)
        {
            return Problems.From(refusal).ToResult();
        }
        stream.AppendMany(decision.Events.ToArray());
        var state = decision.Events.Aggregate(stream.Aggregate!, (current, e) => Operator.Evolve(current, e)!);
        var version = (stream.StartingVersion ?? 0) + decision.Events.Count;
        return Results.Ok(response?.Invoke(state, version)
            ?? new OperatorActionResponse(state.Id, state.Status.ToString().ToLowerInvariant(), version, decision.Events.Count > 0));
    }
}
