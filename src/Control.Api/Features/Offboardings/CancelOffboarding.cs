using Control.Api.Auth;
using Control.Api.Infrastructure;
using Control.Domain.Contracts;
using Control.Domain.Offboarding;
using Control.Domain.People;
using FluentValidation;
using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Control.Api.Features.Offboardings;

public sealed record CancelOffboardingRequest(string? Reason) : IReasonedRequest;

/// <summary>
/// Cancels a scheduled offboarding (or one awaiting approval); the person is active again. Once its first step has begun
/// it runs to the end (the decider's rule).
/// </summary>
public static class CancelOffboardingEndpoint
{
    public sealed class Validator : AbstractValidator<CancelOffboardingRequest>
    {
        public Validator() => RuleFor(x => x.Reason).Reason("A reason is required.");
    }

    [Authorize(Policy = Policies.Offboard)]
    [WolverinePost("/offboardings/{id}/cancel")]
    public static async Task<IResult> Post(
        CancelOffboardingRequest request, [OffboardingStream] IEventStream<Offboarding> stream, IDocumentSession session, TimeProvider clock, HttpContext http,
        CancellationToken cancellation)
    {
        var actor = http.User.Actor();
        var now = clock.GetUtcNow();
        var decision = OffboardingDecider.Cancel(stream.Aggregate!, actor, now);
        if (decision.Refusal is { } refusal)
        {
            return Problems.From(refusal).ToResult();
        }

        var cancelled = OffboardingStream.Append(session, stream, decision);
        // The person's stream is the second one this cancellation writes: not the route's, so loaded here.
        var person = await session.Events.FetchForWriting<Person>(cancelled.PersonId, cancellation);
        person.AppendMany(PersonDecider.Decide(new Domain.People.CancelOffboarding(stream.Id), person.Aggregate!, actor, now).Events.ToArray());
        return Results.Ok(OffboardingViews.Response(cancelled, []));
    }
}
