using Control.Api.Infrastructure;
using Control.Domain.Common;
using Control.Domain.People;
using FluentValidation;
using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Control.Api.Features.People;

/// <summary>The stream of the person the route's <c>{key}</c> names (id, e-mail or unique name), for writing.</summary>
public sealed class PersonStreamAttribute() : WriteStreamAttribute(typeof(PersonStream), "key");

public static class PersonStream
{
    public static async Task<(IEventStream<Person>? Stream, ProblemDetails Problem)> Load(IDocumentSession session, string key, CancellationToken cancellation)
    {
        var person = await PersonLookup.Find(session, key, cancellation);
        return person is null
            ? (null, Problems.NotFound("person"))
            : (await session.Events.FetchForWriting<Person>(person.Id, cancellation), WolverineContinue.NoProblems);
    }

    /// <summary>The decider rules on the change to the person; its events are appended and the person after them returned.</summary>
    public static IResult Decide(IEventStream<Person> stream, object command, Actor actor, DateTimeOffset now)
    {
        var decision = PersonDecider.Decide(command, stream.Aggregate!, actor, now);
        if (decision.Refusal is { } refusal)
        {
            return Problems.From(refusal).ToResult();
        }

        var (state, version) = stream.Append(decision, Person.Evolve);
        state.Version = version;
        return Results.Ok(PersonLookup.Response(state));
    }

    /// <summary>Every change of an HR record says why.</summary>
    public static IRuleBuilderOptions<T, string?> PersonChangeReason<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Reason("A reason is required for every change of an HR record.");
}
