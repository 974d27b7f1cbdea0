using Control.Api.Auth;
using Control.Domain.Contracts;
using Control.Domain.Operators;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Control.Api.Features.Operators;

public static class DisableOperatorEndpoint
{

    [Authorize(Policy = Policies.ManageOperators)]
    [WolverinePost("/operators/{id}/disable")]
    public static async Task<IResult> Post(
        Guid id, OperatorActionRequest request, IDocumentSession session, TimeProvider clock, HttpContext http, CancellationToken cancellation)
    {
        var (stream, problem) = await OperatorAction.Load(session, id, request, cancellation);
        if (stream is null)
        {
            return problem!;
        }

        var now = clock.GetUtcNow();
        var owners = await ActiveOwners.Count(session, [stream.Aggregate!], cancellation);
        var decision = OperatorDecider.Decide(new DisableOperator(owners), stream.Aggregate!, http.User.OperatorRole(), http.User.Actor(), now);
        await ViewerCertificateRevocation.Append(session, stream.Aggregate!, decision, http.User.Actor(), now, cancellation);
        return OperatorAction.Apply(session, stream, decision, request, http);
    }
}
