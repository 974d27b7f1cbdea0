using Control.Api.Auth;
using Control.Domain.Contracts;
using Control.Domain.Operators;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Control.Api.Features.Operators;

public static class EnableOperatorEndpoint
{

    [Authorize(Policy = Policies.ManageOperators)]
    [WolverinePost("/operators/{id}/enable")]
    public static async Task<IResult> Post(
        Guid id, OperatorActionRequest request, IDocumentSession session, TimeProvider clock, HttpContext http, CancellationToken cancellation)
    {
        var (stream, problem) = await OperatorAction.Load(session, id, request, cancellation);
        if (stream is null)
        {
            return problem!;
        }

        var decision = OperatorDecider.Decide(new EnableOperator(), stream.Aggregate!, http.User.OperatorRole(), http.User.Actor(), clock.GetUtcNow());
        return OperatorAction.Apply(session, stream, decision, request, http);
    }
}
