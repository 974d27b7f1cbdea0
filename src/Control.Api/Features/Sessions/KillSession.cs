using Control.Api.Auth;
using Control.Api.Infrastructure;
using Control.Domain.Clients;
using Control.Domain.Common;
using Control.Domain.Contracts;
using Control.Domain.Sessions;
using FluentValidation;
using Marten;
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

    [Authorize(Policy = Policies.EndSessions)]
    [WolverinePost("/sessions/{id}/kill")]
    public static async Task<IResult> Post(
        Guid id, KillSessionRequest request, IDocumentSession session, TimeProvider clock, HttpContext http, CancellationToken cancellation)
    {
        var found = await session.LoadAsync<SessionSummary>(id, cancellation);
        if (found is null)
        {
            return Problems.NotFound("session").ToResult();
        }

        if (!found.Live)
        {
            return Problems.From(new Refusal(RefusalKind.Conflict, "session.not_live",
                found.ClosedAt is not null ? "The session has ended already." : "The session was never admitted; there is nothing to end.")).ToResult();
        }

        var stream = await session.Events.FetchForWriting<Client>(found.ClientId, cancellation);
        if (stream.Aggregate is null)
        {
            return Problems.NotFound("client").ToResult();
        }

        var actor = http.User.Actor();
        var decision = ClientDecider.Decide(new TerminateSession(id), stream.Aggregate, actor, clock.GetUtcNow());
        if (decision.Refusal is { } refusal)
        {
            return Problems.From(refusal).ToResult();
        }
        stream.AppendMany(decision.Events.ToArray());
        return Results.Ok(new KillSessionResponse(id, found.ClientId, (stream.StartingVersion ?? 0) + decision.Events.Count, decision.Events.Count > 0));
    }
}
