using Control.Api.Auth;
using Control.Domain.Contracts;
using Control.Domain.Operators;
using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Control.Api.Features.Operators;

/// <summary>Disables an operator: every token they hold dies on its next use, and their viewer certificates are revoked.</summary>
public static class DisableOperatorEndpoint
{
    [Authorize(Policy = Policies.ManageOperators)]
    [WolverinePost("/operators/{id}/disable")]
    public static async Task<IResult> Post(
        OperatorActionRequest request, [OperatorStream] IEventStream<Operator> stream, IDocumentSession session, TimeProvider clock, HttpContext http,
        CancellationToken cancellation)
    {
        var now = clock.GetUtcNow();
        var owners = await ActiveOwners.Count(session, [stream.Aggregate!], cancellation);
        var decision = OperatorDecider.Decide(new DisableOperator(owners), stream.Aggregate!, http.User.OperatorRole(), http.User.Actor(), now);
        await ViewerCertificateRevocation.Append(session, stream.Aggregate!, decision, http.User.Actor(), now, cancellation);
        return OperatorAction.Apply(stream, decision);
    }
}
