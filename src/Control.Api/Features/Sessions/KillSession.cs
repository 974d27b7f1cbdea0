using Control.Api.Auth;
using Control.Api.Infrastructure;
using Control.Domain.Clients;
using Control.Domain.Common;
using Control.Domain.Contracts;
using Control.Domain.Sessions;
using FluentValidation;
using Marten;
using JasperFx.Events;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Control.Api.Features.Sessions;

/// <summary>
/// <c>POST /sessions/{id}/kill</c>: an operator ends a live session. The fact goes on the session's client stream
/// (<see cref="ClientSessionTerminated"/>, reason and correlation in the audit metadata), so the next policy lists the
/// session and the agent ends it as soon as it has that policy; its SessionClosed then says "operator".
/// </summary>
public static class KillSessionEndpoint
{
    public sealed class Validator : AbstractValidator<KillSessionRequest>
    {
        public Validator() => RuleFor(x => x.Reason).Reason();
    }

    /// <summary>The live session's client stream: the fact that an operator ended it goes there.</summary>
    public static async Task<(IEventStream<Client>? Stream, ProblemDetails Problem)> Load(Guid id, IDocumentSession session, CancellationToken cancellation)
    {
        var found = await session.LoadAsync<SessionSummary>(id, cancellation);
        if (found is null)
        {
            return (null, Problems.NotFound("session"));
        }

        if (!found.Live)
        {
            return (null, Problems.From(new Refusal(RefusalKind.Conflict, "session.not_live",
                found.ClosedAt is not null ? "The session has ended already." : "The session was never admitted; there is nothing to end.")));
        }

        var stream = await session.Events.FetchForWriting<Client>(found.ClientId, cancellation);
        return stream.Aggregate is null ? (null, Problems.NotFound("client")) : (stream, WolverineContinue.NoProblems);
    }

    [Authorize(Policy = Policies.EndSessions)]
    [WolverinePost("/sessions/{id}/kill")]
    public static IResult Post(Guid id, KillSessionRequest request, IEventStream<Client> stream, TimeProvider clock, HttpContext http)
    {
        var decision = ClientDecider.Decide(new TerminateSession(id), stream.Aggregate!, http.User.Actor(), clock.GetUtcNow());
        if (decision.Refusal is { } refusal)
        {
            return Problems.From(refusal).ToResult();
        }

        var (_, version) = stream.Append(decision, Client.Evolve);
        return Results.Ok(new KillSessionResponse(id, stream.Id, version, decision.Events.Count > 0));
    }
}
